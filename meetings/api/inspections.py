"""API of the district's supervision of department meetings (§7), under
/api/v1/meetings/inspections/…: checklist items, visits, acceptance forms, issues and the report.
The same services and access rules as the pages (meetings.selectors.inspections)."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import PreconditionRequired, Router
from core.apischema import VersionRequiredSerializer
from core.paperforms.api import PaperFormActions, paper_list_actions
from core.params import MAX_ID, date_param, int_param
from core.versioning import StaleVersion, VersionedAPIMixin
from meetings.access import can_inspect
from meetings.models import (
    MAX_RATING,
    AcceptanceForm,
    CalendarEntry,
    ChecklistItem,
    FormScore,
    Issue,
    Visit,
    VisitState,
)
from meetings.paperforms import acceptance_form
from meetings.selectors import inspections as sel
from meetings.services import inspections as svc
from org.access import Cap, holds
from org.models import Unit

User = Visit._meta.get_field("inspector").related_model


# -- serializers -----------------------------------------------------------------------------
class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "district", "order", "title", "guidance", "weight", "active", "version"]
        read_only_fields = fields


class ChecklistItemInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="An existing item; omit to add one.")
    title = serializers.CharField(max_length=100)
    guidance = serializers.CharField(max_length=300, required=False, allow_blank=True)
    weight = serializers.IntegerField(min_value=0, max_value=100)
    order = serializers.IntegerField(min_value=1, required=False)
    active = serializers.BooleanField(default=True)
    version = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ID,
        required=False,
        help_text="With `id`: the item's version the edit is based on (required: 428 without).",
    )


class StaleChecklistSerializer(serializers.Serializer):
    """409: an item moved past the version the edit was based on; nothing was written."""

    detail = serializers.CharField()
    item = serializers.IntegerField(help_text="The first item found stale.")
    version = serializers.IntegerField(help_text="That item's current version.")
    current = ChecklistItemSerializer(many=True, help_text="The checklist as it is now.")


class ChecklistInputSerializer(serializers.Serializer):
    district = serializers.IntegerField()
    items = ChecklistItemInputSerializer(many=True)


class FormScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormScore
        fields = ["item", "title", "weight", "rating", "points", "comment"]


class IssueSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    visit = serializers.IntegerField(source="form.visit_id", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "visit",
            "unit",
            "unit_name",
            "item",
            "description",
            "is_open",
            "raised_at",
            "resolved_at",
            "resolved_by",
            "resolution",
            "version",
        ]


class AcceptanceFormSerializer(serializers.ModelSerializer):
    scores = FormScoreSerializer(many=True, read_only=True)
    issues = IssueSerializer(many=True, read_only=True)

    class Meta:
        model = AcceptanceForm
        fields = [
            "id",
            "visit",
            "meeting",
            "total",
            "present_count",
            "highlights",
            "suggestions",
            "filled_by",
            "filled_at",
            "scores",
            "issues",
        ]


class VisitSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    total = serializers.SerializerMethodField()
    state = serializers.CharField(read_only=True, help_text="planned, done or cancelled")

    class Meta:
        model = Visit
        fields = [
            "id",
            "unit",
            "unit_name",
            "department",
            "district",
            "date",
            "calendar_entry",
            "inspector",
            "state",
            "note",
            "total",
            "cancelled_at",
            "cancel_reason",
            "version",
        ]

    def get_total(self, visit) -> float | None:
        form = getattr(visit, "form", None) if visit.state == VisitState.DONE else None
        return float(form.total) if form else None


class VisitInputSerializer(serializers.Serializer):
    inspector = serializers.IntegerField()
    calendar_entry = serializers.IntegerField(required=False)
    unit = serializers.IntegerField(required=False, help_text="With `date`, without an entry.")
    date = serializers.DateField(required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RatingInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    rating = serializers.IntegerField(min_value=0, max_value=MAX_RATING)
    comment = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IssueInputSerializer(serializers.Serializer):
    description = serializers.CharField()
    item = serializers.IntegerField(required=False, allow_null=True)


class FormInputSerializer(serializers.Serializer):
    ratings = RatingInputSerializer(many=True)
    issues = IssueInputSerializer(many=True, required=False)
    highlights = serializers.CharField(required=False, allow_blank=True)
    suggestions = serializers.CharField(required=False, allow_blank=True)
    present_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()


# -- views -----------------------------------------------------------------------------------
def _district(user, pk, *, inspect: bool):
    districts = sel.inspect_districts(user) if inspect else sel.report_districts(user)
    if pk is None:
        district = districts.first()
    else:
        district = districts.filter(pk=pk).first()
    if district is None:
        raise PermissionDenied
    return district


class ChecklistView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("district", int, description="Defaults to the caller's.")],
        responses=ChecklistItemSerializer(many=True),
    )
    def get(self, request):
        wanted = request.query_params.get("district")
        districts = sel.checklist_districts(request.user)
        district = next((d for d in districts if wanted is None or str(d.pk) == wanted), None)
        if district is None:
            raise PermissionDenied
        items = sel.checklist(district)
        if not items.exists() and can_inspect(request.user, district):
            svc.checklist_ensure_default(district=district)
        return Response(ChecklistItemSerializer(items, many=True).data)

    @extend_schema(
        request=ChecklistInputSerializer,
        responses={
            200: ChecklistItemSerializer(many=True),
            409: StaleChecklistSerializer,
            428: VersionRequiredSerializer,
        },
    )
    def put(self, request):
        """Save the listed items; each existing one carries the version it was based on."""
        data = ChecklistInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        district = _district(request.user, data.validated_data["district"], inspect=True)
        rows = data.validated_data["items"]
        if any(row.get("id") and row.get("version") is None for row in rows):
            raise PreconditionRequired(_("Send the version of every existing item you edited."))
        svc.checklist_ensure_default(district=district)
        try:
            items = svc.checklist_save(acting_user=request.user, district=district, items=rows)
        except StaleVersion as exc:
            current = ChecklistItemSerializer(sel.checklist(district), many=True).data
            return Response(
                {
                    "detail": exc.message,
                    "item": exc.current.pk,
                    "version": exc.current.version,
                    "current": current,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(ChecklistItemSerializer(items, many=True).data)


@extend_schema(
    parameters=[
        OpenApiParameter("department", int),
        OpenApiParameter("inspector", int),
        OpenApiParameter("month", str, description="YYYY-MM"),
        OpenApiParameter("state", str, description="planned, done or cancelled"),
    ]
)
class VisitViewSet(
    VersionedAPIMixin,
    paper_list_actions("archive", "the acceptance archive; the archive page's filters"),
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    versioned_actions = ("update", "partial_update", "cancel", "form")  # they call base_version
    serializer_class = VisitSerializer
    queryset = Visit.objects.none()

    def get_queryset(self):
        visits = sel.readable(Visit.objects.all(), self.request.user).select_related("unit", "form")
        params = self.request.query_params
        for name in ("department", "inspector"):
            if params.get(name, "").isdigit():
                visits = visits.filter(**{f"{name}_id": int(params[name])})
        if params.get("month"):
            try:
                visits = visits.filter(
                    date__range=sel.month_bounds(date.fromisoformat(f"{params['month']}-01"))
                )
            except ValueError:
                raise ValidationError({"month": "YYYY-MM"}) from None
        if params.get("state") in VisitState.values:
            visits = visits.filter(state=params["state"])
        return visits.order_by("-date", "-pk")

    def paper_list_form(self, request):
        """The archive's list form (attachment 4) with the archive page's filters
        (?district= ?department= ?inspector= ?month=YYYY-MM ?state=): …/archive/pdf/."""
        from meetings.views.inspections import archive_form  # the page's one reading of them

        return archive_form(request)

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer})
    def create(self, request, *args, **kwargs):
        data = VisitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = unit = None
        if values.get("calendar_entry"):
            entry = get_object_or_404(
                CalendarEntry.objects.select_related("calendar__unit"),
                pk=values["calendar_entry"],
            )
        elif values.get("unit"):
            unit = get_object_or_404(Unit, pk=values["unit"])
        inspector = User.objects.filter(pk=values["inspector"], is_active=True).first()
        visit = svc.visit_plan(
            acting_user=request.user,
            inspector=inspector,
            calendar_entry=entry,
            unit=unit,
            date=values.get("date"),
            note=values.get("note", ""),
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelSerializer, responses=VisitSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a planned visit; carries the visit's version (`If-Match` or `version`)."""
        visit = self.get_object()
        base_version = self.base_version(request)
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = svc.visit_cancel(
            acting_user=request.user,
            visit=visit,
            reason=data.validated_data.get("reason", ""),
            base_version=base_version,
        )
        return Response(VisitSerializer(visit).data)

    @extend_schema(request=FormInputSerializer, responses={201: AcceptanceFormSerializer})
    @action(detail=True, methods=["post"])
    def form(self, request, pk=None):
        """Fill the visit's acceptance form (附件4); carries the visit's version (`If-Match` or
        `version`), 409 when stale."""
        visit = self.get_object()  # an unreadable visit is a 404 before the input is checked
        base_version = self.base_version(request)
        data = FormInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        form = svc.form_fill(
            acting_user=request.user,
            visit=visit,
            ratings={row["item"]: row["rating"] for row in values["ratings"]},
            comments={row["item"]: row.get("comment", "") for row in values["ratings"]},
            issues=values.get("issues", []),
            highlights=values.get("highlights", ""),
            suggestions=values.get("suggestions", ""),
            present_count=values.get("present_count"),
            base_version=base_version,
        )
        return Response(AcceptanceFormSerializer(form).data, status=status.HTTP_201_CREATED)


