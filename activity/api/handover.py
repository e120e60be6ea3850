"""§6.4 card handover."""

from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from activity.models import (
    CardHandover,
)
from activity.selectors.handover import CAPS, can_hand_over
from activity.services.handover import cards_hand_over


class CardHandoverSerializer(serializers.ModelSerializer):
    from_agent_name = serializers.CharField(source="from_agent.name", read_only=True)
    to_agent_name = serializers.CharField(source="to_agent.name", read_only=True)

    class Meta:
        model = CardHandover
        fields = [
            "id",
            "from_agent",
            "from_agent_name",
            "to_agent",
            "to_agent_name",
            "prospect_cards",
            "recruit_cards",
            "handed_over_by",
            "handed_over_at",
        ]
        read_only_fields = ["prospect_cards", "recruit_cards", "handed_over_by", "handed_over_at"]


class CardHandoverViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Hand a resigned agent's cards to an active agent of the same department. Counts only:
    the cards' details stay with their (new) owner."""

    serializer_class = CardHandoverSerializer
    queryset = CardHandover.objects.none()

    def get_queryset(self):
        return CardHandover.objects.with_cap(self.request.user, *CAPS).select_related(
            "from_agent", "to_agent"
        )

    def create(self, request, *args, **kwargs):
        data = CardHandoverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        from_agent = data.validated_data["from_agent"]
        if not can_hand_over(request.user, from_agent):
            raise NotFound
        done = cards_hand_over(
            acting_user=request.user,
            from_agent=from_agent,
            to_agent=data.validated_data["to_agent"],
        )
        return Response(CardHandoverSerializer(done).data, status=201)
