"""附件5 weekly activity checks."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from activity.models import (
    WeeklyCheck,
)
from activity.paperforms import weekly_check_form
from activity.selectors.weekly_checks import STATUS_FIELDS, figures_of
from activity.services.weekly_checks import weekly_check_comment, weekly_check_save
from core.paperforms.api import PaperFormActions
from core.versioning import VersionedAPIMixin
from org.models import Unit, UnitKind


class WeeklyCheckSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    checked_by_name = serializers.CharField(source="checked_by", read_only=True, default=None)

    class Meta:
        model = WeeklyCheck
        fields = [
            "id",
            "department",
            "department_name",
            "week_start",
            "state",
            *STATUS_FIELDS,
            "submitted_at",
            "comment",
            "checked_by",
            "checked_by_name",
            "checked_at",
            "version",
        ]
        read_only_fields = fields


class WeeklyCheckDetailSerializer(WeeklyCheckSerializer):
    figures = serializers.SerializerMethodField()
    frozen = serializers.SerializerMethodField()

    class Meta(WeeklyCheckSerializer.Meta):
        fields = [*WeeklyCheckSerializer.Meta.fields, "frozen", "figures"]
        read_only_fields = fields

    def _figures(self, obj):
        if not hasattr(obj, "_figures"):
            obj._figures = figures_of(obj)
        return obj._figures

    @extend_schema_field(serializers.DictField())
    def get_figures(self, obj):
        return self._figures(obj)[0]

    @extend_schema_field(serializers.BooleanField())
    def get_frozen(self, obj):
        return self._figures(obj)[1]


class WeeklyCheckFillSerializer(serializers.Serializer):
    department = serializers.IntegerField()
    week_start = serializers.DateField(help_text="The Monday of the week.")
    morning_meeting = serializers.CharField(required=False, allow_blank=True)
    second_meeting = serializers.CharField(required=False, allow_blank=True)
    work_element_table = serializers.CharField(required=False, allow_blank=True)
    evening_meeting = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(default=False)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


@extend_schema(
    parameters=[
        OpenApiParameter("week", str, description="Monday of the week (YYYY-MM-DD)."),
        OpenApiParameter("department", int),
        OpenApiParameter("state", str, description="draft, submitted, checked"),
    ]
)
class WeeklyCheckViewSet(
    VersionedAPIMixin,
    PaperFormActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Weekly activity checks (附件5) of the departments the caller sees. `POST` fills (creates or
    changes the draft, `submit` freezes the figures); `comment` is the district's check. A change
    of a draft carries the version it was based on (`If-Match` or `version`): 409 when stale.
    …/pdf/ and …/xlsx/ give the record as the 附件5 form."""

    versioned_actions = ("update", "partial_update", "submit")  # they call base_version

    serializer_class = WeeklyCheckSerializer
    queryset = WeeklyCheck.objects.none()

    def paper_form(self, check):
        return weekly_check_form(check, *figures_of(check))

    def get_serializer_class(self):
        return WeeklyCheckDetailSerializer if self.action == "retrieve" else WeeklyCheckSerializer

    def get_queryset(self):
        checks_ = WeeklyCheck.objects.visible_to(self.request.user).select_related(
            "department", "checked_by"
        )
        params = self.request.query_params
        if params.get("week"):
            try:
                checks_ = checks_.filter(week_start=date.fromisoformat(params["week"]))
            except ValueError:
                raise serializers.ValidationError({"week": _("Not a valid date.")}) from None
        if params.get("department", "").isdigit():
            checks_ = checks_.filter(department_id=params["department"])
        if params.get("state"):
            checks_ = checks_.filter(state=params["state"])
        return checks_.order_by("-week_start", "department__path")

    @extend_schema(request=WeeklyCheckFillSerializer, responses=WeeklyCheckDetailSerializer)
    def create(self, request):
        data = WeeklyCheckFillSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        department = get_object_or_404(
            Unit.objects.visible_to(request.user),
            pk=values.pop("department"),
            kind=UnitKind.DEPARTMENT,
        )
        check = weekly_check_save(
            acting_user=request.user,
            department=department,
            week_start=values.pop("week_start"),
            data=values,
            submit=values.pop("submit"),
            base_version=self.upsert_base_version(request),
        )
        return Response(WeeklyCheckDetailSerializer(check).data)

    @extend_schema(request=None, responses=WeeklyCheckDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        check = self.get_object()
        check = weekly_check_save(
            acting_user=request.user,
            department=check.department,
            week_start=check.week_start,
            data={},
            submit=True,
            base_version=self.base_version(request),
        )
        return Response(WeeklyCheckDetailSerializer(check).data)

    @extend_schema(request=CommentSerializer, responses=WeeklyCheckDetailSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        check = self.get_object()
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = weekly_check_comment(
            acting_user=request.user, check=check, comment=data.validated_data["comment"]
        )
        return Response(WeeklyCheckDetailSerializer(check).data)
