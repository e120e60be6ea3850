"""Records API under /api/v1/meetings/…: meeting records (search, create, change, items held,
materials) and the archive's share of planned meetings held — through the same services,
selectors and access rules as the pages."""

from datetime import date

from django.urls import include, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api import SimpleRouter
from core.versioning import VersionedAPIMixin, etag
from meetings import access
from meetings.models import (
    FlowTemplateVersion,
    Meeting,
    MeetingItemHeld,
    MeetingLevel,
    MeetingMaterial,
)
from meetings.selectors import records as selectors
from meetings.services import records as services
from org.models import Unit

SEARCH_PARAMETERS = [
    OpenApiParameter("unit", int, description="A unit and its subtree."),
    OpenApiParameter("level", str, enum=MeetingLevel.values),
    OpenApiParameter("start", date, description="From this date (default: 3 months back)."),
    OpenApiParameter("end", date, description="To this date (default: today)."),
    OpenApiParameter("speaker", str, description="Part of the speaker's name."),
    OpenApiParameter("topic", str, description="Part of the topic."),
]


def criteria_from(request) -> selectors.ArchiveFilter:
    """Search criteria from query parameters; the unit must be readable (else 404)."""
    params = request.query_params
    unit = None
    if params.get("unit"):
        unit = (
            selectors.readable_units(request.user).filter(pk=params["unit"]).first()
            if (params["unit"].isdigit())
            else None
        )
        if unit is None:
            raise NotFound
    level = params.get("level", "")
    if level and level not in MeetingLevel.values:
        raise serializers.ValidationError({"level": f"one of {', '.join(MeetingLevel.values)}"})
    try:
        start = date.fromisoformat(params["start"]) if params.get("start") else None
        end = date.fromisoformat(params["end"]) if params.get("end") else None
    except ValueError:
        raise serializers.ValidationError({"start": "YYYY-MM-DD"}) from None
    if start is None and end is None:
        start, end = selectors.default_period()
    return selectors.ArchiveFilter(
        unit=unit,
        level=level,
        start=start,
        end=end,
        speaker=params.get("speaker", "").strip()[:50],
        topic=params.get("topic", "").strip()[:100],
    )


# -- serializers --------------------------------------------------------------------------------
class ItemHeldSerializer(serializers.ModelSerializer):
    section = serializers.CharField(source="item.section.title", read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)
    planned_minutes = serializers.IntegerField(source="item.planned_minutes", read_only=True)

    class Meta:
        model = MeetingItemHeld
        fields = ["item", "section", "title", "planned_minutes", "held", "actual_minutes"]


class ItemHeldInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    held = serializers.BooleanField()
    actual_minutes = serializers.IntegerField(
        min_value=0, max_value=600, required=False, allow_null=True
    )


def items_from(rows) -> dict[int, dict]:
    return {
        row["item"]: {"held": row["held"], "actual_minutes": row.get("actual_minutes")}
        for row in rows
    }


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingMaterial
        fields = ["id", "original_name", "size", "uploaded_by", "uploaded_at", "removed_at"]


class MaterialUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class MeetingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    speaker = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "unit",
            "unit_name",
            "level",
            "date",
            "calendar_entry",
            "topic",
            "host",
            "host_name",
            "speaker",
            "template_version",
            "started_at",
            "duration_minutes",
            "present_count",
            "present_from_roll_call",
            "notes",
            "recorded_by",
            "created_at",
            "updated_at",
            "version",
        ]


class MeetingListSerializer(MeetingSerializer):
    forms = serializers.IntegerField(read_only=True, help_text="Feedback forms given.")
    held_items = serializers.IntegerField(read_only=True, help_text="Template items held.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "forms", "held_items"]


class MeetingDetailSerializer(MeetingSerializer):
    items_held = ItemHeldSerializer(many=True, read_only=True)
    materials = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "items_held", "materials"]

    def get_materials(self, meeting) -> list[dict]:
        rows = meeting.materials.filter(removed_at__isnull=True).order_by("uploaded_at")
        return MaterialSerializer(rows, many=True).data


class MeetingInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="Only on create.")
    level = serializers.ChoiceField(choices=MeetingLevel.choices, help_text="Only on create.")
    date = serializers.DateField(help_text="Only on create.")
    topic = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Default: the calendar's."
    )
    host = serializers.IntegerField(required=False, allow_null=True)
    host_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    template_version = serializers.IntegerField(
        required=False, allow_null=True, help_text="Only on create; default: the calendar's."
    )
    started_at = serializers.TimeField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    use_roll_call = serializers.BooleanField(
        default=True, help_text="Take the head count from that day's roll call when there is one."
    )
    present_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    items = ItemHeldInputSerializer(many=True, required=False)


class MeetingUpdateSerializer(MeetingInputSerializer):
    unit = None
    level = None
    date = None
    template_version = None
    use_roll_call = serializers.BooleanField(required=False)


def _host(value):
    if not value:
        return None
    host = User.objects.filter(pk=value, is_active=True).first()
    if host is None:
        raise serializers.ValidationError({"host": "unknown user"})
    return host


