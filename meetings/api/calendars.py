"""Calendar API under /api/v1/meetings/calendars/…: calendars with their entries, copy from last
month, submit / distribute / acknowledge, the submission board and the district's deadline
settings — through the same services and access rules as the pages."""

from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Router
from core.paperforms.api import PaperFormActions
from core.versioning import VersionedAPIMixin
from meetings import access
from meetings.models import (
    Calendar,
    CalendarAcknowledgement,
    CalendarEntry,
    CalendarSettings,
    MeetingLevel,
)
from meetings.paperforms import meeting_calendar
from meetings.selectors import calendars as selectors
from meetings.services import calendars as services
from org.access import Cap, holds
from org.models import Unit, UnitKind


class CalendarEntrySerializer(serializers.ModelSerializer):
    speaker = serializers.CharField(read_only=True)
    cancelled = serializers.SerializerMethodField()

    class Meta:
        model = CalendarEntry
        fields = [
            "id",
            "date",
            "topic",
            "host",
            "host_name",
            "speaker",
            "content",
            "template_version",
            "cancelled",
            "cancelled_at",
        ]

    def get_cancelled(self, entry) -> bool:
        return entry.cancelled_at is not None


class AcknowledgementSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CalendarAcknowledgement
        fields = ["id", "unit", "unit_name", "user", "at"]


class CalendarSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state = serializers.CharField(read_only=True, help_text="draft, submitted or distributed")

    class Meta:
        model = Calendar
        fields = [
            "id",
            "unit",
            "unit_name",
            "level",
            "month",
            "state",
            "submitted_at",
            "submitted_by",
            "copied_from",
            "created_at",
            "updated_at",
            "version",
        ]


class CalendarDetailSerializer(CalendarSerializer):
    entries = CalendarEntrySerializer(many=True, read_only=True)
    acknowledgements = AcknowledgementSerializer(many=True, read_only=True)

    class Meta(CalendarSerializer.Meta):
        fields = [*CalendarSerializer.Meta.fields, "entries", "acknowledgements"]


class CalendarInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    level = serializers.ChoiceField(choices=MeetingLevel.choices)
    month = serializers.DateField(help_text="The first day of the month (YYYY-MM-01).")


class CopyResultSerializer(serializers.Serializer):
    calendar = CalendarDetailSerializer()
    copied = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Entries whose day has no workday this month.")


class EntryInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    topic = serializers.CharField(max_length=200, allow_blank=True, default="")
    host = serializers.IntegerField(required=False, allow_null=True)
    host_name = serializers.CharField(max_length=50, allow_blank=True, default="")
    content = serializers.CharField(allow_blank=True, default="")
    template_version = serializers.IntegerField(required=False, allow_null=True)
    cancelled = serializers.BooleanField(
        default=False, help_text="Take the day's meeting off (kept as cancelled)."
    )


class EntriesInputSerializer(serializers.Serializer):
    entries = EntryInputSerializer(many=True)


class AcknowledgeInputSerializer(serializers.Serializer):
    department = serializers.IntegerField(
        required=False, help_text="Defaults to the one department the caller acknowledges for."
    )


def _unit(user, pk) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not access.can_read_unit(user, unit):
        raise NotFound
    return unit


