"""REST API for agents: the same services and scope as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.versioning import VersionedAPIMixin
from org.access import Cap, get_agent_for_user
from org.api.history import HistoryRowSerializer, history_data
from org.forms.filters import AgentFilter
from org.models import Agent, AgentRankChange, AgentTransfer, Unit, UnitKind
from org.services import agents as agent_services

# -- serializers -------------------------------------------------------------------------------


class AgentSerializer(serializers.ModelSerializer):
    """Agent output. National ID and mobile are always masked here (see personal-data)."""

    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    mobile = serializers.CharField(source="mobile_masked", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    department = serializers.IntegerField(source="group.parent_id", read_only=True)
    department_name = serializers.CharField(source="group.parent.name", read_only=True)
    rank_name = serializers.CharField(source="rank.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    recruiter_code = serializers.CharField(source="recruiter.code", read_only=True, default=None)

    class Meta:
        model = Agent
        fields = [
            "id",
            "code",
            "name",
            "gender",
            "id_number",
            "mobile",
            "education",
            "hire_date",
            "group",
            "group_name",
            "department",
            "department_name",
            "rank",
            "rank_name",
            "status",
            "status_display",
            "resigned_on",
            "recruiter",
            "recruiter_code",
            "practice_certificate_no",
            "practice_certificate_valid_until",
            "qualification_certificate_no",
            "deposit_paid",
            "version",
        ]


class AgentWriteSerializer(serializers.ModelSerializer):
    """Agent input. Format and business rules are checked by org.services, as for the pages."""

    class Meta:
        model = Agent
        fields = [
            "code",
            "name",
            "gender",
            "id_number",
            "mobile",
            "education",
            "hire_date",
            "group",
            "rank",
            "status",
            "resigned_on",
            "recruiter",
            "practice_certificate_no",
            "practice_certificate_valid_until",
            "qualification_certificate_no",
            "deposit_paid",
        ]
        extra_kwargs = {"code": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["recruiter"].queryset = Agent.objects.visible_to(request.user)
            self.fields["group"].queryset = Unit.objects.visible_to(request.user).filter(
                kind=UnitKind.GROUP
            )
        if self.instance is not None:
            for name in ("code", "group", "rank"):
                self.fields[name].read_only = True


class TransferSerializer(serializers.ModelSerializer):
    scheduled = serializers.BooleanField(source="is_scheduled", read_only=True)

    class Meta:
        model = AgentTransfer
        fields = [
            "id",
            "from_group",
            "to_group",
            "effective_date",
            "reason",
            "created_by",
            "created_at",
            "scheduled",
            "cancelled_at",
            "cancelled_by",
        ]
        read_only_fields = [
            "from_group",
            "created_by",
            "created_at",
            "cancelled_at",
            "cancelled_by",
        ]


class RankChangeSerializer(serializers.ModelSerializer):
    scheduled = serializers.BooleanField(source="is_scheduled", read_only=True)

    class Meta:
        model = AgentRankChange
        fields = [
            "id",
            "from_rank",
            "to_rank",
            "effective_date",
            "reason",
            "created_by",
            "created_at",
            "scheduled",
            "cancelled_at",
            "cancelled_by",
        ]
        read_only_fields = ["from_rank", "created_by", "created_at", "cancelled_at", "cancelled_by"]


# -- views -------------------------------------------------------------------------------------


class AgentViewSet(
    VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Agents in the user's scope; filters `q`, `unit`, `rank`, `status`, `ordering`.

    Edits carry the version they were based on (`If-Match` or `version`): 409 when stale."""

    serializer_class = AgentSerializer
    filterset_class = AgentFilter

    def get_queryset(self):
        queryset = Agent.objects.visible_to(self.request.user).select_related(
            "group__parent", "rank", "recruiter"
        )
        if not self.request.query_params.get("ordering"):
            queryset = queryset.order_by("code")
        return queryset

    def get_object(self):
        return get_agent_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=AgentWriteSerializer, responses={201: AgentSerializer})
    def create(self, request):
        data = AgentWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        agent = agent_services.agent_create(acting_user=request.user, **values)
        return Response(AgentSerializer(agent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgentWriteSerializer, responses=AgentSerializer)
    def partial_update(self, request, pk=None):
        agent = get_agent_for_user(request.user, pk, Cap.EDIT_AGENTS)
        version = self.base_version(request)
        data = AgentWriteSerializer(
            agent, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        agent = agent_services.agent_update(
            acting_user=request.user, agent=agent, base_version=version, **data.validated_data
        )
        return Response(AgentSerializer(self.get_object()).data)

    @extend_schema(request=AgentWriteSerializer, responses=AgentSerializer)
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(request=TransferSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["get", "post"])
    def transfers(self, request, pk=None):
        if request.method == "GET":
            agent = self.get_object()
            return Response(TransferSerializer(agent.transfers.all(), many=True).data)
        agent = get_agent_for_user(request.user, pk, Cap.EDIT_AGENTS)
        data = TransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        to_group = get_object_or_404(
            Unit.objects.visible_to(request.user), pk=data.validated_data["to_group"].pk
        )
        transfer = agent_services.agent_transfer(
            acting_user=request.user,
            agent=agent,
            to_group=to_group,
            effective_date=data.validated_data["effective_date"],
            reason=data.validated_data.get("reason", ""),
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RankChangeSerializer, responses={201: RankChangeSerializer})
    @action(detail=True, methods=["get", "post"], url_path="rank-changes")
    def rank_changes(self, request, pk=None):
        if request.method == "GET":
            agent = self.get_object()
            return Response(RankChangeSerializer(agent.rank_changes.all(), many=True).data)
        agent = get_agent_for_user(request.user, pk, Cap.EDIT_AGENTS)
        data = RankChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = agent_services.agent_change_rank(
            acting_user=request.user, agent=agent, **data.validated_data
        )
        return Response(RankChangeSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=HistoryRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        return Response(history_data(self.get_object()))

    @extend_schema(
        responses=inline_serializer(
            "PersonalData",
            {"id_number": serializers.CharField(), "mobile": serializers.CharField()},
        )
    )
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request, pk=None):
        """The full ID number and mobile, for roles allowed to see them; each call is logged."""
        agent = self.get_object()
        return Response(agent_services.personal_data_reveal(acting_user=request.user, agent=agent))
