"""Reads of the district's supervision of department meetings (§7): who may see and do what, the
planning page, the archive, the score trend and the report for the district's weekly/monthly
meeting. Aggregates are computed by the database; every read is a fixed number of queries.

Access (on top of meetings/access.py): the district (INSPECT_MEETINGS over the unit, see
`access.can_inspect`) plans visits and fills forms; staff holding VIEW_ORG over a unit read its
inspections (a department its own, a supervisor their group's); an agent's own-unit reading right
(`access.readable`) deliberately does not extend to inspections. Issues are resolved by the unit
(`access.can_write_unit`) or the district.
"""

from datetime import date, timedelta

from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet
from django.utils import timezone

from meetings.access import can_inspect, can_write_unit
from meetings.models import (
    AcceptanceForm,
    Calendar,
    CalendarEntry,
    ChecklistItem,
    FormScore,
    Issue,
    Meeting,
    MeetingLevel,
    Visit,
    VisitState,
)
from org import access as layer
from org.access import Cap
from org.models import Unit, UnitKind

LOW_RATING = 2  # a rating of 0–2 out of 5 counts as a low score in the report


# -- access ----------------------------------------------------------------------------------
def readable(queryset: QuerySet, user, unit_lookup: str = "unit") -> QuerySet:
    """Inspection rows the user may read: VIEW_ORG over the unit (agents never)."""
    return queryset.filter(layer.scope_q(user, Cap.VIEW_ORG, via=unit_lookup))


def can_read(user, unit) -> bool:
    return layer.holds(user, Cap.VIEW_ORG, unit)


def can_resolve(user, issue: Issue) -> bool:
    return can_write_unit(user, issue.unit) or can_inspect(user, issue.unit)


def inspect_districts(user) -> QuerySet:
    """Districts the user inspects (INSPECT_MEETINGS over them)."""
    units = Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True)
    return units.with_cap(user, Cap.INSPECT_MEETINGS)


def report_districts(user) -> QuerySet:
    """Districts whose supervision report the user may read (VIEW_ORG over the district)."""
    units = Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True)
    return units.with_cap(user, Cap.VIEW_ORG)


def checklist_districts(user) -> list[Unit]:
    """Districts whose checklist the user reads: staff of the district or of a unit inside it."""
    if not layer.holds(user, Cap.VIEW_ORG):
        return []
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True)
    below_or_above = layer.scope_q(user, Cap.VIEW_ORG, via="") | Q(
        path__in=layer.paths_at_or_above(user, Cap.VIEW_ORG)
    )
    return list(districts.filter(below_or_above).order_by("path"))


def inspectors_for(district) -> QuerySet:
    """Users holding INSPECT_MEETINGS over the district (its manager, trainer, administrator…)."""
    # The system administrator holds every capability but is nobody's delegate.
    return layer.holders(Cap.INSPECT_MEETINGS, district).order_by("full_name", "pk")


def department_units(district) -> QuerySet:
    return Unit.objects.filter(
        path__startswith=district.path, kind=UnitKind.DEPARTMENT, closed_on__isnull=True
    ).order_by("path")


def visitable_units(district) -> QuerySet:
    """Departments and groups of the district, in tree order."""
    return (
        Unit.objects.filter(
            path__startswith=district.path,
            kind__in=[UnitKind.DEPARTMENT, UnitKind.GROUP],
            closed_on__isnull=True,
        )
        .select_related("parent")
        .order_by("path")
    )


# -- checklist -------------------------------------------------------------------------------
def checklist(district, *, active_only: bool = False) -> QuerySet:
    items = ChecklistItem.objects.filter(district=district)
    if active_only:
        items = items.filter(active=True)
    return items.order_by("-active", "order", "pk")


# -- months and weeks ------------------------------------------------------------------------
def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """A week (Monday–Sunday) or a calendar month containing `day`."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    return month_bounds(day)


# -- planning --------------------------------------------------------------------------------
def planning_entries(district, month: date) -> list[CalendarEntry]:
    """Calendar entries of the district's departments and groups in `month` (not cancelled),
    each with `.visits_planned` (its visits that are not cancelled). Two queries."""
    start, end = month_bounds(month)
    entries = list(
        CalendarEntry.objects.filter(
            calendar__unit__path__startswith=district.path,
            calendar__unit__kind__in=[UnitKind.DEPARTMENT, UnitKind.GROUP],
            calendar__level__in=[MeetingLevel.DEPARTMENT, MeetingLevel.GROUP],
            date__range=(start, end),
            cancelled_at__isnull=True,
        )
        .select_related("calendar__unit__parent", "host")
        .order_by("date", "calendar__unit__path", "pk")
    )
    visits: dict[int, list[Visit]] = {}
    for visit in (
        Visit.objects.filter(calendar_entry__in=[e.pk for e in entries])
        .exclude(state=VisitState.CANCELLED)
        .select_related("inspector")
    ):
        visits.setdefault(visit.calendar_entry_id, []).append(visit)
    for entry in entries:
        entry.visits_planned = visits.get(entry.pk, [])
    return entries


def visits_in(district, start: date, end: date) -> QuerySet:
    return (
        Visit.objects.filter(district=district, date__range=(start, end))
        .select_related("unit__parent", "inspector", "form")
        .order_by("date", "unit__path")
    )


# -- archive ---------------------------------------------------------------------------------
def archive(
    user, *, district=None, department=None, inspector=None, month=None, state=None
) -> QuerySet:
    visits = readable(Visit.objects.all(), user).select_related(
        "unit__parent", "department", "inspector", "form"
    )
    if district is not None:
        visits = visits.filter(district=district)
    if department is not None:
        visits = visits.filter(department=department)
    if inspector is not None:
        visits = visits.filter(inspector=inspector)
    if month is not None:
        visits = visits.filter(date__range=month_bounds(month))
    if state:
        visits = visits.filter(state=state)
    return visits.annotate(
        open_issues=Count("form__issues", filter=Q(form__issues__resolved_at__isnull=True))
    ).order_by("-date", "unit__path", "-pk")


def score_series(visits: QuerySet, *, since: date) -> list[dict]:
    """Done visits' totals since `since`, one series per department, for the line chart."""
    rows = (
        visits.filter(state=VisitState.DONE, date__gte=since)
        .order_by("department__path", "date", "pk")
        .values("department__name", "date", "form__total")
    )
    series: dict[str, list] = {}
    for row in rows:
        series.setdefault(row["department__name"], []).append(
            [row["date"].isoformat(), float(row["form__total"])]
        )
    return [{"name": name, "data": data} for name, data in series.items()]


def issues_for(user, *, open_only=True, department=None, district=None) -> QuerySet:
    issues = readable(Issue.objects.all(), user).select_related(
        "unit__parent", "item", "form__visit", "resolved_by"
    )
    if open_only:
        issues = issues.filter(resolved_at__isnull=True)
    if department is not None:
        issues = issues.filter(form__visit__department=department)
    if district is not None:
        issues = issues.filter(form__visit__district=district)
    return issues.order_by(F("resolved_at").asc(nulls_first=True), "-raised_at", "-pk")


def find_meeting(visit: Visit) -> Meeting | None:
    """The meeting record of the visited unit on the visit's day, if one was recorded."""
    levels = (
        [MeetingLevel.GROUP]
        if visit.unit.kind == UnitKind.GROUP
        else [MeetingLevel.DEPARTMENT, MeetingLevel.EVENING]
    )
    meetings = Meeting.objects.filter(unit_id=visit.unit_id, date=visit.date, level__in=levels)
    if visit.calendar_entry_id:
        linked = meetings.filter(calendar_entry_id=visit.calendar_entry_id).first()
        if linked:
            return linked
    return meetings.order_by("level").first()


