"""Feedback API under /api/v1/meetings/…: evaluation feedback (附件3) on a meeting and its
aggregates over the archive search — through the same services, selectors and access rules as the
pages."""

from django.db.models import Q
from django.urls import include, path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import SimpleRouter
from core.paperforms.api import PaperFormActions, paper_list_actions
from core.versioning import VersionedAPIMixin
from meetings import access
from meetings.api.records import SEARCH_PARAMETERS, criteria_from
from meetings.models import (
    FEEDBACK_TRAITS,
    Feedback,
    Meeting,
)
from meetings.paperforms import feedback_form, feedback_summary_for
from meetings.selectors import records as selectors
from meetings.services import records as services
from org.access import Cap, holds, scope_q


class FeedbackSerializer(serializers.ModelSerializer):
    respondent_name = serializers.CharField(source="respondent.__str__", read_only=True)
    editable = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "meeting",
            "respondent",
            "respondent_name",
            *FEEDBACK_TRAITS,
            "suggestions",
            "submitted_at",
            "editable",
            "version",
        ]
        read_only_fields = ["respondent", "submitted_at", "version"]

    def get_editable(self, feedback) -> bool:
        request = self.context.get("request")
        return bool(request) and selectors.feedback_editable(feedback, request.user)


class FeedbackInputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(help_text="Only on create.")
    well_prepared = serializers.BooleanField(default=False)
    motivating = serializers.BooleanField(default=False)
    substantive = serializers.BooleanField(default=False)
    fluent = serializers.BooleanField(default=False)
    suggestions = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FeedbackUpdateSerializer(FeedbackInputSerializer):
    meeting = None


SummarySerializer = inline_serializer(
    "FeedbackSummary",
    {
        "forms": serializers.IntegerField(),
        "meetings": serializers.IntegerField(),
        "counts": serializers.DictField(child=serializers.IntegerField()),
        "shares": serializers.DictField(child=serializers.FloatField(allow_null=True)),
    },
)


@extend_schema(
    parameters=[OpenApiParameter("meeting", int, description="One meeting's forms (required).")]
)
class FeedbackViewSet(
    VersionedAPIMixin,
    PaperFormActions,
    paper_list_actions("summary", "the meeting's feedback summary; ?meeting= required"),
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Feedback forms: staff over the meeting's unit see all forms of a meeting; others their
    own. The caller creates and (on the same day) changes their own form; a change carries the
    version it was based on (`If-Match` or `version`): 409 when stale."""

    serializer_class = FeedbackSerializer
    queryset = Feedback.objects.none()

    def get_queryset(self):
        user = self.request.user
        forms = Feedback.objects.select_related("respondent", "meeting__unit")
        if self.action == "list":
            meeting = self._meeting(self.request.query_params.get("meeting"))
            return selectors.visible_feedback(user, meeting).order_by("-submitted_at")
        # staff over the meeting's unit read every form; anyone else only their own
        staff = scope_q(user, Cap.VIEW_ORG, via="meeting__unit")
        readable = access.readable(forms, user, "meeting__unit")
        return readable.filter(Q(respondent=user) | staff)

    def paper_form(self, feedback):
        """The respondent's 附件3 form (…/pdf/, …/xlsx/)."""
        return feedback_form(feedback.meeting, feedback)

    def paper_list_form(self, request):
        """The meeting's summary (attachment 3) over the forms the caller may read:
        …/summary/pdf/ and …/summary/xlsx/."""
        meeting = self._meeting(request.query_params.get("meeting"))
        return feedback_summary_for(request.user, meeting)

    def _meeting(self, value):
        if not value or not str(value).isdigit():
            raise serializers.ValidationError({"meeting": "required"})
        return access.get_readable(Meeting.objects.select_related("unit"), self.request.user, value)

    @extend_schema(request=FeedbackInputSerializer, responses={201: FeedbackSerializer})
    def create(self, request, *args, **kwargs):
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = self._meeting(data.validated_data["meeting"])
        feedback = services.feedback_submit(
            acting_user=request.user, meeting=meeting, data=data.validated_data
        )
        return Response(
            FeedbackSerializer(feedback, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=FeedbackUpdateSerializer, responses=FeedbackSerializer)
    def update(self, request, *args, **kwargs):
        feedback = self.get_object()
        base_version = self.base_version(request)
        partial = kwargs.get("partial", False)
        data = FeedbackUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {name: getattr(feedback, name) for name in [*FEEDBACK_TRAITS, "suggestions"]}
        values.update(data.validated_data)
        feedback = services.feedback_update(
            acting_user=request.user, feedback=feedback, data=values, base_version=base_version
        )
        return Response(FeedbackSerializer(feedback, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("meeting", int, required=True)],
        responses=SummarySerializer,
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        """Share of forms ticking each trait for one meeting (any reader of the meeting)."""
        meeting = self._meeting(request.query_params.get("meeting"))
        return Response(selectors.feedback_summary(Meeting.objects.filter(pk=meeting.pk)))


class FeedbackAggregatesView(APIView):
    """Feedback per speaker or per month over the archive search (staff only)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=["speaker", "month"], required=True),
            *SEARCH_PARAMETERS,
        ],
        responses=inline_serializer(
            "FeedbackAggregates",
            {
                "total": SummarySerializer,
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        if not holds(request.user, Cap.VIEW_ORG):
            raise PermissionDenied
        by = request.query_params.get("by")
        if by not in ("speaker", "month"):
            raise serializers.ValidationError({"by": "speaker or month"})
        meetings = selectors.archive_filter(request.user, criteria_from(request))
        rows = (
            selectors.feedback_by_speaker(meetings)
            if by == "speaker"
            else selectors.feedback_by_month(meetings)
        )
        keep = ["speaker", "month", "meetings", "forms", "counts", "shares"]
        return Response(
            {
                "total": selectors.feedback_summary(meetings),
                "rows": [{key: row[key] for key in keep if key in row} for row in rows],
            }
        )


router = SimpleRouter()
router.register("feedback", FeedbackViewSet, basename="meetings-feedback")

urlpatterns = [
    path(
        "feedback/aggregates/",
        FeedbackAggregatesView.as_view(),
        name="api-meetings-feedback-aggregates",
    ),
    path("", include(router.urls)),
]
