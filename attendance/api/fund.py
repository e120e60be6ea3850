"""Deduction fund API: entries, usage submitted and decided through the approval flow."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from approvals.api import ApprovalDecisionSerializer, ApprovalReturnSerializer, decision_data
from approvals.models import Decision
from attendance.api.common import _enum
from attendance.models import (
    FundEntry,
    FundEntryKind,
    FundEntryState,
)
from attendance.selectors import fund as reads
from attendance.services import fund as services
from core.versioning import VersionedAPIMixin
from org.models import Unit, UnitKind

FundKindField = _enum(FundEntryKind.values)
FundStateField = _enum(FundEntryState.values)


# -- fund ----------------------------------------------------------------------------------------


class FundEntrySerializer(serializers.ModelSerializer):
    kind = FundKindField(read_only=True)
    state = FundStateField(read_only=True)

    class Meta:
        model = FundEntry
        fields = [
            "id", "district", "department", "date", "kind", "amount", "purpose", "state",
            "override", "override_reason", "approved_by", "decided_at", "version",
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


def _department(values):
    """The department a usage entry names (None for the district's own), or 404."""
    if not values.get("department"):
        return None
    department = Unit.objects.filter(pk=values["department"], kind=UnitKind.DEPARTMENT).first()
    if department is None:
        raise NotFound
    return department


def _usage(values) -> dict:
    """What a usage entry says, as the services take it (submit and resubmit alike)."""
    return {
        "day": values["date"],
        "amount": values["amount"],
        "purpose": values["purpose"],
        "override": values["override"],
        "override_reason": values["override_reason"],
    }


class FundEntryViewSet(
    VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Fund entries: credits from closed months, usage (approved through the approval flow). A
    resubmit carries the version it was based on (`If-Match` or `version`): 409 when stale."""

    versioned_actions = ("update", "partial_update", "resubmit")  # they call base_version

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
        department = _department(values)
        if district is None:
            raise NotFound
        entry = services.fund_usage_submit(
            acting_user=request.user, district=district, department=department, **_usage(values)
        )
        return Response(FundEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, decision):
        entry = self.get_object()
        data = decision_data(request, decision, entry)
        services.fund_usage_decide(
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
        services.fund_usage_resubmit(
            acting_user=request.user,
            entry=entry,
            department=_department(values),
            base_version=self.base_version(request),
            **_usage(values),
        )
        return Response(FundEntrySerializer(self.get_object()).data)
