"""Deductions API under /api/v1/attendance/: the regulation's rule values, deduction months and
lines, fund entries, publications and improvement measures — the same services and scope as the
pages (attendance.deduction_selectors)."""

from datetime import date

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from approvals.api import ApprovalDecisionSerializer, ApprovalReturnSerializer, decision_data
from approvals.models import Decision
from attendance import access, deduction_services
from attendance import deduction_selectors as reads
from attendance.api import _enum
from attendance.models import (
    AttendanceRules,
    DeductionLine,
    DeductionMonth,
    DeductionMonthState,
    FundEntry,
    FundEntryKind,
    FundEntryState,
    ImprovementMeasure,
    MeasureStatus,
)
from attendance.selectors import IN_FORCE_VERSION_STATES
from org.models import Unit, UnitKind

MonthStateField = _enum(DeductionMonthState.values)
FundKindField = _enum(FundEntryKind.values)
FundStateField = _enum(FundEntryState.values)
MeasureStatusField = _enum(MeasureStatus.values)


def _month(value) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise serializers.ValidationError({"month": "YYYY-MM"}) from None


# -- rules -------------------------------------------------------------------------------------


class RulesSerializer(serializers.ModelSerializer):
    effective_from = serializers.SerializerMethodField()
    regulation_version = serializers.IntegerField(source="source_version_id", read_only=True)
    regulation_state = serializers.CharField(source="source_version.state", default=None)

    class Meta:
        model = AttendanceRules
        fields = [
            "id", "district", "effective_from", "regulation_version", "regulation_state",
            "on_time_until", "late_until", "late_deduction", "unreported_leave_deduction",
            "absence_deduction", "free_reported_leave_days", "reported_leave_deduction",
        ]  # fmt: skip

    def get_effective_from(self, rules) -> date:
        version = rules.source_version
        return (version.effective_date if version else None) or rules.effective_from


class RulesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rule values that apply (published or superseded regulation versions, built-in rows) of
    the districts the user works in or sees."""

    serializer_class = RulesSerializer

    def get_queryset(self):
        return (
            AttendanceRules.objects.filter(district__in=reads.user_districts(self.request.user))
            .filter(
                Q(source_version__isnull=True)
                | Q(source_version__state__in=IN_FORCE_VERSION_STATES)
            )
            .select_related("source_version")
            .order_by("district", "-effective_from", "-id")
        )


# -- deduction months and lines ------------------------------------------------------------------


class DeductionMonthSerializer(serializers.ModelSerializer):
    state = MonthStateField(read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)

    class Meta:
        model = DeductionMonth
        fields = ["id", "district", "month", "state", "total", "segments", "run_at", "closed_at"]


class DeductionRunSerializer(serializers.Serializer):
    district = serializers.IntegerField()
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")


class DeductionRunResultSerializer(serializers.Serializer):
    deduction_month = DeductionMonthSerializer()
    total_before = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    total_after = serializers.DecimalField(max_digits=12, decimal_places=2)
    changes = serializers.ListField(child=serializers.DictField())


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class DeductionMonthViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """District deduction months; run (idempotent), close (credits the fund), reopen."""

    serializer_class = DeductionMonthSerializer

    def get_queryset(self):
        return reads.visible_months(self.request.user).order_by("-month", "district")

    def get_object(self):
        return reads.get_month_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=DeductionRunSerializer, responses={200: DeductionRunResultSerializer})
    @action(detail=False, methods=["post"])
    def run(self, request):
        data = DeductionRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        district = Unit.objects.filter(
            pk=data.validated_data["district"], kind=UnitKind.DISTRICT
        ).first()
        if district is None or not access.can_run_deductions(request.user, district):
            raise PermissionDenied
        audit = deduction_services.deduction_run(
            acting_user=request.user, district=district, month=_month(data.validated_data["month"])
        )
        return Response(DeductionRunResultSerializer(audit).data)

    @extend_schema(request=None, responses={200: DeductionMonthSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        month = deduction_services.deduction_close(
            acting_user=request.user, deduction_month=self.get_object()
        )
        return Response(DeductionMonthSerializer(month).data)

    @extend_schema(request=ReopenSerializer, responses={200: DeductionMonthSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        month = deduction_services.deduction_reopen(
            acting_user=request.user,
            deduction_month=self.get_object(),
            reason=data.validated_data["reason"],
        )
        return Response(DeductionMonthSerializer(month).data)


class DeductionLineSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="deduction_month.month", format="%Y-%m", read_only=True)
    district = serializers.IntegerField(source="deduction_month.district_id", read_only=True)
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    agent_name = serializers.CharField(source="agent.name", read_only=True)

    class Meta:
        model = DeductionLine
        fields = [
            "id", "month", "district", "department", "agent", "agent_code", "agent_name", "late",
            "leave_reported", "leave_reported_charged", "leave_unreported", "absent", "amount",
            "rules",
        ]  # fmt: skip


@extend_schema(
    parameters=[
        OpenApiParameter("month", str, description="YYYY-MM"),
        OpenApiParameter("district", int),
        OpenApiParameter("department", int),
        OpenApiParameter("agent", int),
    ]
)
class DeductionLineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Deduction lines of the agents the user sees (an agent: their own)."""

    serializer_class = DeductionLineSerializer

    def get_queryset(self):
        lines = reads.visible_lines(self.request.user).select_related("agent", "deduction_month")
        params = self.request.query_params
        if params.get("month"):
            lines = lines.filter(deduction_month__month=_month(params["month"]))
        for name, lookup in (
            ("district", "deduction_month__district_id"),
            ("department", "department_id"),
            ("agent", "agent_id"),
        ):
            if params.get(name, "").isdigit():
                lines = lines.filter(**{lookup: params[name]})
        return lines.order_by("-deduction_month__month", "department_id", "agent__code")


