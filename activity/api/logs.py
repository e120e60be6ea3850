"""Work logs under /api/v1/activity/logs/: fill, submit, approve and return (二早), through the same
services and scope as the pages. An agent sees only their own logs; a supervisor their group; and
so on (Agent.objects.visible_to). Excel import of logs."""

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from activity.api.common import _own_agent
from activity.imports import WorkLogImport
from activity.models import (
    COUNT_FIELDS,
    LogState,
    WorkLog,
)
from activity.services.logs import worklog_approve, worklog_return, worklog_save
from core.imports.views import import_api_view
from core.versioning import VersionedAPIMixin
from org.access import get_agent_for_user
from org.models import Agent


class WorkLogSerializer(serializers.ModelSerializer):
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text="draft, submitted, approved, returned")
    visits = serializers.IntegerField(read_only=True)

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "agent",
            "agent_name",
            "date",
            *COUNT_FIELDS,
            "visits",
            "meeting_notes",
            "tomorrow_plan",
            "state",
            "return_comment",
            "points",
            "reviewed_at",
            "version",
        ]
        read_only_fields = ["points", "return_comment", "reviewed_at", "version"]
        validators = []  # (agent, date) is an upsert in the service


class WorkLogInputSerializer(serializers.Serializer):
    agent = serializers.IntegerField(required=False, help_text="Defaults to the caller's own.")
    date = serializers.DateField(required=False, help_text="Defaults to today.")
    submit = serializers.BooleanField(default=False)
    new_prospects = serializers.IntegerField(min_value=0, max_value=999, required=False)
    first_visits = serializers.IntegerField(min_value=0, max_value=999, required=False)
    follow_up_visits = serializers.IntegerField(min_value=0, max_value=999, required=False)
    closing_visits = serializers.IntegerField(min_value=0, max_value=999, required=False)
    service_visits = serializers.IntegerField(min_value=0, max_value=999, required=False)
    recruiting_talks = serializers.IntegerField(min_value=0, max_value=999, required=False)
    accompanied_visits = serializers.IntegerField(min_value=0, max_value=999, required=False)
    policies_closed = serializers.IntegerField(min_value=0, max_value=999, required=False)
    meeting_notes = serializers.CharField(required=False, allow_blank=True)
    tomorrow_plan = serializers.CharField(required=False, allow_blank=True)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=500)


@extend_schema(
    parameters=[
        OpenApiParameter("agent", int, description="One agent's logs."),
        OpenApiParameter("date", str, description="One day (YYYY-MM-DD)."),
    ]
)
class WorkLogViewSet(
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Work logs; `POST` fills the log of (agent, date), creating or changing it. A change carries
    the version it was based on (`If-Match` or `version`): 409 when stale."""

    serializer_class = WorkLogSerializer
    queryset = WorkLog.objects.none()

    def get_queryset(self):
        logs = WorkLog.objects.filter(
            agent__in=Agent.objects.visible_to(self.request.user)
        ).select_related("agent")
        params = self.request.query_params
        if params.get("agent", "").isdigit():
            logs = logs.filter(agent_id=params["agent"])
        if params.get("date"):
            logs = logs.filter(date=params["date"])
        return logs.order_by("-date", "agent__code")

    def _save(self, data, agent_id, day, base_version):
        agent = get_agent_for_user(self.request.user, agent_id)
        log = worklog_save(
            acting_user=self.request.user,
            agent=agent,
            day=day,
            data=data,
            submit=data.get("submit", False),
            base_version=base_version,
        )
        return Response(WorkLogSerializer(log).data)

    @extend_schema(request=WorkLogInputSerializer, responses=WorkLogSerializer)
    def create(self, request, *args, **kwargs):
        data = WorkLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        agent_id = values.get("agent") or _own_agent(request.user)
        day = values.get("date") or timezone.localdate()
        return self._save(values, agent_id, day, self.upsert_base_version(request))

    @extend_schema(request=WorkLogInputSerializer, responses=WorkLogSerializer)
    def update(self, request, *args, **kwargs):
        log = self.get_object()
        data = WorkLogInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        return self._save(data.validated_data, log.agent_id, log.date, self.base_version(request))

    @extend_schema(request=None, responses=WorkLogSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        log = self.get_object()
        if log.state != LogState.SUBMITTED:
            raise serializers.ValidationError({"state": log.state})
        worklog_approve(acting_user=request.user, logs=[log])
        return Response(WorkLogSerializer(log).data)

    @extend_schema(request=ReturnSerializer, responses=WorkLogSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_log(self, request, pk=None):
        log = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        worklog_return(acting_user=request.user, log=log, comment=data.validated_data["comment"])
        return Response(WorkLogSerializer(log).data)


WorkLogImportView = import_api_view(
    WorkLogImport,
    operation_id="activity_logs_import",
    summary="Import work logs from Excel (all rows or nothing)",
    tags=["activity"],
)
