"""API of execution flow templates (附件1) under /api/v1/meetings/: templates visible to the
caller, versions with their nested sections and items, copy, drafts, content and publishing,
through the same services and access rules as the pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import SimpleRouter
from core.paperforms.api import PaperFormActions
from core.versioning import VersionedAPIMixin
from meetings.access import can_write_unit
from meetings.models import (
    FlowItem,
    FlowSection,
    FlowTemplate,
    FlowTemplateVersion,
    MeetingLevel,
)
from meetings.paperforms import execution_flow
from meetings.selectors import templates as selectors
from meetings.services import templates as services
from org.models import Unit


class FlowItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FlowItem
        fields = ["id", "order", "title", "required", "planned_minutes"]


class FlowSectionSerializer(serializers.ModelSerializer):
    items = FlowItemSerializer(many=True, read_only=True)

    class Meta:
        model = FlowSection
        fields = ["id", "order", "title", "items"]


class VersionSummarySerializer(serializers.ModelSerializer):
    created_by_name = serializers.CharField(source="created_by.__str__", read_only=True)
    is_draft = serializers.SerializerMethodField()

    class Meta:
        model = FlowTemplateVersion
        fields = [
            "id",
            "template",
            "number",
            "note",
            "created_by",
            "created_by_name",
            "created_at",
            "published_at",
            "is_draft",
            "version",
        ]

    def get_is_draft(self, obj) -> bool:
        return obj.published_at is None


class VersionSerializer(VersionSummarySerializer):
    sections = FlowSectionSerializer(many=True, read_only=True)
    template_name = serializers.CharField(source="template.name", read_only=True)
    unit = serializers.IntegerField(source="template.unit_id", read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "template_name", "unit", "sections"]


class TemplateSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    published_version = serializers.IntegerField(
        source="published_id", read_only=True, allow_null=True, help_text="id of the version in use"
    )
    published_number = serializers.IntegerField(read_only=True, allow_null=True)
    draft_version = serializers.IntegerField(
        source="draft_id", read_only=True, allow_null=True, help_text="id of the open draft"
    )

    class Meta:
        model = FlowTemplate
        fields = [
            "id",
            "unit",
            "unit_name",
            "name",
            "level",
            "is_default",
            "copied_from",
            "created_at",
            "archived_at",
            "published_version",
            "published_number",
            "draft_version",
        ]


class TemplateDetailSerializer(TemplateSerializer):
    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "versions"]


class ItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    required = serializers.BooleanField(default=True)
    planned_minutes = serializers.IntegerField(min_value=0, max_value=services.MAX_MINUTES)


class SectionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    items = ItemInputSerializer(many=True)


class ContentInputSerializer(serializers.Serializer):
    sections = SectionInputSerializer(many=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CopyInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="the unit that will own the copy")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=MeetingLevel.choices, required=False)


class DraftInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DefaultInputSerializer(serializers.Serializer):
    district = serializers.IntegerField()


def _readable_version(user, pk) -> FlowTemplateVersion:
    version = get_object_or_404(
        FlowTemplateVersion.objects.filter(
            template__in=selectors.readable_templates(user)
        ).select_related("template__unit"),
        pk=pk,
    )
    return version


class FlowTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Execution flow templates the caller may read: their units' and the units' above them."""

    serializer_class = TemplateSerializer
    queryset = FlowTemplate.objects.none()

    def get_serializer_class(self):
        return TemplateDetailSerializer if self.action == "retrieve" else TemplateSerializer

    def get_queryset(self):
        templates = selectors.templates_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("unit", "").isdigit():
            templates = templates.filter(unit_id=params["unit"])
        if params.get("level"):
            templates = templates.filter(level=params["level"])
        if params.get("archived") != "1":
            templates = templates.filter(archived_at__isnull=True)
        if self.action == "retrieve":
            templates = templates.prefetch_related("versions__created_by")
        return templates

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="unit id"),
            OpenApiParameter("level", str, description="meeting level"),
            OpenApiParameter("archived", str, description="1 to include archived templates"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DraftInputSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def drafts(self, request, pk=None):
        """Open a new draft version from the latest version."""
        template = self.get_object()
        data = DraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.version_create_draft(
            acting_user=request.user, template=template, note=data.validated_data.get("note", "")
        )
        return Response(
            VersionSerializer(selectors.version_with_content(draft.pk)).data, status=201
        )

    @extend_schema(request=DefaultInputSerializer, responses=TemplateSerializer)
    @action(detail=False, methods=["post"])
    def default(self, request):
        """Create (or return) the district's default template, 附件1."""
        data = DefaultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        district = get_object_or_404(
            Unit.objects.visible_to(request.user),
            pk=data.validated_data["district"],
            kind="district",
        )
        if not can_write_unit(request.user, district):
            raise PermissionDenied
        template = services.default_flow_template(district=district, acting_user=request.user)
        return Response(
            TemplateSerializer(
                selectors.templates_visible_to(request.user).get(pk=template.pk)
            ).data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True, description="unit id"),
            OpenApiParameter("level", str, required=True, description="meeting level"),
        ],
        responses=VersionSummarySerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def usable(self, request):
        """The latest published versions a unit may use for a level of meetings."""
        params = request.query_params
        if not params.get("unit", "").isdigit() or params.get("level") not in MeetingLevel.values:
            raise serializers.ValidationError({"unit": "unit and level are required"})
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=params["unit"])
        versions = selectors.versions_for(unit, params["level"]).select_related("created_by")
        return Response(VersionSummarySerializer(versions, many=True).data)


