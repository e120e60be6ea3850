"""Activity API under /api/v1/activity/: work logs and the scorecard, through the same services
and scope as the pages. An agent sees only their own logs; a supervisor their group; and so on
(Agent.objects.visible_to)."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from activity import checks, handover, services, tools
from activity.access import can_edit_scorecard, can_read_scorecard
from activity.cards import card_counts
from activity.figures import figures
from activity.importer import WorkLogImport
from activity.models import (
    COUNT_FIELDS,
    CardHandover,
    CardSource,
    LogState,
    ProspectCard,
    ProspectStage,
    RecruitCard,
    RecruitStage,
    Scorecard,
    ToolMovement,
    WeeklyCheck,
    WorkLog,
)
from core.imports.views import import_api_view
from org import access
from org.access import Cap, get_agent_for_user
from org.models import Agent, Unit, UnitKind

MAX_RANGE_DAYS = 366
CARD_FIELDS = [
    "name",
    "contact",
    "source",
    "stage",
    "next_contact_on",
    "last_contact_on",
    "notes",
]


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
        ]
        read_only_fields = ["points", "return_comment", "reviewed_at"]
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


class ScorecardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scorecard
        fields = [
            "district",
            "new_prospect",
            "first_visit",
            "follow_up_visit",
            "closing_visit",
            "service_visit",
            "recruiting_talk",
            "policy_closed",
            "weekly_target",
        ]
        read_only_fields = ["district"]


@extend_schema(
    parameters=[
        OpenApiParameter("agent", int, description="One agent's logs."),
        OpenApiParameter("date", str, description="One day (YYYY-MM-DD)."),
    ]
)
class WorkLogViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
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

    def _save(self, data, agent_id, day):
        agent = get_agent_for_user(self.request.user, agent_id)
        log = services.worklog_save(
            acting_user=self.request.user,
            agent=agent,
            day=day,
            data=data,
            submit=data.get("submit", False),
        )
        return Response(WorkLogSerializer(log).data)

    @extend_schema(request=WorkLogInputSerializer, responses=WorkLogSerializer)
    def create(self, request, *args, **kwargs):
        data = WorkLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        agent_id = values.get("agent") or _own_agent(request.user)
        return self._save(values, agent_id, values.get("date") or timezone.localdate())

    @extend_schema(request=WorkLogInputSerializer, responses=WorkLogSerializer)
    def update(self, request, *args, **kwargs):
        log = self.get_object()
        data = WorkLogInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        return self._save(data.validated_data, log.agent_id, log.date)

    @extend_schema(request=None, responses=WorkLogSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        log = self.get_object()
        if log.state != LogState.SUBMITTED:
            raise serializers.ValidationError({"state": log.state})
        services.worklog_approve(acting_user=request.user, logs=[log])
        return Response(WorkLogSerializer(log).data)

    @extend_schema(request=ReturnSerializer, responses=WorkLogSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_log(self, request, pk=None):
        log = self.get_object()
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.worklog_return(
            acting_user=request.user, log=log, comment=data.validated_data["comment"]
        )
        return Response(WorkLogSerializer(log).data)


def _own_agent(user):
    agent_id = access.own_agent_id(user)
    if not agent_id:
        raise PermissionDenied
    return agent_id


class ScorecardViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The district's scorecard (百分卡); `id` is the district's id."""

    serializer_class = ScorecardSerializer
    queryset = Scorecard.objects.none()

    def get_object(self):
        district = get_object_or_404(Unit, kind=UnitKind.DISTRICT, pk=self.kwargs["pk"])
        if not can_read_scorecard(self.request.user, district):
            raise NotFound
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not can_edit_scorecard(
            self.request.user, district
        ):
            raise PermissionDenied
        scorecard = Scorecard.for_district(district.pk)
        if scorecard.pk is None and self.request.method != "GET":
            scorecard.save()
        return scorecard


class ProspectCardSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(default="new", help_text=", ".join(ProspectStage.values))
    source = serializers.CharField(default="relatives", help_text=", ".join(CardSource.values))

    class Meta:
        model = ProspectCard
        fields = ["id", *CARD_FIELDS]

    def validate_stage(self, value):
        if value not in ProspectStage.values:
            raise serializers.ValidationError(_("Not a valid stage."))
        return value

    def validate_source(self, value):
        if value not in CardSource.values:
            raise serializers.ValidationError(_("Not a valid source."))
        return value


class RecruitCardSerializer(ProspectCardSerializer):
    stage = serializers.CharField(default="new", help_text=", ".join(RecruitStage.values))

    class Meta(ProspectCardSerializer.Meta):
        model = RecruitCard

    def validate_stage(self, value):
        if value not in RecruitStage.values:
            raise serializers.ValidationError(_("Not a valid stage."))
        return value


