"""Attendance API under /api/v1/attendance/: the same services, selectors and scope as the pages.

An agent sees only their own attendance; a supervisor their group; the assistant and manager
their department; district staff their district (Agent.objects.visible_to).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.api import ApprovalDecisionSerializer, ApprovalReturnSerializer, decision_data
from approvals.models import Decision
from attendance import imports, selectors, services
from attendance.models import (
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    CheckLineKind,
    CheckRecord,
    CheckRecordLine,
    LeaveRequest,
    LeaveState,
)
from attendance.views.checks import get_check_for_user, visible_checks
from attendance.views.common import SUMMARY_KINDS, viewable_units
from attendance.views.leave import get_leave_for_user, leave_agents, visible_leaves
from core.imports.views import import_api_view
from org import access
from org.access import Cap
from org.models import Agent

MAX_RANGE_DAYS = 366


def _enum(values, description=""):
    """A choice field described by a pattern rather than a named enum component: enum names
    are global in the schema and "status"/"state"/"kind" collide with other apps' choices
    (an ENUM_NAME_OVERRIDES entry in settings would allow a proper enum)."""
    values = list(values)
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(values) + ")$",
        "description": description or ", ".join(values),
    }

    @extend_schema_field(schema)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=values, **kwargs)

    return EnumField


StatusField = _enum(AttendanceStatus.values, "present, late, leave or absent")
SourceField = _enum(AttendanceSource.values)
LeaveStateField = _enum(LeaveState.values)
LineKindField = _enum(CheckLineKind.values)


# -- serializers --------------------------------------------------------------------------------


class AttendanceRecordSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    status = StatusField(read_only=True)
    source = SourceField(read_only=True)
    recorded_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = AttendanceRecord
        fields = [
            "id",
            "agent",
            "agent_code",
            "agent_name",
            "date",
            "status",
            "fraction",
            "reported",
            "leave_request",
            "source",
            "checked_in_at",
            "recorded_by",
            "updated_at",
        ]


class AttendanceRecordFilterSerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False)
    agent = serializers.IntegerField(required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", today.replace(day=1))
        attrs.setdefault("end", today)
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("The end date is before the start date.")})
        if (attrs["end"] - attrs["start"]).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": _("Ask for at most %(days)s days at a time.") % {"days": MAX_RANGE_DAYS}}
            )
        return attrs


class AttendanceEntrySerializer(serializers.Serializer):
    agent = serializers.IntegerField()
    status = StatusField()
    fraction = serializers.DecimalField(max_digits=2, decimal_places=1, default="1.0")
    reported = serializers.BooleanField(default=False)


class AttendanceRollCallSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="A group or department.")
    date = serializers.DateField()
    entries = AttendanceEntrySerializer(many=True, allow_empty=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=100)


class AttendanceWriteResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


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
        ]
        read_only_fields = ["state", "created_by", "created_at", "decided_at"]


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


class CheckRecordLineSerializer(serializers.ModelSerializer):
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    kind = LineKindField(read_only=True)

    class Meta:
        model = CheckRecordLine
        fields = ["id", "kind", "agent", "agent_name", "days", "reported", "handling_result"]
        read_only_fields = ["agent", "days", "reported"]


class CheckRecordSerializer(serializers.ModelSerializer):
    lines = CheckRecordLineSerializer(many=True, read_only=True)
    author = serializers.StringRelatedField(read_only=True)
    verifier = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = CheckRecord
        fields = [
            "id",
            "department",
            "check_date",
            "period_start",
            "period_end",
            "handling_measures",
            "author",
            "created_at",
            "refreshed_at",
            "verifier",
            "verified_on",
            "verification_note",
            "lines",
        ]


class CheckRecordCreateSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    check_date = serializers.DateField()
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    handling_measures = serializers.CharField(required=False, allow_blank=True, default="")


class CheckRecordLineUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    handling_result = serializers.CharField(allow_blank=True, max_length=200)


class CheckRecordUpdateSerializer(serializers.Serializer):
    handling_measures = serializers.CharField(required=False, allow_blank=True)
    lines = CheckRecordLineUpdateSerializer(many=True, required=False)


class CheckRecordVerifySerializer(serializers.Serializer):
    verified_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


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


def _unit(user, pk, units):
    try:
        return units.get(pk=pk)
    except (units.model.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


# -- views ---------------------------------------------------------------------------------------


class RecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Attendance records in scope; filters unit, agent, start, end (default: this month)."""

    serializer_class = AttendanceRecordSerializer

    def get_queryset(self):
        params = AttendanceRecordFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        agents = Agent.objects.visible_to(self.request.user)
        if "unit" in data:
            unit = _unit(
                self.request.user, data["unit"], viewable_units(self.request.user, SUMMARY_KINDS)
            )
            agents = agents.in_unit(unit)
        if "agent" in data:
            agents = agents.filter(pk=data["agent"])
        return (
            AttendanceRecord.objects.filter(
                agent__in=agents.values("pk"), date__range=(data["start"], data["end"])
            )
            .select_related("agent", "recorded_by")
            .order_by("date", "agent__code")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="Group, department or district id."),
            OpenApiParameter("agent", int),
            OpenApiParameter("start", str, description="YYYY-MM-DD; default the month's first."),
            OpenApiParameter("end", str, description="YYYY-MM-DD; default today."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class RollCallView(APIView):
    @extend_schema(
        operation_id="attendance_roll_call",
        summary="Set the statuses of a group's or department's agents on one day (bulk)",
        request=AttendanceRollCallSerializer,
        responses={200: AttendanceWriteResultSerializer},
        tags=["attendance"],
    )
    def post(self, request):
        data = AttendanceRollCallSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = _unit(request.user, values["unit"], viewable_units(request.user))
        entries = [
            services.Entry(
                agent_id=entry["agent"],
                day=values["date"],
                status=entry["status"],
                fraction=entry["fraction"],
                reported=entry["reported"],
            )
            for entry in values["entries"]
        ]
        try:
            result = services.attendance_record_day(
                acting_user=request.user,
                unit=unit,
                day=values["date"],
                entries=entries,
                reason=values.get("reason", ""),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(
            {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )


class CheckInView(APIView):
    @extend_schema(
        operation_id="attendance_check_in",
        summary="The agent checks in for today (the server's clock decides)",
        request=None,
        responses={
            201: AttendanceRecordSerializer,
            400: OpenApiResponse(description="Not a workday, or outside the check-in window."),
            409: OpenApiResponse(description="Today's attendance is already recorded."),
        },
        tags=["attendance"],
    )
    def post(self, request):
        try:
            record = services.attendance_check_in(acting_user=request.user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(AttendanceRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class LeaveRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Leave requests of agents in scope; approve/return go through the approval flow."""

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
        data = decision_data(request, decision)
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
            services.leave_request_resubmit(acting_user=request.user, leave=leave, **values)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(LeaveRequestSerializer(self.get_object()).data)


class CheckRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """附件7 check records of departments in scope."""

    serializer_class = CheckRecordSerializer
    filterset_fields = ["department"]

    def get_queryset(self):
        return visible_checks(self.request.user).prefetch_related("lines__agent")

    def get_object(self):
        return get_check_for_user(self.request.user, self.kwargs["pk"])

    def _data(self, record):
        record = self.get_queryset().get(pk=record.pk)
        return CheckRecordSerializer(record).data

    @extend_schema(request=CheckRecordCreateSerializer, responses={201: CheckRecordSerializer})
    def create(self, request):
        data = CheckRecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        department = _unit(request.user, values.pop("department"), viewable_units(request.user))
        default_start, default_end = services.default_check_period(department, values["check_date"])
        values.setdefault("period_start", default_start)
        values.setdefault("period_end", default_end)
        try:
            record = services.check_record_create(
                acting_user=request.user, department=department, **values
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(self._data(record), status=status.HTTP_201_CREATED)

    @extend_schema(request=CheckRecordUpdateSerializer, responses=CheckRecordSerializer)
    def partial_update(self, request, pk=None):
        record = self.get_object()
        data = CheckRecordUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            services.check_record_update(
                acting_user=request.user,
                record=record,
                handling_measures=values.get("handling_measures", record.handling_measures),
                handling_results={
                    line["id"]: line["handling_result"] for line in values.get("lines", [])
                },
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(self._data(record))

    @extend_schema(request=CheckRecordVerifySerializer, responses=CheckRecordSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        record = self.get_object()
        data = CheckRecordVerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.check_record_verify(
                acting_user=request.user,
                record=record,
                verified_on=data.validated_data.get("verified_on"),
                note=data.validated_data["note"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(self._data(record))

    @extend_schema(request=None, responses=CheckRecordSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        record = self.get_object()
        try:
            services.check_record_refresh(acting_user=request.user, record=record)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc) or None) from exc
        return Response(self._data(record))


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


ImportView = import_api_view(
    imports.AttendanceImport,
    operation_id="attendance_import",
    summary="Import attendance from Excel (all rows or nothing)",
    tags=["attendance"],
)
