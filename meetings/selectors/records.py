"""Reading meeting records, the archive and evaluation feedback (spec §2.3–§2.4, 附件3).

Everything that counts is computed by the database: feedback shares, the share of planned meetings
held, the head count from the roll call."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from meetings import access
from meetings.models import (
    FEEDBACK_TRAITS,
    LEVEL_UNIT_KIND,
    CalendarEntry,
    Feedback,
    Meeting,
    MeetingItemHeld,
    MeetingLevel,
)
from org.access import Cap, holds

# Agents may fill the evaluation form for meetings of the last FEEDBACK_WINDOW_DAYS days.
FEEDBACK_WINDOW_DAYS = 14
ARCHIVE_PAGE_SIZE = 50
EXPORT_MAX_ROWS = 10_000


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _trait_counts(prefix: str = "") -> dict:
    return {
        trait: Count("pk" if not prefix else f"{prefix}pk", filter=Q(**{f"{prefix}{trait}": True}))
        for trait in FEEDBACK_TRAITS
    }


def _with_shares(row: dict) -> dict:
    forms = row.get("forms") or 0
    row["counts"] = {trait: row.get(trait) or 0 for trait in FEEDBACK_TRAITS}
    row["shares"] = {trait: _share(row["counts"][trait], forms) for trait in FEEDBACK_TRAITS}
    return row


# -- feedback -----------------------------------------------------------------------------------
def feedback_counts(feedback_qs: QuerySet) -> dict:
    """The forms of `feedback_qs` (one meeting's visible forms, say), in one query:
    {"forms": n, "counts": {trait: forms ticking it}, "shares": {trait: percent or None}}."""
    row = feedback_qs.order_by().aggregate(forms=Count("pk"), **_trait_counts())
    row["forms"] = row["forms"] or 0
    return _with_shares(row)


def feedback_summary(meetings_qs: QuerySet) -> dict:
    """Feedback forms given on `meetings_qs`, computed in the DB (one query):
    {"forms": n, "meetings": number of meetings with at least one form,
     "counts": {trait: forms ticking it}, "shares": {trait: percent to one decimal, or None}}."""
    row = Feedback.objects.filter(meeting__in=meetings_qs.values("pk")).aggregate(
        forms=Count("pk"), meetings=Count("meeting", distinct=True), **_trait_counts()
    )
    row["forms"] = row["forms"] or 0
    row["meetings"] = row["meetings"] or 0
    return _with_shares(row)


def feedback_by_speaker(meetings_qs: QuerySet) -> list[dict]:
    """Per speaker (user or free-text name): meetings, forms, share ticking each trait."""
    rows = (
        Feedback.objects.filter(meeting__in=meetings_qs.values("pk"))
        .values("meeting__host", "meeting__host__full_name", "meeting__host__username")
        .annotate(
            meetings=Count("meeting", distinct=True),
            forms=Count("pk"),
            **_trait_counts(),
        )
        .values(
            "meeting__host",
            "meeting__host__full_name",
            "meeting__host__username",
            "meeting__host_name",
            "meetings",
            "forms",
            *FEEDBACK_TRAITS,
        )
        .order_by("-forms", "meeting__host_name", "meeting__host")
    )
    result = []
    for row in rows:
        row["speaker"] = (
            row["meeting__host_name"]
            or row["meeting__host__full_name"]
            or row["meeting__host__username"]
            or ""
        )
        result.append(_with_shares(row))
    return result


def feedback_by_month(meetings_qs: QuerySet) -> list[dict]:
    """Per month of the meeting date: meetings with forms, forms, share ticking each trait."""
    rows = (
        Feedback.objects.filter(meeting__in=meetings_qs.values("pk"))
        .annotate(month=TruncMonth("meeting__date"))
        .values("month")
        .annotate(meetings=Count("meeting", distinct=True), forms=Count("pk"), **_trait_counts())
        .order_by("month")
    )
    return [_with_shares(dict(row)) for row in rows]


def feedback_by_meeting(meetings_qs: QuerySet) -> dict[int, dict]:
    """{meeting id: summary} for the given meetings (one grouped query)."""
    rows = (
        Feedback.objects.filter(meeting__in=meetings_qs.values("pk"))
        .values("meeting")
        .annotate(forms=Count("pk"), **_trait_counts())
        .order_by()
    )
    return {row["meeting"]: _with_shares(dict(row)) for row in rows}


def may_see_feedback_details(user, unit) -> bool:
    """Staff over the unit see each form with its respondent and suggestions; agents see the
    aggregates and their own form only."""
    return holds(user, Cap.VIEW_ORG, unit)


def visible_feedback(user, meeting) -> QuerySet:
    forms = Feedback.objects.filter(meeting=meeting).select_related("respondent")
    if may_see_feedback_details(user, meeting.unit):
        return forms
    return forms.filter(respondent=user)


def feedback_refusal(user, meeting, today: date | None = None) -> str | None:
    """Why the user may not fill the form for this meeting, or None if they may."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    if not access.can_read_unit(user, meeting.unit):
        return _("You can only give feedback on meetings of your own units.")
    if meeting.host_id and meeting.host_id == user.pk:
        return _("You hosted this meeting; the speaker does not rate their own meeting.")
    if meeting.date > today:
        return _("This meeting has not taken place yet.")
    if meeting.date < today - timedelta(days=FEEDBACK_WINDOW_DAYS):
        return _("Feedback is open for %(days)s days after the meeting; this one is closed.") % {
            "days": FEEDBACK_WINDOW_DAYS
        }
    return None


def feedback_editable(feedback, user, today: date | None = None) -> bool:
    """A respondent may change their own form until the end of the day they submitted it."""
    today = today or timezone.localdate()
    return feedback.respondent_id == user.pk and (
        timezone.localtime(feedback.submitted_at).date() == today
    )


def feedback_open_meetings(user, today: date | None = None) -> QuerySet:
    """Recent meetings of the user's units they may give feedback on (not hosted by them), with
    the user's own form id if they gave one."""
    today = today or timezone.localdate()
    start = today - timedelta(days=FEEDBACK_WINDOW_DAYS)
    own = Feedback.objects.filter(meeting=OuterRef("pk"), respondent=user)
    return (
        access.readable(Meeting.objects.all(), user)
        .filter(date__range=(start, today))
        .exclude(host=user)
        .select_related("unit", "host")
        .annotate(my_feedback=Subquery(own.values("pk")[:1]))
        .order_by("-date", "unit__path", "level")
    )


# -- meetings and the archive --------------------------------------------------------------------
def writable_units(user) -> QuerySet:
    """Open units whose meeting records the user writes (meetings.access.can_write_unit as a
    queryset): units where they hold PLAN_MEETINGS, and those units' groups."""
    from org.models import Unit

    units = Unit.objects.open().filter(kind__in=set(LEVEL_UNIT_KIND.values()))
    return units.filter(access.writable_q(user)).order_by("path")


def readable_units(user) -> QuerySet:
    from org.models import Unit

    units = Unit.objects.open().filter(kind__in=set(LEVEL_UNIT_KIND.values()))
    return access.readable(units, user, "").order_by("path")


def meetings_for(user) -> QuerySet:
    return access.readable(Meeting.objects.all(), user)


@dataclass
class ArchiveFilter:
    unit: object = None  # a Unit (its subtree), already checked readable
    level: str = ""
    start: date | None = None
    end: date | None = None
    speaker: str = ""
    topic: str = ""


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last three months up to today."""
    today = today or timezone.localdate()
    month = today.month - 2
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), today


def archive_filter(user, criteria: ArchiveFilter) -> QuerySet:
    """Readable meetings matching the criteria (no annotations: usable as a subquery)."""
    meetings = meetings_for(user)
    if criteria.unit is not None:
        meetings = meetings.filter(unit__path__startswith=criteria.unit.path)
    if criteria.level:
        meetings = meetings.filter(level=criteria.level)
    if criteria.start:
        meetings = meetings.filter(date__gte=criteria.start)
    if criteria.end:
        meetings = meetings.filter(date__lte=criteria.end)
    if criteria.speaker:
        meetings = meetings.filter(
            Q(host_name__icontains=criteria.speaker)
            | Q(host__full_name__icontains=criteria.speaker)
            | Q(host__username__iexact=criteria.speaker)
        )
    if criteria.topic:
        meetings = meetings.filter(topic__icontains=criteria.topic)
    return meetings


def archive_search(user, criteria: ArchiveFilter) -> QuerySet:
    """Readable meetings matching the criteria, newest first (no aggregates: a page is cut
    first, then `with_counts` adds the figures of its rows)."""
    return (
        archive_filter(user, criteria)
        .select_related("unit", "host")
        .order_by("-date", "unit__path", "level", "pk")
    )


def with_counts(meetings) -> list:
    """Set `forms`, `held_items` and `fb_<trait>` (forms ticking it) on the given meetings: two
    grouped queries whatever their number."""
    meetings = list(meetings)
    ids = [meeting.pk for meeting in meetings]
    feedback = {
        row["meeting"]: row
        for row in Feedback.objects.filter(meeting__in=ids)
        .values("meeting")
        .annotate(forms=Count("pk"), **_trait_counts())
        .order_by()
    }
    held = dict(
        MeetingItemHeld.objects.filter(meeting__in=ids, held=True)
        .values("meeting")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("meeting", "n")
    )
    for meeting in meetings:
        row = feedback.get(meeting.pk, {})
        meeting.forms = row.get("forms", 0)
        meeting.held_items = held.get(meeting.pk, 0)
        for trait in FEEDBACK_TRAITS:
            setattr(meeting, f"fb_{trait}", row.get(trait, 0))
    return meetings


def share_held(user, criteria: ArchiveFilter) -> list[dict]:
    """Per unit and level: planned meetings (non-cancelled calendar entries in the period) and
    how many were held (a meeting linked to the entry, or of that unit/level on that date).
    One grouped query."""
    entries = access.readable(
        CalendarEntry.objects.filter(cancelled_at__isnull=True), user, "calendar__unit"
    )
    if criteria.unit is not None:
        entries = entries.filter(calendar__unit__path__startswith=criteria.unit.path)
    if criteria.level:
        entries = entries.filter(calendar__level=criteria.level)
    if criteria.start:
        entries = entries.filter(date__gte=criteria.start)
    if criteria.end:
        entries = entries.filter(date__lte=criteria.end)
    # Two EXISTS rather than one with OR, so that each uses its index.
    linked = Meeting.objects.filter(calendar_entry=OuterRef("pk"))
    same_day = Meeting.objects.filter(
        unit=OuterRef("calendar__unit"), level=OuterRef("calendar__level"), date=OuterRef("date")
    )
    rows = (
        entries.annotate(was_held=Exists(linked) | Exists(same_day))
        .values("calendar__unit", "calendar__unit__name", "calendar__unit__path", "calendar__level")
        .annotate(planned=Count("pk"), held=Count("pk", filter=Q(was_held=True)))
        .order_by("calendar__unit__path", "calendar__level")
    )
    return [
        {
            "unit_id": row["calendar__unit"],
            "unit_name": row["calendar__unit__name"],
            "level": row["calendar__level"],
            "level_label": MeetingLevel(row["calendar__level"]).label,
            "planned": row["planned"],
            "held": row["held"],
            "share": _share(row["held"], row["planned"]),
        }
        for row in rows
    ]


# -- making a record ----------------------------------------------------------------------------
def host_choices(unit):
    """People who may host a meeting of the unit: the district's staff and active agents."""
    from accounts.models import User

    district_path = unit.district.path if unit.district_id else unit.path
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(agent__group__path__startswith=district_path, agent__resigned_on__isnull=True)
            | Q(role_assignments__unit__path__startswith=district_path)
        )
        .distinct()
        .order_by("full_name", "username")
    )