# -- report ----------------------------------------------------------------------------------
def _calendar_rows(district, month: date, departments: list[Unit], today: date) -> dict:
    """Submission of department and group calendars for `month`, per department."""
    try:
        from meetings.selectors.calendars import deadline_for, submission_state
    except ImportError:  # pragma: no cover - the calendars part always ships them
        return {"deadline": None, "rows": [], "counts": {}}
    deadline = deadline_for(district, month)
    groups = list(
        Unit.objects.filter(
            path__startswith=district.path, kind=UnitKind.GROUP, closed_on__isnull=True
        ).values("pk", "parent_id")
    )
    calendars = {
        (c.unit_id, c.level): c
        for c in Calendar.objects.filter(
            unit__path__startswith=district.path,
            month=month,
            level__in=[MeetingLevel.DEPARTMENT, MeetingLevel.GROUP],
        ).only("unit_id", "level", "submitted_at", "state")
    }
    counts = {"submitted": 0, "late": 0, "missing": 0, "pending": 0}
    rows = []
    for department in departments:
        state = submission_state(
            calendars.get((department.pk, MeetingLevel.DEPARTMENT)), deadline, today
        )
        counts[state] += 1
        group_states = {"submitted": 0, "late": 0, "missing": 0, "pending": 0}
        for group in groups:
            if group["parent_id"] == department.pk:
                group_state = submission_state(
                    calendars.get((group["pk"], MeetingLevel.GROUP)), deadline, today
                )
                group_states[group_state] += 1
                counts[group_state] += 1
        rows.append({"department": department, "state": state, "groups": group_states})
    return {"deadline": deadline, "rows": rows, "counts": counts}


def _feedback(district, start: date, end: date) -> dict | None:
    try:
        from meetings.selectors.records import feedback_summary
    except ImportError:  # pragma: no cover - the records part always ships it
        return None
    meetings = Meeting.objects.filter(
        unit__path__startswith=district.path,
        level__in=[MeetingLevel.DEPARTMENT, MeetingLevel.EVENING, MeetingLevel.GROUP],
        date__range=(start, end),
    )
    return feedback_summary(meetings)


def report(district, start: date, end: date, *, today: date | None = None) -> dict:
    """Figures for the district's weekly/monthly meeting over [start, end]."""
    today = today or timezone.localdate()
    visits = Visit.objects.filter(district=district, date__range=(start, end))
    counts = visits.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=VisitState.DONE)),
        planned=Count("pk", filter=Q(state=VisitState.PLANNED)),
        cancelled=Count("pk", filter=Q(state=VisitState.CANCELLED)),
        average=Avg("form__total"),
    )
    due = counts["total"] - counts["cancelled"]
    counts["completion"] = round(100.0 * counts["done"] / due, 1) if due else None

    departments = list(department_units(district))
    by_department = {
        row["department_id"]: row
        for row in visits.values("department_id").annotate(
            visits=Count("pk", filter=~Q(state=VisitState.CANCELLED)),
            done=Count("pk", filter=Q(state=VisitState.DONE)),
            average=Avg("form__total"),
            lowest=Min("form__total"),
            highest=Max("form__total"),
        )
    }
    empty = {"visits": 0, "done": 0, "average": None, "lowest": None, "highest": None}
    department_rows = [
        {"department": department, **by_department.get(department.pk, empty)}
        for department in departments
    ]

    forms = AcceptanceForm.objects.filter(visit__in=visits.filter(state=VisitState.DONE))
    score_rows = {
        row["item_id"]: row
        for row in FormScore.objects.filter(form__in=forms)
        .values("item_id")
        .annotate(
            title=Max("title"),
            scored=Count("pk"),
            average_rating=Avg("rating"),
            low=Count("pk", filter=Q(rating__lte=LOW_RATING)),
        )
    }
    issue_rows = {
        row["item_id"]: row
        for row in Issue.objects.filter(form__in=forms)
        .values("item_id")
        .annotate(
            title=Max("item__title"),
            issues=Count("pk"),
            open=Count("pk", filter=Q(resolved_at__isnull=True)),
            resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        )
    }
    items = []
    for item_id in set(score_rows) | set(issue_rows):
        score = score_rows.get(item_id, {})
        issue = issue_rows.get(item_id, {})
        average = score.get("average_rating")
        items.append(
            {
                "item_id": item_id,
                "title": score.get("title") or issue.get("title") or "",
                "scored": score.get("scored", 0),
                "average_rating": round(float(average), 2) if average is not None else None,
                "low": score.get("low", 0),
                "issues": issue.get("issues", 0),
                "open": issue.get("open", 0),
                "resolved": issue.get("resolved", 0),
            }
        )
    items.sort(key=lambda row: (-row["issues"], -row["low"], row["title"]))

    return {
        "district": district,
        "start": start,
        "end": end,
        "visits": counts,
        "departments": department_rows,
        "items": items,
        "calendars": _calendar_rows(district, start.replace(day=1), departments, today),
        "feedback": _feedback(district, start, end),
    }
