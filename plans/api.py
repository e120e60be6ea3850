"""REST API for documents and their versions: the same services, access rules and messages as
the pages. 403 not allowed, 404 outside scope, 409 when the state moved on, 400 bad input."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from approvals import services as approvals
from approvals.api import ApprovalDecisionSerializer, ApprovalReturnSerializer, decision_data
from approvals.models import ApprovalRequest, Decision
from core.params import int_param
from core.versioning import VersionedAPIMixin
from org.models import Unit
from plans import selectors, services
from plans.access import get_document_for_user, get_version_for_user
from plans.models import Attachment, Document, DocumentKind, DocumentVersion, PeriodType

# -- serializers -------------------------------------------------------------------------------


class DocumentKindSerializer(serializers.ModelSerializer):
    unit_kind = serializers.CharField(read_only=True)
    default_period_type = serializers.CharField(read_only=True)

    class Meta:
        model = DocumentKind
        fields = ["id", "code", "name", "unit_kind", "default_period_type", "active"]


class DocumentAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "size", "url", "uploaded_at"]


class VersionApprovalSerializer(serializers.ModelSerializer):
    """The version's approval request; its id is what bulk approval takes."""

    state = serializers.CharField(read_only=True)
    current_role = serializers.CharField(read_only=True)
    total_steps = serializers.IntegerField(read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = ["id", "state", "step", "total_steps", "current_role", "current_unit"]


class DocumentVersionSummarySerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "title", "state", "state_display", "published_at", "created_at"]


class DocumentVersionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    attachments = DocumentAttachmentSerializer(many=True, read_only=True)
    approval = serializers.SerializerMethodField()
    created_by = serializers.StringRelatedField()
    published_by = serializers.StringRelatedField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "document",
            "number",
            "title",
            "body",
            "effective_date",
            "state",
            "state_display",
            "published_at",
            "published_by",
            "created_by",
            "created_at",
            "attachments",
            "approval",
            "version",
        ]

    @extend_schema_field(VersionApprovalSerializer(allow_null=True))
    def get_approval(self, version):
        request = approvals.request_for(version)
        return VersionApprovalSerializer(request).data if request else None


class DocumentSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_type = serializers.CharField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    latest_version = serializers.IntegerField(source="latest_version_id", read_only=True)
    latest_number = serializers.IntegerField(read_only=True)
    latest_state = serializers.CharField(read_only=True)
    targets_total = serializers.IntegerField(read_only=True)
    targets_acknowledged = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_name",
            "unit",
            "unit_name",
            "period_type",
            "period_start",
            "period_label",
            "title",
            "due_date",
            "latest_version",
            "latest_number",
            "latest_state",
            "targets_total",
            "targets_acknowledged",
            "created_at",
        ]


class DocumentDetailSerializer(serializers.ModelSerializer):
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period_type = serializers.CharField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    created_by = serializers.StringRelatedField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_name",
            "unit",
            "unit_name",
            "period_type",
            "period_start",
            "period_label",
            "title",
            "due_date",
            "created_by",
            "created_at",
            "versions",
        ]

    @extend_schema_field(DocumentVersionSummarySerializer(many=True))
    def get_versions(self, document):
        versions = selectors.document_versions(self.context["request"].user, document)
        return DocumentVersionSummarySerializer(versions, many=True).data


class DocumentCreateSerializer(serializers.Serializer):
    kind = serializers.PrimaryKeyRelatedField(queryset=DocumentKind.objects.all())
    unit = serializers.IntegerField()
    period_type = serializers.ChoiceField(
        choices=PeriodType.choices,
        required=False,
        help_text="Omit for the kind's default.",
    )
    period_start = serializers.DateField(help_text="Any day of the period.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    body = serializers.CharField(required=False, allow_blank=True)
    effective_date = serializers.DateField(required=False, allow_null=True)


class DocumentVersionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False, allow_blank=True, help_text="HTML; sanitized.")
    effective_date = serializers.DateField(required=False, allow_null=True)


class VersionCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class VersionAcknowledgeSerializer(VersionCommentSerializer):
    unit = serializers.IntegerField(
        required=False, allow_null=True, help_text="Omit for every unit you manage."
    )


class DocumentAttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class VersionTrailEntrySerializer(serializers.Serializer):
    action = serializers.CharField()
    action_display = serializers.CharField()
    step = serializers.IntegerField()
    actor = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class VersionAcknowledgementRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    acknowledged_by = serializers.CharField(source="user", allow_null=True)
    acknowledged_at = serializers.DateTimeField(source="at", allow_null=True)


class VersionAcknowledgementBoardSerializer(serializers.Serializer):
    acknowledged = serializers.IntegerField()
    total = serializers.IntegerField()
    units = VersionAcknowledgementRowSerializer(source="rows", many=True)


# -- views -------------------------------------------------------------------------------------


class DocumentKindViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentKindSerializer
    queryset = DocumentKind.objects.order_by("unit_kind", "name")
    pagination_class = None


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents the user may read; filters `unit` (its subtree), `kind` (id) and `period`
    ("2026", "2026-03" or "2026-Q1")."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        params = self.request.query_params
        unit = kind = None
        if params.get("unit"):
            unit = (
                Unit.objects.visible_to(self.request.user)
                .filter(pk=int_param(params, "unit"))
                .first()
            )
            if unit is None:
                return Document.objects.none()
        if params.get("kind"):
            kind = DocumentKind.objects.filter(pk=int_param(params, "kind")).first()
            if kind is None:
                return Document.objects.none()
        return selectors.document_list(
            self.request.user, unit=unit, kind=kind, period=params.get("period", "")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, description="A unit: its documents and its subtree's."),
            OpenApiParameter("kind", int, description="A document kind id."),
            OpenApiParameter("period", str, description='"2026", "2026-03" or "2026-Q1".'),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=DocumentDetailSerializer)
    def retrieve(self, request, pk=None):
        document = get_document_for_user(request.user, pk)
        return Response(DocumentDetailSerializer(document, context={"request": request}).data)

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentDetailSerializer})
    def create(self, request):
        data = DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = Unit.objects.visible_to(request.user).filter(pk=values.pop("unit")).first()
        if unit is None:
            raise serializers.ValidationError({"unit": ["No such unit."]})
        document = services.document_create(acting_user=request.user, unit=unit, **values)
        return Response(
            DocumentDetailSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class VersionViewSet(VersionedAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A version of a document and its flow: submit, approve, return, publish, acknowledge and
    start a new version; its approval trail and acknowledgement board."""

    serializer_class = DocumentVersionSerializer
    queryset = DocumentVersion.objects.none()
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_object(self):
        return get_version_for_user(self.request.user, self.kwargs["pk"])

    def _respond(self, version, code=status.HTTP_200_OK):
        version = get_version_for_user(self.request.user, version.pk)
        return Response(DocumentVersionSerializer(version).data, status=code)

    @extend_schema(request=DocumentVersionUpdateSerializer, responses=DocumentVersionSerializer)
    def partial_update(self, request, pk=None):
        version = get_version_for_user(request.user, pk, write=True)
        base_version = self.base_version(request)
        data = DocumentVersionUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.version_update(
            acting_user=request.user,
            version=version,
            base_version=base_version,
            **data.validated_data,
        )
        return self._respond(version)

    @extend_schema(request=VersionCommentSerializer, responses=DocumentVersionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        version = self.get_object()
        data = VersionCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.version_submit(acting_user=request.user, version=version, **data.validated_data)
        return self._respond(version)

    @extend_schema(request=ApprovalDecisionSerializer, responses=DocumentVersionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        version = self.get_object()
        data = decision_data(request, Decision.APPROVE, version)
        services.version_approve(
            acting_user=request.user,
            version=version,
            comment=data["comment"],
            expected_step=data["step"],
        )
        return self._respond(version)

    @extend_schema(request=ApprovalReturnSerializer, responses=DocumentVersionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        version = self.get_object()
        data = decision_data(request, Decision.RETURN, version)
        services.version_return(
            acting_user=request.user,
            version=version,
            comment=data["comment"],
            expected_step=data["step"],
        )
        return self._respond(version)

    @extend_schema(request=VersionCommentSerializer, responses=DocumentVersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        version = self.get_object()
        data = VersionCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.version_publish(acting_user=request.user, version=version, **data.validated_data)
        return self._respond(version)

    @extend_schema(
        request=VersionAcknowledgeSerializer, responses=VersionAcknowledgementBoardSerializer
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        version = self.get_object()
        data = VersionAcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit_id = data.validated_data.get("unit")
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        if unit_id and unit is None:
            raise serializers.ValidationError({"unit": ["No such unit."]})
        services.version_acknowledge(
            acting_user=request.user,
            version=version,
            unit=unit,
            comment=data.validated_data["comment"],
        )
        return Response(
            VersionAcknowledgementBoardSerializer(selectors.acknowledgement_board(version)).data
        )

    @extend_schema(request=None, responses={201: DocumentVersionSerializer})
    @action(detail=True, methods=["post"], url_path="new-version", url_name="new-version")
    def new_version(self, request, pk=None):
        version = get_version_for_user(request.user, pk, write=True)
        new = services.version_new(acting_user=request.user, document=version.document)
        return self._respond(new, status.HTTP_201_CREATED)

    @extend_schema(responses=VersionTrailEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def trail(self, request, pk=None):
        version = self.get_object()
        rows = selectors.approval_trail(approvals.request_for(version))
        rows = [
            {
                **row,
                "actor": str(row["actor"]),
                "action_display": str(row["action_display"]),
                "role_display": str(row["role_display"]),
            }
            for row in rows
        ]
        return Response(VersionTrailEntrySerializer(rows, many=True).data)

    @extend_schema(responses=VersionAcknowledgementBoardSerializer)
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request, pk=None):
        version = self.get_object()
        return Response(
            VersionAcknowledgementBoardSerializer(selectors.acknowledgement_board(version)).data
        )

    @extend_schema(
        request={"multipart/form-data": DocumentAttachmentUploadSerializer},
        responses={201: DocumentAttachmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        version = get_version_for_user(request.user, pk, write=True)
        data = DocumentAttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            acting_user=request.user, version=version, file=data.validated_data["file"]
        )
        return Response(
            DocumentAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
        )