# -- fund ----------------------------------------------------------------------------------------


class FundEntrySerializer(serializers.ModelSerializer):
    kind = FundKindField(read_only=True)
    state = FundStateField(read_only=True)

    class Meta:
        model = FundEntry
        fields = [
            "id", "district", "department", "date", "kind", "amount", "purpose", "state",
            "override", "override_reason", "approved_by", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class FundUsageCreateSerializer(serializers.Serializer):
    district = serializers.IntegerField()
    department = serializers.IntegerField(required=False, allow_null=True)
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    purpose = serializers.CharField(max_length=200)
    override = serializers.BooleanField(default=False)
    override_reason = serializers.CharField(max_length=200, required=False, default="")


class FundUsageResubmitSerializer(serializers.Serializer):
    department = serializers.IntegerField(required=False, allow_null=True)
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    purpose = serializers.CharField(max_length=200)
    override = serializers.BooleanField(default=False)
    override_reason = serializers.CharField(max_length=200, required=False, default="")


class FundEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Fund entries: credits from closed months, usage (approved through the approval flow)."""

    serializer_class = FundEntrySerializer
    filterset_fields = ["district", "department", "kind", "state"]

    def get_queryset(self):
        return reads.visible_fund_entries(self.request.user).order_by("-date", "-id")

    def get_object(self):
        return reads.get_fund_entry_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=FundUsageCreateSerializer, responses={201: FundEntrySerializer})
    def create(self, request):
        data = FundUsageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        district = Unit.objects.filter(pk=values["district"], kind=UnitKind.DISTRICT).first()
        department = None
        if values.get("department"):
            department = Unit.objects.filter(
                pk=values["department"], kind=UnitKind.DEPARTMENT
            ).first()
            if department is None:
                raise NotFound
        if district is None:
            raise NotFound
        entry = deduction_services.fund_usage_submit(
            acting_user=request.user,
            district=district,
            department=department,
            day=values["date"],
            amount=values["amount"],
            purpose=values["purpose"],
            override=values["override"],
            override_reason=values["override_reason"],
        )
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decision):
        entry = self.get_object()
        data = decision_data(request, decision)
        deduction_services.fund_usage_decide(
            acting_user=request.user,
            entry=entry,
            decision=decision,
            expected_step=data["step"],
            comment=data["comment"],
        )
        return Response(FundEntrySerializer(self.get_object()).data)

    @extend_schema(request=ApprovalDecisionSerializer, responses={200: FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, Decision.APPROVE)

    @extend_schema(request=ApprovalReturnSerializer, responses={200: FundEntrySerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._decide(request, Decision.RETURN)

    @extend_schema(request=FundUsageResubmitSerializer, responses={200: FundEntrySerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """Correct a returned usage entry and submit it again."""
        entry = self.get_object()
        data = FundUsageResubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        department = None
        if values.get("department"):
            department = Unit.objects.filter(
                pk=values["department"], kind=UnitKind.DEPARTMENT
            ).first()
            if department is None:
                raise NotFound
        deduction_services.fund_usage_resubmit(
            acting_user=request.user,
            entry=entry,
            department=department,
            day=values["date"],
            amount=values["amount"],
            purpose=values["purpose"],
            override=values["override"],
            override_reason=values["override_reason"],
        )
        return Response(FundEntrySerializer(self.get_object()).data)


# -- publications --------------------------------------------------------------------------------


class PublicationLineSerializer(serializers.Serializer):
    agent_name = serializers.CharField(source="agent.name")
    department = serializers.IntegerField(source="department_id")
    late = serializers.IntegerField()
    leave_reported = serializers.DecimalField(max_digits=5, decimal_places=1)
    leave_unreported = serializers.DecimalField(max_digits=5, decimal_places=1)
    absent = serializers.DecimalField(max_digits=5, decimal_places=1)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class PublicationUsageSerializer(serializers.Serializer):
    date = serializers.DateField()
    purpose = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    department = serializers.IntegerField(source="department_id", allow_null=True)
    approver = serializers.CharField(source="approved_by", allow_null=True)


class PublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    month = serializers.DateField(format="%Y-%m")
    published_at = serializers.DateTimeField()


class PublicationDetailSerializer(PublicationSerializer):
    total = serializers.DecimalField(max_digits=12, decimal_places=2, source="page.total")
    usage_total = serializers.DecimalField(
        max_digits=12, decimal_places=2, source="page.usage_total"
    )
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, source="page.balance")
    lines = PublicationLineSerializer(many=True, source="page.lines")
    usage = PublicationUsageSerializer(many=True, source="page.usage")


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published pages (公布扣款使用明细) of the user's units: deductions per agent, fund usage,
    balance."""

    serializer_class = PublicationSerializer

    def get_queryset(self):
        return reads.visible_publications(self.request.user).order_by("-month", "unit__path")

    def get_serializer_class(self):
        return PublicationDetailSerializer if self.action == "retrieve" else PublicationSerializer

    def retrieve(self, request, pk=None):
        publication = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if publication is None:
            raise NotFound
        publication.page = reads.publication_page(publication.unit, publication.month)
        return Response(PublicationDetailSerializer(publication).data)


# -- improvement measures ------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    status = MeasureStatusField(required=False)
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"], format="%Y-%m")

    class Meta:
        model = ImprovementMeasure
        fields = [
            "id", "district", "department", "month", "measure", "owner", "due_date", "status",
            "follow_up", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "district", "created_at"]


class MeasureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """改善举措 of the departments in scope; written by the department's and district's staff."""

    serializer_class = MeasureSerializer
    filterset_fields = ["department", "status"]

    def get_queryset(self):
        return reads.visible_measures(self.request.user).order_by("-month", "id")

    def get_object(self):
        return reads.get_measure_for_user(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        department = values.pop("department")
        serializer.instance = deduction_services.measure_save(
            acting_user=self.request.user, department=department, values=values
        )

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        department = values.pop("department", serializer.instance.department)
        serializer.instance = deduction_services.measure_save(
            acting_user=self.request.user,
            department=department,
            values=values,
            measure=serializer.instance,
        )