@extend_schema(
    parameters=[
        OpenApiParameter("unit", int, description="One unit's calendars."),
        OpenApiParameter("level", str, enum=MeetingLevel.values),
        OpenApiParameter("month", str, description="YYYY-MM or YYYY-MM-01."),
    ]
)
class CalendarViewSet(
    VersionedAPIMixin,
    PaperFormActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Calendars the caller may read (meetings.access.readable). The entries are saved as one
    month: a save carries the calendar's version (`If-Match` or `version`), 409 when stale.
    …/pdf/ and …/xlsx/ give the calendar as the 附件2 form."""

    versioned_actions = ("update", "partial_update", "entries")  # they call base_version

    serializer_class = CalendarSerializer
    queryset = Calendar.objects.none()

    def get_queryset(self):
        calendars = selectors.calendars_for(self.request.user)
        params = self.request.query_params
        if params.get("unit", "").isdigit():
            calendars = calendars.filter(unit_id=params["unit"])
        if params.get("level") in MeetingLevel.values:
            calendars = calendars.filter(level=params["level"])
        if params.get("month"):
            month = _parse_month(params["month"])
            calendars = calendars.filter(month=month)
        if self.action == "retrieve":
            calendars = calendars.prefetch_related("entries", "acknowledgements__unit")
        return calendars.order_by("-month", "unit__path", "level")

    def paper_form(self, calendar):
        return meeting_calendar(calendar)

    def get_serializer_class(self):
        return CalendarDetailSerializer if self.action == "retrieve" else CalendarSerializer

    def version_output(self, instance) -> dict:
        return self._detail(instance)

    def _detail(self, calendar):
        calendar = (
            Calendar.objects.select_related("unit")
            .prefetch_related("entries", "acknowledgements__unit")
            .get(pk=calendar.pk)
        )
        return CalendarDetailSerializer(calendar).data

    @extend_schema(request=CalendarInputSerializer, responses={201: CalendarDetailSerializer})
    def create(self, request):
        data = CalendarInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        calendar = services.calendar_create(
            acting_user=request.user,
            unit=_unit(request.user, values["unit"]),
            level=values["level"],
            month=values["month"],
        )
        return Response(self._detail(calendar), status=201)

    @extend_schema(request=CalendarInputSerializer, responses={201: CopyResultSerializer})
    @action(detail=False, methods=["post"], url_path="copy-from-last-month")
    def copy_from_last_month(self, request):
        """Start the month's calendar from the previous month's (same weekday of the same week;
        days that are not workdays are skipped)."""
        data = CalendarInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        calendar, copied, skipped = services.calendar_copy_from_previous(
            acting_user=request.user,
            unit=_unit(request.user, values["unit"]),
            level=values["level"],
            month=values["month"],
        )
        return Response(
            {"calendar": self._detail(calendar), "copied": copied, "skipped": skipped},
            status=201,
        )

    @extend_schema(request=EntriesInputSerializer, responses=CalendarDetailSerializer)
    @action(detail=True, methods=["put"], url_path="entries")
    def entries(self, request, pk=None):
        """Save the given days, all or nothing (an empty topic or `cancelled` takes the day's
        meeting off; days not given are unchanged)."""
        calendar = self.get_object()
        base_version = self.base_version(request)
        data = EntriesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [
            services.EntryInput(
                date=item["date"],
                topic=item["topic"],
                host_id=item.get("host"),
                host_name=item["host_name"],
                content=item["content"],
                template_version_id=item.get("template_version"),
                cancelled=item["cancelled"],
            )
            for item in data.validated_data["entries"]
        ]
        services.calendar_entries_save(
            acting_user=request.user, calendar=calendar, entries=items, base_version=base_version
        )
        return Response(self._detail(calendar))

    @extend_schema(request=None, responses=CalendarDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        calendar = services.calendar_submit(acting_user=request.user, calendar=self.get_object())
        return Response(self._detail(calendar))

    @extend_schema(request=None, responses=CalendarDetailSerializer)
    @action(detail=True, methods=["post"])
    def distribute(self, request, pk=None):
        calendar = services.calendar_distribute(
            acting_user=request.user, calendar=self.get_object()
        )
        return Response(self._detail(calendar))

    @extend_schema(request=AcknowledgeInputSerializer, responses={201: AcknowledgementSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        calendar = self.get_object()
        data = AcknowledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department_id = data.validated_data.get("department")
        if department_id is None:
            mine = selectors.acknowledging_departments(request.user)
            if len(mine) != 1:
                raise serializers.ValidationError({"department": "Give the department."})
            department_id = mine[0]
        department = get_object_or_404(Unit, pk=department_id)
        ack = services.calendar_acknowledge(
            acting_user=request.user, calendar=calendar, department=department
        )
        return Response(AcknowledgementSerializer(ack).data, status=201)


def _parse_month(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value if len(value) > 7 else f"{value}-01").replace(day=1)
    except ValueError:
        raise serializers.ValidationError({"month": "Use YYYY-MM."}) from None


def _board_district(user, pk) -> Unit:
    district = Unit.objects.filter(pk=pk, kind=UnitKind.DISTRICT).first()
    if district is None or not holds(user, Cap.VIEW_ORG, district):
        raise NotFound
    if not (access.can_write_unit(user, district) or holds(user, Cap.INSPECT_MEETINGS, district)):
        raise PermissionDenied
    return district


class BoardCellSerializer(serializers.Serializer):
    level = serializers.CharField()
    state = serializers.CharField(help_text="submitted, late, missing or pending")
    calendar = serializers.IntegerField(allow_null=True)
    submitted_on = serializers.DateField(allow_null=True)


class BoardRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    kind = serializers.CharField()
    cells = BoardCellSerializer(many=True)


class BoardSerializer(serializers.Serializer):
    district = serializers.IntegerField()
    month = serializers.DateField()
    deadline = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = BoardRowSerializer(many=True)


class SubmissionBoardView(APIView):
    """The district's submission board for a month: each department (morning and evening
    meeting calendars) and group (二早) with submitted / late / missing / pending."""

    @extend_schema(
        parameters=[
            OpenApiParameter("district", int, required=True),
            OpenApiParameter("month", str, description="YYYY-MM; defaults to next month."),
        ],
        responses=BoardSerializer,
    )
    def get(self, request):
        district_id = request.query_params.get("district", "")
        district = _board_district(request.user, district_id if district_id.isdigit() else 0)
        today = timezone.localdate()
        month_param = request.query_params.get("month")
        month = _parse_month(month_param) if month_param else selectors.next_month(today)
        board = selectors.submission_board(district, month, today)
        return Response(
            BoardSerializer(
                {
                    "district": district.pk,
                    "month": board.month,
                    "deadline": board.deadline,
                    "counts": board.counts,
                    "rows": [
                        {
                            "unit": row.unit.pk,
                            "unit_name": row.unit.name,
                            "kind": row.unit.kind,
                            "cells": [
                                {
                                    "level": cell.level,
                                    "state": cell.state,
                                    "calendar": cell.calendar.pk if cell.calendar else None,
                                    "submitted_on": cell.submitted_on,
                                }
                                for cell in row.cells
                                if cell.expected
                            ],
                        }
                        for row in board.rows
                    ],
                }
            ).data
        )


class CalendarSettingsSerializer(serializers.ModelSerializer):
    deadline_day = serializers.IntegerField(min_value=1, max_value=31)
    remind_days_before = serializers.IntegerField(min_value=0, max_value=20)

    class Meta:
        model = CalendarSettings
        fields = ["district", "deadline_day", "remind_days_before", "version"]
        read_only_fields = ["district", "version"]


def _settings(district) -> CalendarSettings:
    """The district's settings; the defaults (version 0) while nothing is saved."""
    return CalendarSettings.objects.filter(district=district).first() or CalendarSettings(
        district=district, version=0
    )


