"""Daily attendance API: records, roll call, phone check-in and the Excel import."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import imports
from attendance.api.common import _enum, _unit
from attendance.models import (
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
)
from attendance.services import daily as services
from attendance.views.common import SUMMARY_KINDS, viewable_units
from core.imports.views import import_api_view
from org.models import Agent

MAX_RANGE_DAYS = 366


StatusField = _enum(AttendanceStatus.values, "present, late, leave or absent")
SourceField = _enum(AttendanceSource.values)


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


ImportView = import_api_view(
    imports.AttendanceImport,
    operation_id="attendance_import",
    summary="Import attendance from Excel (all rows or nothing)",
    tags=["attendance"],
)
