"""Department check records API (附件7)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from attendance.api.common import _enum, _unit
from attendance.models import (
    CheckLineKind,
    CheckRecord,
    CheckRecordLine,
)
from attendance.paperforms import check_record_form
from attendance.selectors.checks import check_record_people
from attendance.services import checks as services
from attendance.views.checks import get_check_for_user, visible_checks
from attendance.views.common import viewable_units
from core.paperforms.api import PaperFormActions
from core.versioning import VersionedAPIMixin

LineKindField = _enum(CheckLineKind.values)


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
            "version",
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


class CheckRecordViewSet(
    VersionedAPIMixin,
    PaperFormActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """附件7 check records of departments in scope. A change carries the version it was based on
    (`If-Match` or `version`): 409 when stale. …/pdf/ and …/xlsx/ give the form (附件7)."""

    serializer_class = CheckRecordSerializer
    filterset_fields = ["department"]

    def get_queryset(self):
        return visible_checks(self.request.user).prefetch_related("lines__agent")

    def get_object(self):
        return get_check_for_user(self.request.user, self.kwargs["pk"])

    def paper_form(self, record):
        return check_record_form(record, check_record_people(record))

    def _data(self, record):
        record = self.get_queryset().get(pk=record.pk)
        return CheckRecordSerializer(record).data

    def version_output(self, instance) -> dict:
        return self._data(instance)

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
                base_version=self.base_version(request),
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