def calendar_entry_for(unit, level: str, day: date):
    """The non-cancelled calendar entry planned for that unit/level/date, if any."""
    return (
        CalendarEntry.objects.filter(
            calendar__unit=unit, calendar__level=level, date=day, cancelled_at__isnull=True
        )
        .select_related("host", "template_version")
        .order_by("pk")
        .first()
    )


def usable_versions(unit, level: str) -> QuerySet:
    """Published latest versions usable by the unit, best first (the templates part's rule)."""
    from meetings.selectors.templates import versions_for

    return versions_for(unit, level)


def default_version(unit, level: str, entry=None):
    """The calendar entry's version, else the best latest published version for the unit."""
    if entry is not None and entry.template_version_id:
        return entry.template_version
    return usable_versions(unit, level).first()


def version_items(version) -> list:
    """The version's items in agenda order (one query)."""
    if version is None:
        return []
    from meetings.models import FlowItem

    return list(
        FlowItem.objects.filter(section__version=version)
        .select_related("section")
        .order_by("section__order", "order")
    )


def roll_call_count(unit, day: date) -> int | None:
    """Agents of the unit (active that day) marked present or late in that day's roll call;
    None when nobody of the unit was marked that day (no roll call to take it from)."""
    from attendance.models import ATTENDED_STATUSES, AttendanceRecord
    from org.models import Agent

    agents = Agent.objects.in_unit(unit).active_on(day).values("pk")
    row = AttendanceRecord.objects.filter(date=day, agent__in=agents).aggregate(
        marked=Count("pk"),
        present=Count("pk", filter=Q(status__in=[s.value for s in ATTENDED_STATUSES])),
    )
    return row["present"] if row["marked"] else None
