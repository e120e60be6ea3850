from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.versioning import VersionedAPIMixin, etag
from org.access import Cap, get_unit_for_user
from org.models import UnitKind
from workcalendar import selectors, services
from workcalendar.models import CalendarDay


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "district", "date", "is_workday", "note", "version"]
        read_only_fields = ["id", "version"]
        validators = []


class RangeSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("The end date is before the start date.")})
        if (attrs["end"] - attrs["start"]).days > 366 * 2:
            raise serializers.ValidationError({"end": _("Ask for at most two years at a time.")})
        return attrs


class WorkdaysView(APIView):
    """Workdays of a unit's district between two dates (both included)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int),
            OpenApiParameter("start", str),
            OpenApiParameter("end", str),
        ],
        responses=inline_serializer(
            "Workdays",
            {
                "unit": serializers.IntegerField(),
                "count": serializers.IntegerField(),
                "workdays": serializers.ListField(child=serializers.DateField()),
            },
        ),
    )
    def get(self, request):
        params = RangeSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        unit = get_unit_for_user(request.user, params.validated_data["unit"])
        days = selectors.workdays(
            unit, params.validated_data["start"], params.validated_data["end"]
        )
        return Response({"unit": unit.pk, "count": len(days), "workdays": days})


class CalendarDaysView(VersionedAPIMixin, APIView):
    """Holidays and make-up workdays of a district: list (GET ?district=) and set (POST).

    A POST carries the version of the date's row it was based on (`If-Match` or `version`);
    without one the client saw no row (0): a row someone created meanwhile answers 409 with the
    current one, as does a stale version."""

    lookup_field, lookup_url_kwarg = "pk", None  # VersionedAPIMixin: no detail reads here
    versioned_actions = ("post",)  # an APIView's methods stand for its actions (core.apischema)

    def version_output(self, instance) -> dict:
        return CalendarDaySerializer(instance).data

    @extend_schema(
        parameters=[OpenApiParameter("district", int)], responses=CalendarDaySerializer(many=True)
    )
    def get(self, request):
        district = get_unit_for_user(request.user, request.query_params.get("district"))
        rows = CalendarDay.objects.filter(district=district)
        return Response(CalendarDaySerializer(rows, many=True).data)

    @extend_schema(request=CalendarDaySerializer, responses=CalendarDaySerializer)
    def post(self, request):
        base_version = self.upsert_base_version(request)
        data = CalendarDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        district = get_unit_for_user(
            request.user, data.validated_data["district"].pk, Cap.EDIT_CALENDAR
        )
        if district.kind != UnitKind.DISTRICT:
            raise serializers.ValidationError({"district": _("Choose a sales district.")})
        row = services.calendar_day_set(
            acting_user=request.user,
            district=district,
            day=data.validated_data["date"],
            is_workday=data.validated_data["is_workday"],
            note=data.validated_data.get("note", ""),
            base_version=base_version,
        )
        return Response(CalendarDaySerializer(row).data, headers={"ETag": etag(row.version)})
