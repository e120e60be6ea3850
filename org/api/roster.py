"""API for the roster: the agent list as Excel, and a roster upload (same rules as the pages)."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.imports.views import import_api_view
from core.xlsx import XLSX_CONTENT_TYPE
from org.access import Cap, holds
from org.exports import agents_export
from org.imports.roster import RosterImport
from org.models import AgentStatus
from org.views.roster import (
    export_filename,
    filter_description,
    filtered_agents,
    xlsx_response,
)


class XlsxRenderer(BaseRenderer):
    """Lets clients ask for the sheet by media type; errors still come out as JSON."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


AGENT_FILTER_PARAMETERS = [
    OpenApiParameter(
        "q", str, description="Name, agent code prefix, or a full mobile or ID number."
    ),
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
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
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
        content = agents_export(
            agents,
            request.user,
            full_personal_data=request.query_params.get("full") == "1",
            filter_description=filter_description(request.query_params),
        )
        return xlsx_response(content, export_filename())


RosterImportView = import_api_view(
    RosterImport,
    operation_id="agents_import",
    summary="Import an Excel roster (all rows or nothing)",
    tags=["agents"],
)
