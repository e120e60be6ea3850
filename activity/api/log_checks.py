"""附件6 业务员工作日志检查表: the rows of the work log check table of a group or department, and
the table as the paper form (PDF, Excel) for the same unit, period and scope."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.paperforms import work_log_check
from activity.selectors.log_checks import log_check, period_from_params
from core.paperforms.api import BLANK, PdfRenderer, XlsxFormRenderer, paper_response
from core.paperforms.views import PDF_CONTENT_TYPE
from core.params import int_param
from core.xlsx import XLSX_CONTENT_TYPE
from org.access import get_unit_for_user
from org.models import Agent, UnitKind


class LogCheckRowSerializer(serializers.Serializer):
    agent = serializers.IntegerField(source="agent_id", allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.IntegerField(source="group_id", allow_null=True)
    group_name = serializers.CharField(source="group")
    workdays = serializers.IntegerField(help_text="active workdays in the unit in the period")
    logs = serializers.IntegerField(help_text="filled (submitted) logs of those workdays")
    prospects = serializers.IntegerField()
    visits = serializers.IntegerField()
    points = serializers.IntegerField(help_text="scorecard points of the filled logs")
    weeks = serializers.IntegerField(help_text="weeks of the period (agent-weeks for the total)")
    weeks_on_target = serializers.IntegerField()
    reached = serializers.BooleanField(help_text="every week on target")
    with_notes = serializers.IntegerField(help_text="filled logs with morning meeting notes")
    approved = serializers.IntegerField(help_text="approved logs")
    last_approved_at = serializers.DateTimeField(allow_null=True)


class LogCheckSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    period = serializers.ChoiceField(choices=["week", "month"])
    start = serializers.DateField()
    end = serializers.DateField()
    through = serializers.DateField(help_text="the last day counted (today at the latest)")
    target = serializers.IntegerField(help_text="the weekly target (plan 100)")
    rows = LogCheckRowSerializer(many=True)
    total = LogCheckRowSerializer()


PARAMETERS = [
    OpenApiParameter("unit", int, required=True, description="a group or department"),
    OpenApiParameter("week", str, description="YYYY-MM-DD, any day of the week"),
    OpenApiParameter("month", str, description="YYYY-MM; when given, the month"),
]


def visible_check(request):
    """The check of the unit and period asked for, over the agents the caller sees (404 for a
    unit outside the caller's scope)."""
    params = request.query_params
    unit = get_unit_for_user(request.user, int_param(params, "unit", required=True))
    if unit.kind not in (UnitKind.DEPARTMENT, UnitKind.GROUP):
        raise Http404
    period, day = period_from_params(params)
    return log_check(unit, period, day, agents=Agent.objects.visible_to(request.user))


class LogCheckView(APIView):
    """附件6 work log check table of a group or department for a week or a month."""

    @extend_schema(parameters=PARAMETERS, responses=LogCheckSerializer)
    def get(self, request):
        return Response(LogCheckSerializer(visible_check(request)).data)


def _file_view(fmt: str, media_type: str, renderer, what: str):
    class LogCheckFileView(APIView):
        renderer_classes = [JSONRenderer, renderer]

        @extend_schema(
            summary=f"The work log check table (attachment 6) as {what}",
            parameters=[*PARAMETERS, BLANK],
            responses={
                (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=what),
                404: OpenApiResponse(description="Not found or outside the caller's scope."),
            },
        )
        def get(self, request):
            return paper_response(request, work_log_check(visible_check(request)), fmt)

    LogCheckFileView.__name__ = LogCheckFileView.__qualname__ = f"LogCheck{what}View"
    return LogCheckFileView


LogCheckPdfView = _file_view("pdf", PDF_CONTENT_TYPE, PdfRenderer, "PDF")
LogCheckXlsxView = _file_view("xlsx", XLSX_CONTENT_TYPE, XlsxFormRenderer, "Excel")
