"""API for the roster: the agent list as Excel, and a roster upload (same rules as the pages)."""

import json

from django.forms import ValidationError as FormValidationError
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from org import roster
from org.access import Cap, holds
from org.models import AgentStatus
from org.views.roster import (
    clean_roster_upload,
    export_filename,
    filter_description,
    filtered_agents,
    xlsx_response,
)


class XlsxRenderer(BaseRenderer):
    """Lets clients ask for the sheet by media type; errors still come out as JSON."""

    media_type = roster.XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class RosterUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel .xlsx roster, at most 5 MB.")

    def validate_file(self, upload):
        try:
            return clean_roster_upload(upload)
        except FormValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class RosterImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class RosterRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Excel row number; null for the whole file."
    )
    column = serializers.CharField(help_text="The sheet's column header, e.g. 身份证号.")
    value = serializers.CharField()
    message = serializers.CharField()


class RosterImportErrorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RosterRowErrorSerializer(many=True)


AGENT_FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Name, agent code prefix or mobile."),
    OpenApiParameter("unit", int, description="Unit id: agents in its subtree."),
    OpenApiParameter("rank", int, description="Rank id."),
    OpenApiParameter("status", str, enum=AgentStatus.values),
    OpenApiParameter(
        "ordering",
        str,
        description="code, name, hire_date, rank, group, status; prefix - for descending.",
    ),
    OpenApiParameter(
        "full",
        str,
        enum=["1"],
        description="1 = full ID numbers and mobiles "
        "(needs the personal-data permission over every agent; logged).",
    ),
]


class AgentExportView(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        operation_id="agents_export",
        summary="Export the filtered agent list as an Excel roster",
        parameters=AGENT_FILTER_PARAMETERS,
        responses={
            (200, roster.XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The roster sheet (importable again)."
            ),
            400: OpenApiResponse(description="Invalid filter values."),
            403: OpenApiResponse(description="full=1 without the personal-data permission."),
        },
        tags=["agents"],
    )
    def get(self, request):
        if not holds(request.user, Cap.VIEW_ORG):
            raise PermissionDenied
        agent_filter, agents = filtered_agents(request.user, request.query_params)
        if agent_filter.is_bound and not agent_filter.is_valid():
            return Response(agent_filter.errors, status=status.HTTP_400_BAD_REQUEST)
        content = roster.agents_export(
            agents,
            request.user,
            full_personal_data=request.query_params.get("full") == "1",
            filter_description=filter_description(request.query_params),
        )
        return xlsx_response(content, export_filename())


class RosterImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="agents_import",
        summary="Import an Excel roster (all rows or nothing)",
        description="Every row is validated first; if any row is wrong nothing is written and "
        "the errors name each row and column. Re-importing the same file changes "
        "nothing (agents are matched by agent code).",
        request={"multipart/form-data": RosterUploadSerializer},
        responses={
            200: RosterImportResultSerializer,
            400: RosterImportErrorsSerializer,
            403: OpenApiResponse(description="No permission to edit agents."),
        },
        tags=["agents"],
    )
    def post(self, request):
        if not holds(request.user, Cap.EDIT_AGENTS):
            raise PermissionDenied
        upload = RosterUploadSerializer(data=request.data)
        if not upload.is_valid():
            errors = [
                {"row": None, "column": "", "value": "", "message": str(message)}
                for messages in upload.errors.values()
                for message in messages
            ]
            return Response(
                {"detail": errors[0]["message"], "errors": errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = roster.roster_import(upload.validated_data["file"], request.user)
        if not result.ok:
            return Response(
                {
                    "detail": ngettext(
                        "Nothing was imported: the file has %(count)s problem.",
                        "Nothing was imported: the file has %(count)s problems.",
                        len(result.errors),
                    )
                    % {"count": len(result.errors)},
                    "errors": result.errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )
