"""Prospect and recruitment cards: the caller's own only; counts per agent and stage (managers)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from activity.api.common import _own_agent
from activity.models import (
    CardSource,
    ProspectCard,
    ProspectStage,
    RecruitCard,
    RecruitStage,
)
from activity.selectors.cards import card_counts
from activity.services.cards import card_update
from core.versioning import VersionedAPIMixin
from org import access
from org.access import Cap
from org.models import Agent

CARD_FIELDS = [
    "name",
    "contact",
    "source",
    "stage",
    "next_contact_on",
    "last_contact_on",
    "notes",
]


class ProspectCardSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(default="new", help_text=", ".join(ProspectStage.values))
    source = serializers.CharField(default="relatives", help_text=", ".join(CardSource.values))

    class Meta:
        model = ProspectCard
        fields = ["id", *CARD_FIELDS, "version"]
        read_only_fields = ["version"]

    def validate_stage(self, value):
        if value not in ProspectStage.values:
            raise serializers.ValidationError(_("Not a valid stage."))
        return value

    def validate_source(self, value):
        if value not in CardSource.values:
            raise serializers.ValidationError(_("Not a valid source."))
        return value


class RecruitCardSerializer(ProspectCardSerializer):
    stage = serializers.CharField(default="new", help_text=", ".join(RecruitStage.values))

    class Meta(ProspectCardSerializer.Meta):
        model = RecruitCard

    def validate_stage(self, value):
        if value not in RecruitStage.values:
            raise serializers.ValidationError(_("Not a valid stage."))
        return value


class _OwnCards(
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own cards only: nobody else, whatever their role, sees their details.
    Edits carry the version they were based on (`If-Match` or `version`): 409 when stale."""

    model = ProspectCard

    def get_queryset(self):
        return self.model.objects.owned_by(self.request.user).order_by("pk")

    def perform_create(self, serializer):
        serializer.save(agent_id=_own_agent(self.request.user))

    def perform_update(self, serializer):
        serializer.instance = card_update(
            acting_user=self.request.user,
            card=serializer.instance,
            values=serializer.validated_data,
            base_version=self.base_version(self.request),
        )


class ProspectCardViewSet(_OwnCards):
    serializer_class = ProspectCardSerializer
    queryset = ProspectCard.objects.none()
    model = ProspectCard


class RecruitCardViewSet(_OwnCards):
    serializer_class = RecruitCardSerializer
    queryset = RecruitCard.objects.none()
    model = RecruitCard


class CardCountsView(APIView):
    """Counts of cards per agent and stage for the agents the caller may see (no details)."""

    @extend_schema(
        responses=inline_serializer(
            "ActivityCardCounts",
            {
                "thresholds": serializers.DictField(child=serializers.IntegerField()),
                "agents": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        if not access.holds(request.user, Cap.VIEW_ORG):
            raise PermissionDenied
        data = card_counts(Agent.objects.visible_to(request.user).exclude(status="resigned"))
        return Response(
            {
                "thresholds": {str(t): n for t, n in data["thresholds"]},
                "agents": [
                    {
                        "agent": agent.pk,
                        "agent_name": agent.name,
                        "live_prospects": data["live"].get(agent.pk, 0),
                        **{
                            kind: block["counts"].get(agent.pk, {})
                            for kind, block in data["kinds"].items()
                        },
                    }
                    for agent in data["agents"]
                ],
            }
        )