class FlowTemplateVersionViewSet(
    VersionedAPIMixin, PaperFormActions, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A template version with its sections and items. Drafts are edited (`content`) and
    published (`publish`); published versions never change. Both carry the draft's `version`
    they were based on (`If-Match` or `version`): 409 when stale. …/pdf/ and …/xlsx/ give it
    as the 附件1 form."""

    versioned_actions = ("update", "partial_update", "content", "publish")  # they call base_version

    serializer_class = VersionSerializer
    queryset = FlowTemplateVersion.objects.none()

    def get_object(self):
        version = _readable_version(self.request.user, self.kwargs["pk"])
        return selectors.version_with_content(version.pk)

    def version_output(self, instance) -> dict:
        return VersionSerializer(selectors.version_with_content(instance.pk)).data

    def paper_form(self, version):
        return execution_flow(version)

    @extend_schema(request=ContentInputSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["put"])
    def content(self, request, pk=None):
        """Replace the draft's sections and items (in the order given)."""
        version = self.get_object()
        base_version = self.base_version(request)
        data = ContentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.version_update_content(
            acting_user=request.user,
            version=version,
            sections=data.validated_data["sections"],
            note=data.validated_data.get("note"),
            base_version=base_version,
        )
        return Response(VersionSerializer(selectors.version_with_content(version.pk)).data)

    @extend_schema(request=None, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        version = self.get_object()
        services.version_publish(
            acting_user=request.user, version=version, base_version=self.base_version(request)
        )
        return Response(VersionSerializer(selectors.version_with_content(version.pk)).data)

    @extend_schema(request=CopyInputSerializer, responses=TemplateDetailSerializer)
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """Copy this version into a new template of a unit, as a draft to adapt."""
        version = self.get_object()
        data = CopyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = get_object_or_404(
            Unit.objects.visible_to(request.user), pk=data.validated_data["unit"]
        )
        template = services.template_copy(
            acting_user=request.user,
            source=version,
            unit=unit,
            name=data.validated_data.get("name", ""),
            level=data.validated_data.get("level"),
        )
        detail = (
            selectors.templates_visible_to(request.user)
            .prefetch_related("versions__created_by")
            .get(pk=template.pk)
        )
        return Response(TemplateDetailSerializer(detail).data, status=201)


router = SimpleRouter()
router.register("templates", FlowTemplateViewSet, basename="meetings-template")
router.register(
    "template-versions", FlowTemplateVersionViewSet, basename="meetings-template-version"
)

urlpatterns = router.urls
