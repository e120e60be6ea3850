"""The district's scorecard (百分卡)."""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied

from activity.access import can_edit_scorecard, can_read_scorecard
from activity.models import (
    Scorecard,
)
from org.models import Unit, UnitKind


class ScorecardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scorecard
        fields = [
            "district",
            "new_prospect",
            "first_visit",
            "follow_up_visit",
            "closing_visit",
            "service_visit",
            "recruiting_talk",
            "policy_closed",
            "weekly_target",
        ]
        read_only_fields = ["district"]


class ScorecardViewSet(mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The district's scorecard (百分卡); `id` is the district's id."""

    serializer_class = ScorecardSerializer
    queryset = Scorecard.objects.none()

    def get_object(self):
        district = get_object_or_404(Unit, kind=UnitKind.DISTRICT, pk=self.kwargs["pk"])
        if not can_read_scorecard(self.request.user, district):
            raise NotFound
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not can_edit_scorecard(
            self.request.user, district
        ):
            raise PermissionDenied
        scorecard = Scorecard.for_district(district.pk)
        if scorecard.pk is None and self.request.method != "GET":
            scorecard.save()
        return scorecard
