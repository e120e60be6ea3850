"""Pages of the district's supervision of department meetings (§7): planning visits from the
calendars, the acceptance form (附件4) with its A4 print, the archive with the score trend, open
issues and the checklist (the report: meetings.views.inspections_report)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError
from core.history import history_rows
from core.paperforms import respond
from core.params import date_param, int_param, month_param
from core.versioning import StaleVersion, stale_change_lines
from meetings.access import can_inspect
from meetings.models import (
    MAX_RATING,
    CalendarEntry,
    Issue,
    Visit,
    VisitState,
)
from meetings.paperforms import acceptance_archive, acceptance_form
from meetings.selectors import inspections as sel
from meetings.services import inspections as svc
from org.access import Cap, holds
from org.models import Unit, UnitKind

ISSUE_ROWS = 3  # blank issue lines on the form page


def _month(params) -> date:
    """?month= (400 naming a bad one), else this month."""
    return month_param(params, default=timezone.localdate().replace(day=1))


def _pick(queryset, value):
    """The unit chosen in a GET parameter among `queryset`, else the first; None if none."""
    units = list(queryset)
    if not units:
        return None, units
    chosen = next((u for u in units if str(u.pk) == str(value)), units[0])
    return chosen, units


def _visit(request, pk) -> Visit:
    visit = get_object_or_404(
        sel.readable(Visit.objects.all(), request.user).select_related(
            "unit__parent", "department", "district", "inspector", "calendar_entry", "planned_by"
        ),
        pk=pk,
    )
    return visit


def _nav(request, current: str) -> dict:
    """The part's tab bar: planning, checklist and report tabs only for the district."""
    return {"current": current, "may_plan": sel.inspect_districts(request.user).exists()}


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# -- planning --------------------------------------------------------------------------------
@login_required
def plan(request):
    district, districts = _pick(sel.inspect_districts(request.user), request.GET.get("district"))
    if district is None:
        raise PermissionDenied
    month = _month(request.GET)
    here = f"{reverse('meetings:inspection_plan')}?district={district.pk}&month={month:%Y-%m}"
    inspectors = list(sel.inspectors_for(district))
    if request.method == "POST":
        inspector = next(
            (u for u in inspectors if str(u.pk) == request.POST.get("inspector")), None
        )
        try:
            if request.POST.get("entry"):
                entry = get_object_or_404(
                    CalendarEntry.objects.select_related("calendar__unit"),
                    pk=int_param(request.POST, "entry"),
                    calendar__unit__path__startswith=district.path,
                )
                svc.visit_plan(
                    acting_user=request.user,
                    inspector=inspector,
                    calendar_entry=entry,
                    note=request.POST.get("note", ""),
                )
            else:
                unit = get_object_or_404(
                    Unit, pk=int_param(request.POST, "unit") or 0, path__startswith=district.path
                )
                day = date_param(request.POST, "date", required=True)
                svc.visit_plan(
                    acting_user=request.user,
                    inspector=inspector,
                    unit=unit,
                    date=day,
                    note=request.POST.get("note", ""),
                )
            messages.success(request, _("Visit planned."))
        except ValueError:
            messages.error(request, _("Enter a valid date."))
        except ConflictError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(here)
    start, end = sel.month_bounds(month)
    return render(
        request,
        "meetings/inspections/plan.html",
        {
            "district": district,
            "districts": districts,
            "month": month,
            "previous": _shift(month, -1),
            "next": _shift(month, 1),
            "entries": sel.planning_entries(district, month),
            "visits": list(sel.visits_in(district, start, end)),
            "inspectors": inspectors,
            "units": list(sel.visitable_units(district)),
            **_nav(request, "plan"),
        },
    )


# -- one visit, its form ---------------------------------------------------------------------
@login_required
def visit_detail(request, pk):
    visit = _visit(request, pk)
    form = getattr(visit, "form", None) if visit.state == VisitState.DONE else None
    scores, issues = [], []
    if form is not None:
        scores = list(form.scores.all())
        issues = list(form.issues.select_related("item", "resolved_by"))
    may_inspect = can_inspect(request.user, visit.unit)
    for issue in issues:
        issue.may_resolve = issue.is_open and sel.can_resolve(request.user, issue)
    return render(
        request,
        "meetings/inspections/visit.html",
        {
            "visit": visit,
            "form": form,
            "scores": scores,
            "issues": issues,
            "may_inspect": may_inspect,
            "items": list(sel.checklist(visit.district)) if may_inspect and form else [],
            "history": history_rows(visit),
            **_nav(request, "archive"),
        },
    )


