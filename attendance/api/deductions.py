"""Deductions API: the regulation's rule values, deduction months (run, close, reopen) and lines."""

from datetime import date

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from attendance import access
from attendance.api.common import _enum, _month
from attendance.models import (
    AttendanceRules,
    DeductionLine,
    DeductionMonth,
    DeductionMonthState,
)
from attendance.selectors import deductions as reads
from attendance.selectors.rules import IN_FORCE_VERSION_STATES
from attendance.services import deductions as deduction_services
from org.models import Unit, UnitKind

MonthStateField = _enum(DeductionMonthState.values)


# -- rules -------------------------------------------------------------------------------------


class RulesSerializer(serializers.ModelSerializer):
    effective_from = serializers.SerializerMethodField()
    regulation_version = serializers.IntegerField(source="source_version_id", read_only=True)
    regulation_state = serializers.CharField(source="source_version.state", default=None)

    class Meta:
        model = AttendanceRules
        fields = [
            "id",
            "district",
            "effective_from",
            "regulation_version",
            "regulation_state",
            *AttendanceRules.VALUE_FIELDS,
        ]

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
