"""Improvement measures API."""

from django.core.exceptions import PermissionDenied
from rest_framework import mixins, serializers, viewsets

from attendance import access
from attendance.api.common import _enum
from attendance.models import (
    ImprovementMeasure,
    MeasureStatus,
)
from attendance.selectors import measures as reads
from attendance.services import measures as services
from core.versioning import VersionedAPIMixin

MeasureStatusField = _enum(MeasureStatus.values)


# -- improvement measures ------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    status = MeasureStatusField(required=False)
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"], format="%Y-%m")

    class Meta:
        model = ImprovementMeasure
        fields = [
            "id", "district", "department", "month", "measure", "owner", "due_date", "status",
            "follow_up", "created_at", "version",
        ]  # fmt: skip
        read_only_fields = ["id", "district", "created_at", "version"]


class MeasureViewSet(
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """改善举措 of the departments in scope; written by the department's and district's staff."""

    serializer_class = MeasureSerializer
    filterset_fields = ["department", "status"]

    def get_queryset(self):
        return reads.visible_measures(self.request.user).order_by("-month", "id")

    def get_object(self):
        measure = reads.get_measure_for_user(self.request.user, self.kwargs["pk"])
        # An edit by someone who may only read it: 403 before its body or version is looked at.
        if self.action in self.versioned_actions and not access.can_write_measures(
            self.request.user, measure.department
        ):
            raise PermissionDenied
        return measure

    def perform_create(self, serializer):
        values = dict(serializer.validated_data)
        department = values.pop("department")
        serializer.instance = services.measure_save(
            acting_user=self.request.user, department=department, values=values
        )

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        department = values.pop("department", serializer.instance.department)
        serializer.instance = services.measure_save(
            acting_user=self.request.user,
            department=department,
            values=values,
            measure=serializer.instance,
            base_version=self.base_version(self.request),
        )