def _posted_version(request) -> int:
    """The visit's version the page was based on (issue 20); a page without it is out of date."""
    value = request.POST.get("version", "")
    if not value.isdigit():
        raise ConflictError(_("This page is out of date; reload it and try again."))
    return int_param(request.POST, "version")  # a number no database integer holds: 400


def _conflict(request, exc: ConflictError) -> None:
    messages.error(request, exc.message)
    if isinstance(exc, StaleVersion):
        for line in stale_change_lines(exc):
            messages.warning(request, line)


@login_required
@require_POST
def visit_cancel(request, pk):
    visit = _visit(request, pk)
    try:
        svc.visit_cancel(
            acting_user=request.user,
            visit=visit,
            reason=request.POST.get("reason"),
            base_version=_posted_version(request),
        )
        messages.success(request, _("Visit cancelled."))
    except ConflictError as exc:
        _conflict(request, exc)
    return redirect("meetings:inspection_visit", pk=visit.pk)


@login_required
def fill(request, pk):
    visit = _visit(request, pk)
    if not can_inspect(request.user, visit.unit):
        raise PermissionDenied
    if visit.state != VisitState.PLANNED and request.method != "POST":
        # a post goes on to the service: a stale page hears what the other person changed
        messages.info(request, _("This visit's form cannot be filled any more."))
        return redirect("meetings:inspection_visit", pk=visit.pk)
    items = [i for i in svc.checklist_ensure_default(district=visit.district) if i.active]
    errors = []
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        ratings = {item.pk: request.POST.get(f"rating-{item.pk}") for item in items}
        comments = {item.pk: request.POST.get(f"comment-{item.pk}", "") for item in items}
        issues = [
            {
                "description": request.POST.get(f"issue-{n}", ""),
                "item": int_param(request.POST, f"issue-item-{n}"),
            }
            for n in range(ISSUE_ROWS)
        ]
        try:
            form = svc.form_fill(
                acting_user=request.user,
                visit=visit,
                ratings=ratings,
                comments=comments,
                issues=issues,
                highlights=request.POST.get("highlights", ""),
                suggestions=request.POST.get("suggestions", ""),
                present_count=int_param(request.POST, "present_count"),
                base_version=_posted_version(request),
            )
            messages.success(
                request, _("Acceptance form saved: %(total)s / 100.") % {"total": form.total}
            )
            return redirect("meetings:inspection_visit", pk=visit.pk)
        except ConflictError as exc:
            _conflict(request, exc)
            return redirect("meetings:inspection_visit", pk=visit.pk)
        except ValidationError as exc:
            errors = exc.messages
    for item in items:
        item.posted_rating = posted.get(f"rating-{item.pk}", "")
        item.posted_comment = posted.get(f"comment-{item.pk}", "")
    return render(
        request,
        "meetings/inspections/fill.html",
        {
            "visit": visit,
            "items": items,
            "ratings": range(MAX_RATING + 1),
            "issue_rows": [
                {
                    "n": n,
                    "text": posted.get(f"issue-{n}", ""),
                    "item": posted.get(f"issue-item-{n}", ""),
                }
                for n in range(ISSUE_ROWS)
            ],
            "posted": posted,
            "errors": errors,
            "meeting": sel.find_meeting(visit),
            **_nav(request, "plan"),
        },
    )


@login_required
def print_form(request, pk):
    """附件4 of a done visit: the page, its PDF and Excel (core.paperforms)."""
    visit = _visit(request, pk)
    form = getattr(visit, "form", None) if visit.state == VisitState.DONE else None
    if form is None:
        raise Http404
    return respond(
        request,
        acceptance_form(form),
        back=reverse("meetings:inspection_visit", args=[visit.pk]),
    )


