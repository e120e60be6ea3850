"""API of the district's function groups (功能组) under /api/v1/meetings/: groups, members and
their duties, training sessions and peer review sessions, through the same services as the pages.
Staff whose scope covers the district, the leader and the members read; PLAN_MEETINGS over the
district writes."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api import SimpleRouter
from core.versioning import VersionedAPIMixin
from meetings.models import (
    FunctionGroup,
    FunctionGroupMember,
    PeerReview,
    TrainingMaterial,
    TrainingSession,
)
from meetings.selectors import groups as selectors
from meetings.services import groups as services
from org.models import Unit


class MemberSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = FunctionGroupMember
        fields = [
            "id",
            "function_group",
            "user",
            "user_name",
            "duties",
            "joined_on",
            "left_on",
            "version",
        ]


class TrainingMaterialSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = TrainingMaterial
        fields = ["id", "training", "original_name", "size", "uploaded_by", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("meetings:function_group_material", args=[obj.pk])


class TrainingMaterialInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class TrainingSerializer(serializers.ModelSerializer):
    trainer_name = serializers.CharField(source="trainer.__str__", read_only=True)
    materials = TrainingMaterialSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "function_group",
            "date",
            "content",
            "trainer",
            "trainer_name",
            "attendees",
            "materials",
            "recorded_by",
            "created_at",
            "version",
        ]


class PeerReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PeerReview
        fields = [
            "id",
            "function_group",
            "date",
            "meetings",
            "participants",
            "conclusions",
            "follow_up_actions",
            "recorded_by",
            "created_at",
            "version",
        ]


class FunctionGroupSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    leader_name = serializers.CharField(source="leader.__str__", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    training_count = serializers.IntegerField(read_only=True)
    review_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = FunctionGroup
        fields = [
            "id",
            "district",
            "district_name",
            "name",
            "purpose",
            "leader",
            "leader_name",
            "created_at",
            "closed_on",
            "version",
            "member_count",
            "training_count",
            "review_count",
        ]


class FunctionGroupDetailSerializer(FunctionGroupSerializer):
    members = MemberSerializer(many=True, read_only=True)
    trainings = TrainingSerializer(many=True, read_only=True)
    peer_reviews = PeerReviewSerializer(many=True, read_only=True)

    class Meta(FunctionGroupSerializer.Meta):
        fields = [*FunctionGroupSerializer.Meta.fields, "members", "trainings", "peer_reviews"]


class GroupInputSerializer(serializers.Serializer):
    district = serializers.IntegerField(required=False, help_text="on create only")
    name = serializers.CharField(max_length=100)
    purpose = serializers.CharField(required=False, allow_blank=True)
    leader = serializers.IntegerField(help_text="a district manager or trainer of the district")
    closed_on = serializers.DateField(required=False, allow_null=True)


class MemberInputSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    duties = serializers.CharField(max_length=200, required=False, allow_blank=True)
    joined_on = serializers.DateField(required=False)


class DutiesInputSerializer(serializers.Serializer):
    duties = serializers.CharField(max_length=200, allow_blank=True)


class LeaveInputSerializer(serializers.Serializer):
    left_on = serializers.DateField(required=False)


class TrainingInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    content = serializers.CharField()
    trainer = serializers.IntegerField()
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False)


class PeerReviewInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    conclusions = serializers.CharField()
    follow_up_actions = serializers.CharField(required=False, allow_blank=True)
    participants = serializers.ListField(child=serializers.IntegerField(), required=False)
    meetings = serializers.ListField(child=serializers.IntegerField(), required=False)


def _user(pk):
    return get_object_or_404(get_user_model(), pk=pk)


def _users(pks):
    pks = set(pks or [])
    users = list(get_user_model().objects.filter(pk__in=pks))
    if len(users) != len(pks):
        raise serializers.ValidationError({"users": "unknown user"})
    return users


def _meetings(group, pks):
    pks = set(pks or [])
    meetings = list(selectors.reviewable_meetings(group.district).filter(pk__in=pks))
    if len(meetings) != len(pks):
        raise serializers.ValidationError({"meetings": "not a meeting of this district"})
    return meetings


def _training_save(request, group, training=None, base_version=None):
    """Create (no `training`) or replace a training session from the request body."""
    data = TrainingInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    return services.training_save(
        acting_user=request.user,
        group=group,
        training=training,
        day=values["date"],
        content=values["content"],
        trainer=_user(values["trainer"]),
        attendees=_users(values.get("attendees")),
        base_version=base_version,
    )


def _peer_review_save(request, group, review=None, base_version=None):
    """Create (no `review`) or replace a peer review session from the request body."""
    data = PeerReviewInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    values = data.validated_data
    return services.peer_review_save(
        acting_user=request.user,
        group=group,
        review=review,
        day=values["date"],
        conclusions=values["conclusions"],
        follow_up_actions=values.get("follow_up_actions", ""),
        participants=_users(values.get("participants")),
        meetings=_meetings(group, values.get("meetings")),
        base_version=base_version,
    )


class FunctionGroupViewSet(
    VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Function groups; a change carries the version it was based on (`If-Match` or
    `version`): 409 when stale."""

    serializer_class = FunctionGroupSerializer
    queryset = FunctionGroup.objects.none()

    def get_serializer_class(self):
        return (
            FunctionGroupDetailSerializer if self.action == "retrieve" else FunctionGroupSerializer
        )

    def get_queryset(self):
        groups = selectors.function_group_list(self.request.user)
        if self.action == "retrieve":
            groups = groups.prefetch_related(
                "members__user",
                "trainings__trainer",
                "trainings__attendees",
                "trainings__materials",
                "peer_reviews__participants",
                "peer_reviews__meetings",
            )
        return groups

    def version_output(self, instance) -> dict:
        return self._detail(instance)

    def _detail(self, group):
        return FunctionGroupDetailSerializer(
            selectors.function_group_list(self.request.user).get(pk=group.pk)
        ).data

    @extend_schema(request=GroupInputSerializer, responses=FunctionGroupSerializer)
    def create(self, request):
        data = GroupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        district = get_object_or_404(
            Unit.objects.visible_to(request.user), pk=values.get("district"), kind="district"
        )
        group = services.function_group_create(
            acting_user=request.user,
            district=district,
            name=values["name"],
            purpose=values.get("purpose", ""),
            leader=_user(values["leader"]),
        )
        return Response(self._detail(group), status=201)

    @extend_schema(request=GroupInputSerializer, responses=FunctionGroupSerializer)
    def update(self, request, pk=None):
        group = self.get_object()
        base_version = self.base_version(request)
        data = GroupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        group = services.function_group_update(
            acting_user=request.user,
            group=group,
            name=values["name"],
            purpose=values.get("purpose", ""),
            leader=_user(values["leader"]),
            closed_on=values.get("closed_on"),
            base_version=base_version,
        )
        return Response(self._detail(group))

    @extend_schema(request=MemberInputSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """Add a member with their duties (分工)."""
        group = self.get_object()
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_add(
            acting_user=request.user,
            group=group,
            user=_user(data.validated_data["user"]),
            duties=data.validated_data.get("duties", ""),
            joined_on=data.validated_data.get("joined_on"),
        )
        return Response(MemberSerializer(member).data, status=201)

    @extend_schema(request=TrainingInputSerializer, responses=TrainingSerializer)
    @action(detail=True, methods=["post"])
    def trainings(self, request, pk=None):
        training = _training_save(request, self.get_object())
        return Response(TrainingSerializer(training).data, status=201)

    @extend_schema(request=PeerReviewInputSerializer, responses=PeerReviewSerializer)
    @action(detail=True, methods=["post"], url_path="peer-reviews")
    def peer_reviews(self, request, pk=None):
        review = _peer_review_save(request, self.get_object())
        return Response(PeerReviewSerializer(review).data, status=201)


class FunctionGroupMemberViewSet(
    VersionedAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A member: change their duties, or record that they left (the row stays)."""

    versioned_actions = ("update", "partial_update", "remove")  # they call base_version

    serializer_class = MemberSerializer
    queryset = FunctionGroupMember.objects.none()

    def get_queryset(self):
        return FunctionGroupMember.objects.filter(
            function_group__in=selectors.function_groups_visible_to(self.request.user)
        ).select_related("user")

    @extend_schema(request=DutiesInputSerializer, responses=MemberSerializer)
    def partial_update(self, request, pk=None):
        member = self.get_object()
        base_version = self.base_version(request)
        data = DutiesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_set_duties(
            acting_user=request.user,
            member=member,
            duties=data.validated_data["duties"],
            base_version=base_version,
        )
        return Response(MemberSerializer(member).data)

    @extend_schema(request=LeaveInputSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        member = self.get_object()
        base_version = self.base_version(request)
        data = LeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_remove(
            acting_user=request.user,
            member=member,
            left_on=data.validated_data.get("left_on"),
            base_version=base_version,
        )
        return Response(MemberSerializer(member).data)


class TrainingSessionViewSet(VersionedAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TrainingSerializer
    queryset = TrainingSession.objects.none()

    def get_queryset(self):
        return (
            TrainingSession.objects.filter(
                function_group__in=selectors.function_groups_visible_to(self.request.user)
            )
            .select_related("function_group__district", "trainer")
            .prefetch_related("attendees")
        )

    @extend_schema(request=TrainingInputSerializer, responses=TrainingSerializer)
    def update(self, request, pk=None):
        training = self.get_object()
        training = _training_save(
            request, training.function_group, training, self.base_version(request)
        )
        return Response(TrainingSerializer(training).data)

    @extend_schema(request=TrainingMaterialInputSerializer, responses=TrainingMaterialSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def materials(self, request, pk=None):
        """Attach a file (multipart, field `file`; PDF, Office, images or text, ≤ 10 MB)."""
        training = self.get_object()
        data = TrainingMaterialInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        material = services.training_material_add(
            acting_user=request.user, training=training, file=data.validated_data["file"]
        )
        return Response(TrainingMaterialSerializer(material).data, status=201)


class TrainingMaterialViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A training material's metadata; `remove` takes it off the session (the row stays)."""

    serializer_class = TrainingMaterialSerializer
    queryset = TrainingMaterial.objects.none()

    def get_queryset(self):
        return TrainingMaterial.objects.filter(
            training__function_group__in=selectors.function_groups_visible_to(self.request.user)
        )

    @extend_schema(request=None, responses=TrainingMaterialSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        material = services.training_material_remove(
            acting_user=request.user, material=self.get_object()
        )
        return Response(TrainingMaterialSerializer(material).data)


class PeerReviewViewSet(VersionedAPIMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PeerReviewSerializer
    queryset = PeerReview.objects.none()

    def get_queryset(self):
        return (
            PeerReview.objects.filter(
                function_group__in=selectors.function_groups_visible_to(self.request.user)
            )
            .select_related("function_group__district")
            .prefetch_related("participants", "meetings")
        )

    @extend_schema(request=PeerReviewInputSerializer, responses=PeerReviewSerializer)
    def update(self, request, pk=None):
        review = self.get_object()
        review = _peer_review_save(
            request, review.function_group, review, self.base_version(request)
        )
        return Response(PeerReviewSerializer(review).data)


router = SimpleRouter()
router.register("function-groups", FunctionGroupViewSet, basename="meetings-function-group")
router.register(
    "function-group-members", FunctionGroupMemberViewSet, basename="meetings-function-group-member"
)
router.register("trainings", TrainingSessionViewSet, basename="meetings-training")
router.register(
    "training-materials", TrainingMaterialViewSet, basename="meetings-training-material"
)
router.register("peer-reviews", PeerReviewViewSet, basename="meetings-peer-review")

urlpatterns = router.urls
