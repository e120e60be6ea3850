"""§4 figures of a unit for a period."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.selectors.figures import figures
from core.params import date_param, int_param
from org.models import Agent, Unit

MAX_RANGE_DAYS = 366


class FiguresSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="group or agent id; null: the unit")
    agent_days = serializers.IntegerField()
    active_agents = serializers.IntegerField()
    logs = serializers.IntegerField()
    visits = serializers.IntegerField()
    fill_rate = serializers.FloatField(allow_null=True)
    visits_per_agent_day = serializers.FloatField(allow_null=True)
    activity_rate = serializers.FloatField(allow_null=True)
    attainment = serializers.FloatField(allow_null=True)


class FiguresView(APIView):
    """§4 figures of a unit for a period, for the unit or per group or agent."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("start", str, description="YYYY-MM-DD, default: month start"),
            OpenApiParameter("end", str, description="YYYY-MM-DD, default: today"),
            OpenApiParameter("by", str, description="group or agent; default: the unit"),
        ],
        responses=FiguresSerializer(many=True),
    )
    def get(self, request):
        params = request.query_params
        unit = get_object_or_404(
            Unit.objects.visible_to(request.user), pk=int_param(params, "unit", required=True)
        )
        today = timezone.localdate()
        end = date_param(params, "end", default=today)
        start = date_param(params, "start")
        start = start or end.replace(day=1)
        if end < start or (end - start).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError({"end": _("Not a valid period.")})
        by = {"group": "group_id", "agent": "pk"}.get(params.get("by", ""))
        # figures() keeps the days each agent was placed in the unit (not their current group)
        rows = figures(unit, start, end, by=by, agents=Agent.objects.visible_to(request.user))
        return Response(
            FiguresSerializer(
                [{"key": key, **_figure_dict(item)} for key, item in rows.items()], many=True
            ).data
        )


def _figure_dict(item) -> dict:
    return {
        "agent_days": item.agent_days,
        "active_agents": item.active_agents,
        "logs": item.logs,
        "visits": item.visits,
        "fill_rate": item.fill_rate,
        "visits_per_agent_day": item.visits_per_agent_day,
        "activity_rate": item.activity_rate,
        "attainment": item.attainment,
    }
