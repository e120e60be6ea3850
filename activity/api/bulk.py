"""Bulk entry of a group's day by the assistant."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.services.logs import worklog_bulk_save
from org import access
from org.access import Cap
from org.models import Agent, Unit, UnitKind


class BulkRowSerializer(serializers.Serializer):
    agent = serializers.IntegerField()
    new_prospects = serializers.IntegerField(min_value=0, max_value=999, default=0)
    first_visits = serializers.IntegerField(min_value=0, max_value=999, default=0)
    follow_up_visits = serializers.IntegerField(min_value=0, max_value=999, default=0)
    closing_visits = serializers.IntegerField(min_value=0, max_value=999, default=0)
    service_visits = serializers.IntegerField(min_value=0, max_value=999, default=0)
    recruiting_talks = serializers.IntegerField(min_value=0, max_value=999, default=0)
    accompanied_visits = serializers.IntegerField(min_value=0, max_value=999, default=0)
    policies_closed = serializers.IntegerField(min_value=0, max_value=999, default=0)


class BulkInputSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    date = serializers.DateField()
    rows = serializers.ListField(child=serializers.DictField(), max_length=500)


class BulkResultSerializer(serializers.Serializer):
    saved = serializers.IntegerField()


class WorkLogBulkView(APIView):
    """The assistant saves a group's logs of one date in one request, through the same service as
    the bulk page: all rows or nothing; errors are given per row (`rows[i]`)."""

    @extend_schema(request=BulkInputSerializer, responses=BulkResultSerializer)
    def post(self, request):
        data = BulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        group = get_object_or_404(
            Unit.objects.visible_to(request.user), pk=values["group"], kind=UnitKind.GROUP
        )
        if not access.holds(request.user, Cap.RECORD_WORK_LOGS, group):
            raise PermissionDenied
        rows, errors = {}, {}
        for index, raw in enumerate(values["rows"]):
            row = BulkRowSerializer(data=raw)
            if not row.is_valid():
                errors[str(index)] = row.errors
                continue
            agent_id = row.validated_data.pop("agent")
            if agent_id in rows:
                errors[str(index)] = {"agent": [_("This agent appears twice.")]}
                continue
            rows[agent_id] = dict(row.validated_data)
        if errors:
            raise serializers.ValidationError({"rows": errors})
        active = set(
            Agent.objects.filter(group=group, pk__in=list(rows))
            .active_on(values["date"])
            .values_list("pk", flat=True)
        )
        errors = {
            str(index): {"agent": [_("Not an active agent of this group on this day.")]}
            for index, agent_id in enumerate(rows)
            if agent_id not in active
        }
        if errors:
            raise serializers.ValidationError({"rows": errors})
        saved = worklog_bulk_save(
            acting_user=request.user, group=group, day=values["date"], rows=rows
        )
        return Response({"saved": saved})