@login_required
@require_POST
def issue_add(request, pk):
    visit = _visit(request, pk)
    form = getattr(visit, "form", None)
    if form is None:
        raise Http404
    try:
        svc.issue_add(
            acting_user=request.user,
            form=form,
            description=request.POST.get("description"),
            item_id=request.POST.get("item") or None,
        )
        messages.success(request, _("Issue added."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("meetings:inspection_visit", pk=visit.pk)


@login_required
@require_POST
def issue_resolve(request, pk):
    issue = get_object_or_404(
        sel.readable(Issue.objects.select_related("unit__parent", "form"), request.user), pk=pk
    )
    try:
        svc.issue_resolve(
            acting_user=request.user,
            issue=issue,
            resolution=request.POST.get("resolution"),
            base_version=_posted_version(request),
        )
        messages.success(request, _("Issue marked resolved."))
    except ConflictError as exc:
        _conflict(request, exc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    target = request.POST.get("next")
    if target == "issues":
        return redirect("meetings:inspection_issues")
    return redirect("meetings:inspection_visit", pk=issue.form.visit_id)


# -- archive, issues -------------------------------------------------------------------------
def _archive_filters(request):
    user = request.user
    districts = list(sel.report_districts(user))
    departments = list(_readable_departments(user))
    department = next((d for d in departments if str(d.pk) == request.GET.get("department")), None)
    district = next((d for d in districts if str(d.pk) == request.GET.get("district")), None)
    inspector_id = int_param(request.GET, "inspector")
    month = month_param(request.GET)
    state = request.GET.get("state") if request.GET.get("state") in VisitState.values else None
    visits = sel.archive(
        user,
        district=district,
        department=department,
        inspector=None,
        month=month,
        state=state,
    )
    if inspector_id:
        visits = visits.filter(inspector_id=inspector_id)
    return visits, {
        "districts": districts,
        "departments": departments,
        "department": department,
        "district": district,
        "inspector_id": str(inspector_id or ""),
        "month": month,
        "state": state or "",
        "states": VisitState.choices,
    }


def _readable_departments(user):
    """Departments whose inspections the user reads (VIEW_ORG over them)."""
    departments = Unit.objects.filter(kind=UnitKind.DEPARTMENT, closed_on__isnull=True)
    return departments.visible_to(user).order_by("path")


@login_required
def archive(request):
    visits, filters = _archive_filters(request)
    if not holds(request.user, Cap.VIEW_ORG):
        raise PermissionDenied  # agents and outsiders to the organisation
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    since = _shift(timezone.localdate().replace(day=1), -11)
    inspectors = (
        sel.readable(Visit.objects.all(), request.user)
        .values_list("inspector_id", "inspector__full_name")
        .distinct()
        .order_by("inspector__full_name")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/inspections/archive.html",
        {
            **filters,
            "page": page,
            "inspectors": list(inspectors),
            "series": sel.score_series(visits, since=since),
            "query": query.urlencode(),
            **_nav(request, "archive"),
        },
    )


ARCHIVE_FORM_ROWS = 5000


@login_required
def archive_print(request):
    """The archive as the 附件4 list (page, PDF, Excel; core.paperforms), with the archive
    page's filters (?month=YYYY-MM for a month's)."""
    return respond(request, archive_form(request), back=reverse("meetings:inspection_list"))


def archive_form(request):
    """The 附件4 list of the visits the archive's filters select (the page and the API)."""
    visits, filters = _archive_filters(request)
    if not holds(request.user, Cap.VIEW_ORG):
        raise PermissionDenied
    chosen = filters["department"] or filters["district"]
    unit = chosen.name if chosen else "、".join(d.name for d in filters["districts"])
    return acceptance_archive(
        visits.select_related("inspector")[:ARCHIVE_FORM_ROWS],
        unit=unit,
        month=filters["month"],
        limit=ARCHIVE_FORM_ROWS,
    )


@login_required
def issues(request):
    open_only = request.GET.get("state", "open") != "all"
    if not holds(request.user, Cap.VIEW_ORG):
        raise PermissionDenied
    departments = list(_readable_departments(request.user))
    department = next((d for d in departments if str(d.pk) == request.GET.get("department")), None)
    rows = sel.issues_for(request.user, open_only=open_only, department=department)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for issue in page:
        issue.may_resolve = issue.is_open and sel.can_resolve(request.user, issue)
    return render(
        request,
        "meetings/inspections/issues.html",
        {
            "page": page,
            "open_only": open_only,
            "departments": departments,
            "department": department,
            **_nav(request, "issues"),
        },
    )
