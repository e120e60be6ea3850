"""The district's scorecard (百分卡)."""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied

from activity.access import can_edit_scorecard, can_read_scorecard
from activity.models import (
    Scorecard,
)
from activity.services.scorecard import SCORECARD_FIELDS, scorecard_save
from core.versioning import VersionedAPIMixin
from org.models import Unit, UnitKind


class ScorecardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scorecard
        fields = ["district", *SCORECARD_FIELDS, "version"]
        read_only_fields = ["district", "version"]


class ScorecardViewSet(
    VersionedAPIMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The district's scorecard (百分卡); `id` is the district's id. Edits carry the version
    they were based on (`If-Match` or `version`): 409 when stale."""

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
        if scorecard.pk is None:
            scorecard.version = 0  # the defaults, before anyone saved the district's scorecard
        return scorecard

    def perform_update(self, serializer):
        serializer.instance = scorecard_save(
            acting_user=self.request.user,
            district=serializer.instance.district,
            values=serializer.validated_data,
            base_version=self.base_version(self.request),
        )