class _OwnCards(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own cards only: nobody else, whatever their role, sees their details."""

    model = ProspectCard

    def get_queryset(self):
        return self.model.objects.owned_by(self.request.user).order_by("pk")

    def perform_create(self, serializer):
        serializer.save(agent_id=_own_agent(self.request.user))


class ProspectCardViewSet(_OwnCards):
    serializer_class = ProspectCardSerializer
    queryset = ProspectCard.objects.none()
    model = ProspectCard


class RecruitCardViewSet(_OwnCards):
    serializer_class = RecruitCardSerializer
    queryset = RecruitCard.objects.none()
    model = RecruitCard


class CardCountsView(APIView):
    """Counts of cards per agent and stage for the agents the caller may see (no details)."""

    @extend_schema(
        responses=inline_serializer(
            "ActivityCardCounts",
            {
                "thresholds": serializers.DictField(child=serializers.IntegerField()),
                "agents": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        if not access.holds(request.user, Cap.VIEW_ORG):
            raise PermissionDenied
        data = card_counts(Agent.objects.visible_to(request.user).exclude(status="resigned"))
        return Response(
            {
                "thresholds": {str(t): n for t, n in data["thresholds"]},
                "agents": [
                    {
                        "agent": agent.pk,
                        "agent_name": agent.name,
                        "live_prospects": data["live"].get(agent.pk, 0),
                        **{
                            kind: block["counts"].get(agent.pk, {})
                            for kind, block in data["kinds"].items()
                        },
                    }
                    for agent in data["agents"]
                ],
            }
        )


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
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=_int(params.get("unit")))
        today = timezone.localdate()
        try:
            end = date.fromisoformat(params["end"]) if params.get("end") else today
            start = date.fromisoformat(params["start"]) if params.get("start") else None
        except ValueError:
            raise serializers.ValidationError({"start": _("Not a valid date.")}) from None
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


def _int(value):
    return int(value) if value and str(value).isdigit() else 0


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


# -- bulk entry of a group's day by the assistant --------------------------------------------------


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
        saved = services.worklog_bulk_save(
            acting_user=request.user, group=group, day=values["date"], rows=rows
        )
        return Response({"saved": saved})


# -- 附件5 weekly activity checks ---------------------------------------------------------


class WeeklyCheckSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    checked_by_name = serializers.CharField(source="checked_by", read_only=True, default=None)

    class Meta:
        model = WeeklyCheck
        fields = [
            "id",
            "department",
            "department_name",
            "week_start",
            "state",
            *checks.STATUS_FIELDS,
            "submitted_at",
            "comment",
            "checked_by",
            "checked_by_name",
            "checked_at",
        ]
        read_only_fields = fields


class WeeklyCheckDetailSerializer(WeeklyCheckSerializer):
    figures = serializers.SerializerMethodField()
    frozen = serializers.SerializerMethodField()

    class Meta(WeeklyCheckSerializer.Meta):
        fields = [*WeeklyCheckSerializer.Meta.fields, "frozen", "figures"]
        read_only_fields = fields

    def _figures(self, obj):
        if not hasattr(obj, "_figures"):
            obj._figures = checks.figures_of(obj)
        return obj._figures

    @extend_schema_field(serializers.DictField())
    def get_figures(self, obj):
        return self._figures(obj)[0]

    @extend_schema_field(serializers.BooleanField())
    def get_frozen(self, obj):
        return self._figures(obj)[1]


class WeeklyCheckFillSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    week_start = serializers.DateField(help_text="The Monday of the week.")
    morning_meeting = serializers.CharField(required=False, allow_blank=True)
    second_meeting = serializers.CharField(required=False, allow_blank=True)
    work_element_table = serializers.CharField(required=False, allow_blank=True)
    evening_meeting = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(default=False)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


@extend_schema(
    parameters=[
        OpenApiParameter("week", str, description="Monday of the week (YYYY-MM-DD)."),
        OpenApiParameter("department", int),
        OpenApiParameter("state", str, description="draft, submitted, checked"),
    ]
)
class WeeklyCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Weekly activity checks (附件5) of the departments the caller sees. `POST` fills (creates or
    changes the draft, `submit` freezes the figures); `comment` is the district's check."""

    serializer_class = WeeklyCheckSerializer
    queryset = WeeklyCheck.objects.none()

    def get_serializer_class(self):
        return WeeklyCheckDetailSerializer if self.action == "retrieve" else WeeklyCheckSerializer

    def get_queryset(self):
        checks_ = WeeklyCheck.objects.visible_to(self.request.user).select_related(
            "department", "checked_by"
        )
        params = self.request.query_params
        if params.get("week"):
            try:
                checks_ = checks_.filter(week_start=date.fromisoformat(params["week"]))
            except ValueError:
                raise serializers.ValidationError({"week": _("Not a valid date.")}) from None
        if params.get("department", "").isdigit():
            checks_ = checks_.filter(department_id=params["department"])
        if params.get("state"):
            checks_ = checks_.filter(state=params["state"])
        return checks_.order_by("-week_start", "department__path")

    @extend_schema(request=WeeklyCheckFillSerializer, responses=WeeklyCheckDetailSerializer)
    def create(self, request):
        data = WeeklyCheckFillSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        department = get_object_or_404(
            Unit.objects.visible_to(request.user),
            pk=values.pop("department"),
            kind=UnitKind.DEPARTMENT,
        )
        check = checks.weekly_check_save(
            acting_user=request.user,
            department=department,
            week_start=values.pop("week_start"),
            data=values,
            submit=values.pop("submit"),
        )
        return Response(WeeklyCheckDetailSerializer(check).data)

    @extend_schema(request=None, responses=WeeklyCheckDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        check = self.get_object()
        check = checks.weekly_check_save(
            acting_user=request.user,
            department=check.department,
            week_start=check.week_start,
            data={},
            submit=True,
        )
        return Response(WeeklyCheckDetailSerializer(check).data)

    @extend_schema(request=CommentSerializer, responses=WeeklyCheckDetailSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        check = self.get_object()
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = checks.weekly_check_comment(
            acting_user=request.user, check=check, comment=data.validated_data["comment"]
        )
        return Response(WeeklyCheckDetailSerializer(check).data)


# -- 活动量工具 -----------------------------------------------------------------------


class ToolMovementSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind", read_only=True)
    department_name = serializers.CharField(source="department", read_only=True, default=None)
    recorded_by_name = serializers.CharField(source="recorded_by", read_only=True)

    class Meta:
        model = ToolMovement
        fields = [
            "id",
            "district",
            "kind",
            "kind_name",
            "direction",
            "quantity",
            "department",
            "department_name",
            "date",
            "note",
            "recorded_by",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]


class ToolStockSerializer(serializers.Serializer):
    kind = serializers.IntegerField(source="kind.pk")
    kind_name = serializers.CharField(source="kind")
    received = serializers.IntegerField()
    issued = serializers.IntegerField()
    stock = serializers.IntegerField()


@extend_schema(
    parameters=[
        OpenApiParameter("district", int),
        OpenApiParameter("department", int),
        OpenApiParameter("kind", int),
        OpenApiParameter("direction", str, description="in, out"),
    ]
)
class ToolMovementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tools received by the district and issued to departments; a department reads its issues.
    Recording an issue beyond the stock is refused (400)."""

    serializer_class = ToolMovementSerializer
    queryset = ToolMovement.objects.none()

    def get_queryset(self):
        movements = tools.movements_for(self.request.user).select_related(
            "kind", "department", "recorded_by"
        )
        params = self.request.query_params
        for name in ("district", "department", "kind"):
            if params.get(name, "").isdigit():
                movements = movements.filter(**{f"{name}_id": params[name]})
        if params.get("direction"):
            movements = movements.filter(direction=params["direction"])
        return movements.order_by("-date", "-pk")

    def create(self, request, *args, **kwargs):
        data = ToolMovementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        movement = tools.tool_record(
            acting_user=request.user,
            district=values["district"],
            kind=values["kind"],
            direction=values["direction"],
            quantity=values["quantity"],
            day=values["date"],
            department=values.get("department"),
            note=values.get("note", ""),
        )
        return Response(ToolMovementSerializer(movement).data, status=201)


class ToolStockView(APIView):
    """Received, issued and in stock per kind of tool for a district the caller manages."""

    @extend_schema(
        parameters=[OpenApiParameter("district", int, required=True)],
        responses=ToolStockSerializer(many=True),
    )
    def get(self, request):
        district = get_object_or_404(
            Unit, pk=_int(request.query_params.get("district")), kind=UnitKind.DISTRICT
        )
        if not tools.can_manage(request.user, district):
            raise NotFound
        return Response(ToolStockSerializer(tools.stock(district), many=True).data)


# -- §6.4 card handover ---------------------------------------------------------------------------


class CardHandoverSerializer(serializers.ModelSerializer):
    from_agent_name = serializers.CharField(source="from_agent.name", read_only=True)
    to_agent_name = serializers.CharField(source="to_agent.name", read_only=True)

    class Meta:
        model = CardHandover
        fields = [
            "id",
            "from_agent",
            "from_agent_name",
            "to_agent",
            "to_agent_name",
            "prospect_cards",
            "recruit_cards",
            "handed_over_by",
            "handed_over_at",
        ]
        read_only_fields = ["prospect_cards", "recruit_cards", "handed_over_by", "handed_over_at"]


class CardHandoverViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Hand a resigned agent's cards to an active agent of the same department. Counts only:
    the cards' details stay with their (new) owner."""

    serializer_class = CardHandoverSerializer
    queryset = CardHandover.objects.none()

    def get_queryset(self):
        return CardHandover.objects.with_cap(self.request.user, *handover.CAPS).select_related(
            "from_agent", "to_agent"
        )

    def create(self, request, *args, **kwargs):
        data = CardHandoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        from_agent = data.validated_data["from_agent"]
        if not handover.can_hand_over(request.user, from_agent):
            raise NotFound
        done = handover.cards_hand_over(
            acting_user=request.user,
            from_agent=from_agent,
            to_agent=data.validated_data["to_agent"],
        )
        return Response(CardHandoverSerializer(done).data, status=201)


WorkLogImportView = import_api_view(
    WorkLogImport,
    operation_id="activity_logs_import",
    summary="Import work logs from Excel (all rows or nothing)",
    tags=["activity"],
)
