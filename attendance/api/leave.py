"""Leave requests API: create, resubmit, and decide through the approval flow."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from approvals.api import ApprovalDecisionSerializer, ApprovalReturnSerializer, decision_data
from approvals.models import Decision
from attendance.api.common import _enum
from attendance.models import (
    LeaveRequest,
    LeaveState,
)
from attendance.services import leave as services
from attendance.views.leave import get_leave_for_user, leave_agents, visible_leaves
from core.versioning import VersionedAPIMixin
from org import access
from org.models import Agent

LeaveStateField = _enum(LeaveState.values)


class LeaveRequestSerializer(serializers.ModelSerializer):
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    state = LeaveStateField(read_only=True)
    created_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "agent",
            "agent_name",
            "start_date",
            "end_date",
            "half_day",
            "reason",
            "state",
            "created_by",
            "created_at",
            "decided_at",
            "version",
        ]
        read_only_fields = ["state", "created_by", "created_at", "decided_at", "version"]


class LeaveRequestCreateSerializer(serializers.Serializer):
    agent = serializers.IntegerField(
        required=False, help_text="Default: the requesting agent themselves."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False)
    half_day = serializers.BooleanField(default=False)
    reason = serializers.CharField(max_length=200)


class LeaveRequestResubmitSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False)
    half_day = serializers.BooleanField(default=False)
    reason = serializers.CharField(max_length=200)


class LeaveRequestViewSet(
    VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Leave requests of agents in scope; approve/return go through the approval flow. A
    resubmit carries the version it was based on (`If-Match` or `version`): 409 when stale."""

    versioned_actions = ("update", "partial_update", "resubmit")  # they call base_version

    serializer_class = LeaveRequestSerializer
    filterset_fields = ["state", "agent"]

    def get_queryset(self):
        return visible_leaves(self.request.user).order_by("-start_date", "-id")

    def get_object(self):
        return get_leave_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=LeaveRequestCreateSerializer, responses={201: LeaveRequestSerializer})
    def create(self, request):
        data = LeaveRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        agent_id = values.pop("agent", None) or access.own_agent_id(request.user)
        if agent_id is None:
            raise serializers.ValidationError({"agent": _("Give the agent the leave is for.")})
        try:
            agent = leave_agents(request.user).get(pk=agent_id)
        except (Agent.DoesNotExist, ValueError, TypeError):
            raise NotFound from None
        values.setdefault("end_date", values["start_date"])
        leave = services.leave_request_create(acting_user=request.user, agent=agent, **values)
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decision):
        leave = self.get_object()
        data = decision_data(request, decision, leave)
        try:
            services.leave_decide(
                acting_user=request.user,
                leave=leave,
                decision=decision,
                expected_step=data["step"],
                comment=data["comment"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(LeaveRequestSerializer(self.get_object()).data)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, Decision.APPROVE)

    @extend_schema(request=ApprovalReturnSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._decide(request, Decision.RETURN)

    @extend_schema(request=LeaveRequestResubmitSerializer, responses={200: LeaveRequestSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Correct a returned leave request and submit it again."""
        leave = self.get_object()
        data = LeaveRequestResubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("end_date", values["start_date"])
        try:
            services.leave_request_resubmit(
                acting_user=request.user,
                leave=leave,
                base_version=self.base_version(request),
                **values,
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(LeaveRequestSerializer(self.get_object()).data)