# -- meetings -----------------------------------------------------------------------------------
@extend_schema(parameters=SEARCH_PARAMETERS)
class MeetingViewSet(
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meeting records the caller may read; search like the archive page."""

    versioned_actions = ("update", "partial_update", "items")  # they call base_version

    queryset = Meeting.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "list":
            return MeetingListSerializer
        return MeetingDetailSerializer

    def get_queryset(self):
        if self.action == "list":
            return selectors.archive_search(self.request.user, criteria_from(self.request))
        return access.readable(
            Meeting.objects.select_related("unit").prefetch_related("items_held__item__section"),
            self.request.user,
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.with_counts(page)
        return self.get_paginated_response(MeetingListSerializer(rows, many=True).data)

    def _writable(self):
        meeting = self.get_object()
        if not access.can_write_unit(self.request.user, meeting.unit):
            raise PermissionDenied
        return meeting

    @extend_schema(request=MeetingInputSerializer, responses={201: MeetingDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = Unit.objects.filter(pk=values["unit"]).first()
        if unit is None or not access.can_read_unit(request.user, unit):
            raise NotFound
        version = None
        if values.get("template_version"):
            version = FlowTemplateVersion.objects.filter(pk=values["template_version"]).first()
            if version is None:
                raise serializers.ValidationError({"template_version": "unknown version"})
        meeting = services.meeting_create(
            acting_user=request.user,
            unit=unit,
            level=values["level"],
            day=values["date"],
            topic=values.get("topic", ""),
            host=_host(values.get("host")),
            host_name=values.get("host_name", ""),
            template_version=version,
            started_at=values.get("started_at"),
            duration_minutes=values.get("duration_minutes"),
            present_count=values.get("present_count"),
            use_roll_call=values["use_roll_call"],
            notes=values.get("notes", ""),
            items=items_from(values.get("items", [])),
        )
        return Response(
            MeetingDetailSerializer(self.get_queryset().get(pk=meeting.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=MeetingUpdateSerializer, responses=MeetingDetailSerializer)
    def update(self, request, *args, **kwargs):
        meeting = self._writable()
        base_version = self.base_version(request)
        data = MeetingUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "host" in values:
            values["host"] = _host(values["host"])
        items = values.pop("items", None)
        services.meeting_update(
            acting_user=request.user,
            meeting=meeting,
            data=values,
            items=items_from(items) if items is not None else None,
            base_version=base_version,
        )
        return Response(MeetingDetailSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(
        request=ItemHeldInputSerializer(many=True), responses=ItemHeldSerializer(many=True)
    )
    @action(detail=True, methods=["get", "put"])
    def items(self, request, pk=None):
        """The template items of the meeting, held or not, with actual minutes. They are part of
        the meeting record: the `ETag` is the meeting's version, and a PUT sends it back in
        `If-Match` (409 when stale)."""
        if request.method == "PUT":
            meeting = self._writable()
            base_version = self.base_version(request)
            data = ItemHeldInputSerializer(data=request.data, many=True)
            data.is_valid(raise_exception=True)
            meeting = services.meeting_items_save(
                acting_user=request.user,
                meeting=meeting,
                items=items_from(data.validated_data),
                base_version=base_version,
            )
        else:
            meeting = self.get_object()
        rows = meeting.items_held.select_related("item__section").order_by(
            "item__section__order", "item__order"
        )
        response = Response(ItemHeldSerializer(rows, many=True).data)
        response["ETag"] = etag(meeting.version)
        return response

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": MaterialUploadSerializer},
        responses={201: MaterialSerializer},
    )
    @extend_schema(methods=["GET"], responses=MaterialSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def materials(self, request, pk=None):
        """List the meeting's files, or upload one (size and type checked)."""
        if request.method == "POST":
            meeting = self._writable()
            data = MaterialUploadSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            material = services.material_add(
                acting_user=request.user, meeting=meeting, upload=data.validated_data["file"]
            )
            return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)
        meeting = self.get_object()
        rows = meeting.materials.order_by("uploaded_at")
        if not access.can_write_unit(request.user, meeting.unit):
            rows = rows.filter(removed_at__isnull=True)
        return Response(MaterialSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=MaterialSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="materials/<id:material_pk>/remove",
        url_name="material-remove",
    )
    def material_remove(self, request, pk=None, material_pk=None):
        meeting = self.get_object()
        material = meeting.materials.filter(pk=material_pk).first()
        if material is None:
            raise NotFound
        services.material_remove(acting_user=request.user, material=material)
        return Response(MaterialSerializer(material).data)


class ShareHeldRowSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    level = serializers.CharField()
    planned = serializers.IntegerField()
    held = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Per cent held, one decimal.")


class ShareHeldView(APIView):
    """Per unit and level: planned meetings (non-cancelled calendar entries in the period) and
    how many were held."""

    @extend_schema(parameters=SEARCH_PARAMETERS[:4], responses=ShareHeldRowSerializer(many=True))
    def get(self, request):
        rows = selectors.share_held(request.user, criteria_from(request))
        return Response(ShareHeldRowSerializer(rows, many=True).data)


router = SimpleRouter()
router.register("records", MeetingViewSet, basename="meetings-record")

urlpatterns = [
    path("archive/share-held/", ShareHeldView.as_view(), name="api-meetings-share-held"),
    path("", include(router.urls)),
]