class FormViewSet(PaperFormActions, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An acceptance form (附件4), also as PDF and Excel (…/pdf/, …/xlsx/)."""

    serializer_class = AcceptanceFormSerializer
    queryset = AcceptanceForm.objects.none()

    def get_queryset(self):
        return sel.readable(AcceptanceForm.objects.all(), self.request.user, "visit__unit")

    def paper_form(self, form):
        return acceptance_form(form)


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, description="open (default) or all"),
        OpenApiParameter("department", int),
    ]
)
class IssueViewSet(
    VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Issues found on visits. Resolving one carries its version (`If-Match` or `version`):
    409 when someone resolved it meanwhile, 428 without a version."""

    versioned_actions = ("resolve",)  # it calls base_version
    serializer_class = IssueSerializer
    queryset = Issue.objects.none()

    def get_queryset(self):
        if not holds(self.request.user, Cap.VIEW_ORG):
            return Issue.objects.none()
        issues = sel.readable(Issue.objects.select_related("unit", "form"), self.request.user)
        params = self.request.query_params
        if self.action == "list" and params.get("state", "open") != "all":
            issues = issues.filter(resolved_at__isnull=True)
        if params.get("department", "").isdigit():
            issues = issues.filter(form__visit__department_id=int(params["department"]))
        return issues.order_by("-raised_at", "-pk")

    @extend_schema(request=ResolveSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        issue = self.get_object()  # an unreadable issue is a 404 before the input is checked
        base_version = self.base_version(request)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issue = svc.issue_resolve(
            acting_user=request.user,
            issue=issue,
            resolution=data.validated_data["resolution"],
            base_version=base_version,
        )
        return Response(IssueSerializer(issue).data)


class ReportView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("district", int),
            OpenApiParameter("period", str, description="month (default) or week"),
            OpenApiParameter("start", str, description="A day in the period (YYYY-MM-DD)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        params = request.query_params
        district = _district(request.user, int_param(params, "district"), inspect=False)
        period = "week" if params.get("period") == "week" else "month"
        day = date_param(params, "start", default=timezone.localdate())
        start, end = sel.period_bounds(period, day)
        data = sel.report(district, start, end)
        return Response(
            {
                "district": district.pk,
                "start": start,
                "end": end,
                "visits": {
                    **data["visits"],
                    "average": _float(data["visits"]["average"]),
                },
                "departments": [
                    {
                        "department": row["department"].pk,
                        "name": row["department"].name,
                        "visits": row["visits"],
                        "done": row["done"],
                        "average": _float(row["average"]),
                        "lowest": _float(row["lowest"]),
                        "highest": _float(row["highest"]),
                    }
                    for row in data["departments"]
                ],
                "items": data["items"],
                "calendars": {
                    "deadline": data["calendars"]["deadline"],
                    "counts": data["calendars"]["counts"],
                    "departments": [
                        {
                            "department": row["department"].pk,
                            "state": row["state"],
                            "groups": row["groups"],
                        }
                        for row in data["calendars"]["rows"]
                    ],
                },
                "feedback": data["feedback"],
            }
        )


def _float(value):
    return None if value is None else round(float(value), 1)


router = Router()
router.include_root_view = False
router.register("inspections/visits", VisitViewSet, basename="meetings-inspection-visit")
router.register("inspections/forms", FormViewSet, basename="meetings-inspection-form")
router.register("inspections/issues", IssueViewSet, basename="meetings-inspection-issue")

urlpatterns = [
    path(
        "inspections/checklist/", ChecklistView.as_view(), name="api-meetings-inspection-checklist"
    ),
    path("inspections/report/", ReportView.as_view(), name="api-meetings-inspection-report"),
    path("", include(router.urls)),
]
