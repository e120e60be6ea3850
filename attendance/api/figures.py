"""Attendance figures API: the summary of a unit for a period."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance.api.common import _unit
from attendance.api.daily import AttendanceRecordFilterSerializer
from attendance.selectors import figures as selectors
from attendance.views.common import SUMMARY_KINDS, viewable_units
from org import access
from org.access import Cap
from org.models import Agent


class AttendanceFiguresSerializer(serializers.Serializer):
    required = serializers.IntegerField(help_text="Workdays on which the agent was active.")
    attended = serializers.DecimalField(max_digits=8, decimal_places=1)
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="attended / required, in %."
    )
    late = serializers.IntegerField()
    leave_reported = serializers.DecimalField(max_digits=8, decimal_places=1)
    leave_unreported = serializers.DecimalField(max_digits=8, decimal_places=1)
    absent = serializers.DecimalField(max_digits=8, decimal_places=1)
    unmarked = serializers.IntegerField(help_text="Required days with nothing recorded.")


class AttendanceSummaryRowSerializer(serializers.Serializer):
    """A child unit (group omitted) or an agent (group given) with their figures."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    group = serializers.IntegerField(required=False)
    figures = AttendanceFiguresSerializer()


class AttendanceSummarySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    through = serializers.DateField(help_text="The figures count up to this day (today at most).")
    total = AttendanceFiguresSerializer()
    children = AttendanceSummaryRowSerializer(many=True, help_text="Per child unit.")
    agents = AttendanceSummaryRowSerializer(many=True, help_text="Per agent.")


def _figures(figures) -> dict:
    return figures.as_dict()


class SummaryView(APIView):
    @extend_schema(
        operation_id="attendance_summary",
        summary="Attendance figures of a unit for a period: per agent, per child unit, total",
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("start", str, description="YYYY-MM-DD; default the month's first."),
            OpenApiParameter("end", str, description="YYYY-MM-DD; default today."),
        ],
        responses=AttendanceSummarySerializer,
        tags=["attendance"],
    )
    def get(self, request):
        if not access.holds(request.user, Cap.VIEW_ORG):
            raise PermissionDenied
        params = AttendanceRecordFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        if "unit" not in params.validated_data:
            raise serializers.ValidationError({"unit": _("Give a unit.")})
        unit = _unit(
            request.user, params.validated_data["unit"], viewable_units(request.user, SUMMARY_KINDS)
        )
        start, end = params.validated_data["start"], params.validated_data["end"]
        result = selectors.summary(Agent.objects.visible_to(request.user), unit, start, end)
        payload = {
            "unit": unit.pk,
            "start": start,
            "end": end,
            "through": result.through,
            "total": _figures(result.total),
            "children": [
                {
                    "id": row.unit.pk,
                    "name": row.unit.name,
                    "code": row.unit.code,
                    "figures": _figures(row.figures),
                }
                for row in result.children
            ],
            "agents": [
                {
                    "id": row.agent.pk,
                    "name": row.agent.name,
                    "code": row.agent.code,
                    "group": row.agent.group_id,
                    "figures": _figures(row.figures),
                }
                for row in result.agents
            ],
        }
        return Response(AttendanceSummarySerializer(payload).data)