class CalendarSettingsView(VersionedAPIMixin, APIView):
    """A district's calendar deadline settings (`district` is the district's id). A change
    carries the version it was based on (`If-Match` or `version`; 0 for the defaults, while
    nothing is saved): 409 when stale, 428 without one."""

    lookup_field, lookup_url_kwarg = "district", None  # VersionedAPIMixin: ETag on the reads
    versioned_actions = ("put",)  # an APIView's methods stand for its actions (core.apischema)

    def version_output(self, instance) -> dict:
        return CalendarSettingsSerializer(instance).data

    @extend_schema(responses=CalendarSettingsSerializer)
    def get(self, request, district):
        unit = _board_district(request.user, district)
        return Response(CalendarSettingsSerializer(_settings(unit)).data)

    @extend_schema(request=CalendarSettingsSerializer, responses=CalendarSettingsSerializer)
    def put(self, request, district):
        unit = _board_district(request.user, district)
        base_version = self.base_version(request)
        data = CalendarSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        settings = services.calendar_settings_update(
            acting_user=request.user,
            district=unit,
            deadline_day=data.validated_data["deadline_day"],
            remind_days_before=data.validated_data["remind_days_before"],
            base_version=base_version,
        )
        return Response(CalendarSettingsSerializer(settings).data)


router = Router()
router.include_root_view = False
router.register("calendars", CalendarViewSet, basename="meetings-calendar")

urlpatterns = [
    path("calendars/board/", SubmissionBoardView.as_view(), name="api-meetings-calendar-board"),
    path(
        "calendars/settings/<id:district>/",
        CalendarSettingsView.as_view(),
        name="api-meetings-calendar-settings",
    ),
    path("", include(router.urls)),
]
