"""Calendar workflows (行事例, spec §2.2 and §7.1). Each function is one transaction with the
acting user; nothing is deleted (entries taken off are kept, marked cancelled) and every change
is in the history (django-simple-history).

Submission: a department or group submits a calendar once; `submitted_at` is the moment of that
first submission and decides on time / late on the board. It stays editable afterwards — the
corrections are in the entries' history and the calendar page lists those made after submission —
so a late correction never turns an on-time calendar into a late one, and nobody has to
"re-submit" after fixing a typo. The district calendar is "distributed" the same way (once) and
each department acknowledges it once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from meetings import access
from meetings.models import (
    Calendar,
    CalendarAcknowledgement,
    CalendarEntry,
    CalendarSettings,
    CalendarState,
    MeetingLevel,
)
from meetings.models.levels import LEVEL_UNIT_KIND
from meetings.selectors import calendars as selectors
from notifications.models import NotificationKind
from notifications.services import notify
from workcalendar.selectors import workdays


@dataclass
class EntryInput:
    date: date
    topic: str = ""
    host_id: int | None = None
    host_name: str = ""
    content: str = ""
    template_version_id: int | None = None
    cancelled: bool = False  # take the day's meeting off (an empty topic does the same)


def _check_level(unit, level: str) -> None:
    if level not in MeetingLevel.values:
        raise ValidationError({"level": _("Unknown meeting level.")})
    if LEVEL_UNIT_KIND[level] != unit.kind:
        raise ValidationError(
            {"level": _("A %(kind)s does not hold this level of meeting.") % {"kind": unit.kind}}
        )


def _check_month(month: date) -> date:
    if month.day != 1:
        raise ValidationError({"month": _("A calendar month starts on the 1st.")})
    return month


@transaction.atomic
def calendar_create(*, acting_user, unit, level: str, month: date) -> Calendar:
    """An empty draft calendar for the unit's `level` meetings of `month`."""
    access.require_write(acting_user, unit)
    _check_level(unit, level)
    _check_month(month)
    if unit.closed_on:
        raise ValidationError(_("The unit is closed."))
    try:
        with transaction.atomic():
            return Calendar.objects.create(
                unit=unit, level=level, month=month, created_by=acting_user
            )
    except IntegrityError:
        raise ConflictError(
            _("The %(unit)s already has this calendar for %(month)s.")
            % {"unit": unit, "month": f"{month:%Y-%m}"}
        ) from None


def _lock(calendar: Calendar) -> Calendar:
    return Calendar.objects.select_for_update().select_related("unit").get(pk=calendar.pk)


@transaction.atomic
def calendar_entries_save(
    *,
    acting_user,
    calendar: Calendar,
    entries: list[EntryInput],
    base_version: int | None = None,
) -> Calendar:
    """Save the given days of the calendar, all or nothing. For each day: a topic writes the
    day's meeting (updating the active entry, or adding one); no topic (or `cancelled`) takes the
    day's meeting off, kept as cancelled. Days not given are left as they are.

    The entries are edited as one month: a save on a stale `base_version` of the calendar is
    refused (StaleVersion; selectors.entry_changes_since lists what the other person changed)."""
    access.require_write(acting_user, calendar.unit)
    calendar = _lock(calendar)
    check_version(calendar, base_version)
    unit = calendar.unit
    start, end = calendar.month, selectors.month_end(calendar.month)
    open_days = set(workdays(unit, start, end))
    active = {e.date: e for e in calendar.entries.filter(cancelled_at__isnull=True)}
    hosts = {e.host_id for e in entries if e.host_id and not e.cancelled and e.topic.strip()}
    allowed_hosts = (
        set(selectors.host_choices(unit).filter(pk__in=hosts).values_list("pk", flat=True))
        if hosts
        else set()
    )
    versions = {
        e.template_version_id
        for e in entries
        if e.template_version_id and not e.cancelled and e.topic.strip()
    }
    allowed_versions = (
        set(
            selectors.template_choices(unit, calendar.level)
            .filter(pk__in=versions)
            .values_list("pk", flat=True)
        )
        if versions
        else set()
    )
    errors: dict[str, list[str]] = {}
    seen: set[date] = set()
    now = timezone.now()
    to_create, to_update, to_cancel = [], [], []
    for item in entries:
        key = f"{item.date:%Y-%m-%d}"
        if item.date in seen:
            errors.setdefault(key, []).append(_("This day is given twice."))
            continue
        seen.add(item.date)
        topic = item.topic.strip()
        current = active.get(item.date)
        if item.cancelled or not topic:
            if current is not None:
                to_cancel.append(current)
            continue
        if not (start <= item.date <= end):
            errors.setdefault(key, []).append(_("The day is outside the calendar's month."))
            continue
        if item.date not in open_days and current is None:
            errors.setdefault(key, []).append(_("Not a workday in the work calendar."))
            continue
        if item.host_id and item.host_id not in allowed_hosts:
            errors.setdefault(key, []).append(
                _("The speaker must be a member of the unit; type other names instead.")
            )
        if item.template_version_id and item.template_version_id not in allowed_versions:
            errors.setdefault(key, []).append(_("This template cannot be used by the unit."))
        if len(topic) > 200 or len(item.host_name.strip()) > 50:
            errors.setdefault(key, []).append(_("The topic or the speaker's name is too long."))
        values = {
            "topic": topic,
            "host_id": item.host_id or None,
            "host_name": item.host_name.strip(),
            "content": item.content.strip(),
            "template_version_id": item.template_version_id or None,
        }
        if current is None:
            to_create.append(CalendarEntry(calendar=calendar, date=item.date, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    if errors:
        raise ValidationError(errors)
    # Row by row so each change lands in the history with its author (a month is ≤ 31 rows).
    for entry in to_cancel:
        entry.cancelled_at = now
        entry._history_user = acting_user
        entry.save(update_fields=["cancelled_at"])
    for entry in to_update:
        entry._history_user = acting_user
        entry.save()
    for entry in to_create:
        entry._history_user = acting_user
        entry.save()
    claim_version(calendar, base_version)
    calendar._history_user = acting_user
    calendar.save(update_fields=["updated_at"])
    return calendar


def copy_target_day(day: date, month: date, open_days: set[date]) -> date | None:
    """Where an entry of `day` lands in `month`: the same weekday of the same order (the 2nd
    Tuesday stays the 2nd Tuesday), if that day exists and is a workday."""
    order = (day.day - 1) // 7
    first = month
    offset = (day.weekday() - first.weekday()) % 7
    target = first + timedelta(days=offset + 7 * order)
    if target.month != month.month or target not in open_days:
        return None
    return target


@transaction.atomic
def calendar_copy_from_previous(
    *, acting_user, unit, level: str, month: date
) -> tuple[Calendar, int, int]:
    """Start `month`'s calendar from the previous month's: each active entry goes to the same
    weekday of the same order in the new month (meetings run on a weekly rhythm — Monday's
    review, Friday's summary), and is skipped when that day does not exist or is not a workday.
    Creates the calendar if needed; refuses when it already has meetings. Returns (calendar,
    copied, skipped)."""
    access.require_write(acting_user, unit)
    _check_level(unit, level)
    _check_month(month)
    source = (
        Calendar.objects.filter(unit=unit, level=level, month=selectors.previous_month(month))
        .select_related("unit")
        .first()
    )
    if source is None:
        raise ValidationError(_("There is no calendar for the month before to copy."))
    calendar = Calendar.objects.filter(unit=unit, level=level, month=month).first()
    if calendar is None:
        calendar = calendar_create(acting_user=acting_user, unit=unit, level=level, month=month)
    calendar = _lock(calendar)
    if calendar.entries.filter(cancelled_at__isnull=True).exists():
        raise ConflictError(_("This calendar already has meetings; copying would overwrite them."))
    open_days = set(workdays(unit, month, selectors.month_end(month)))
    created, skipped, taken = [], 0, set()
    for entry in source.entries.filter(cancelled_at__isnull=True).order_by("date"):
        target = copy_target_day(entry.date, month, open_days)
        if target is None or target in taken:
            skipped += 1
            continue
        taken.add(target)
        created.append(
            CalendarEntry(
                calendar=calendar,
                date=target,
                topic=entry.topic,
                host_id=entry.host_id,
                host_name=entry.host_name,
                content=entry.content,
                template_version_id=entry.template_version_id,
            )
        )
    for entry in created:
        entry._history_user = acting_user
        entry.save()
    calendar.copied_from = source
    calendar._history_user = acting_user
    calendar.save(update_fields=["copied_from", "updated_at"])
    return calendar, len(created), skipped


@transaction.atomic
def calendar_submit(*, acting_user, calendar: Calendar) -> Calendar:
    """A department's or group's calendar goes to the district (once; see the module note)."""
    access.require_write(acting_user, calendar.unit)
    calendar = _lock(calendar)
    if calendar.level == MeetingLevel.DISTRICT:
        raise ValidationError(_("The district calendar is distributed, not submitted."))
    if calendar.state != CalendarState.DRAFT:
        raise ConflictError(_("This calendar has been submitted already."))
    if not calendar.entries.filter(cancelled_at__isnull=True).exists():
        raise ValidationError(_("Plan at least one meeting before submitting."))
    calendar.state = CalendarState.SUBMITTED
    calendar.submitted_at = timezone.now()
    calendar.submitted_by = acting_user
    calendar._history_user = acting_user
    calendar.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    return calendar


@transaction.atomic
def calendar_distribute(*, acting_user, calendar: Calendar) -> Calendar:
    """The district calendar goes to the district's departments; their managers and assistants
    are notified (once)."""
    access.require_write(acting_user, calendar.unit)
    calendar = _lock(calendar)
    if calendar.level != MeetingLevel.DISTRICT:
        raise ValidationError(_("Only the district calendar is distributed."))
    if calendar.state != CalendarState.DRAFT:
        raise ConflictError(_("This calendar has been distributed already."))
    if not calendar.entries.filter(cancelled_at__isnull=True).exists():
        raise ValidationError(_("Plan at least one meeting before distributing."))
    calendar.state = CalendarState.DISTRIBUTED
    calendar.submitted_at = timezone.now()
    calendar.submitted_by = acting_user
    calendar._history_user = acting_user
    calendar.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    _notify_distribution(calendar)
    return calendar


def _notify_distribution(calendar: Calendar) -> None:
    from org.access import Cap, holders
    from org.models import Unit

    departments = Unit.objects.filter(
        district_id=calendar.unit_id, kind="department", closed_on__isnull=True
    )
    recipients = (
        holders(Cap.ACKNOWLEDGE_CALENDARS, departments).values_list("pk", flat=True).distinct()
    )
    url = reverse("meetings:calendar_detail", args=[calendar.pk])
    title = _("District meeting calendar for %(month)s: please read and acknowledge") % {
        "month": f"{calendar.month:%Y-%m}"
    }
    notify(
        recipients=recipients,
        kind=NotificationKind.PUBLISHED,
        title=title,
        url=url,
        dedupe_key=f"meetings:calendar-distributed:{calendar.pk}",
    )


@transaction.atomic
def calendar_acknowledge(*, acting_user, calendar: Calendar, department) -> CalendarAcknowledgement:
    """The department's manager or assistant acknowledges the distributed district calendar
    (once per department)."""
    if not selectors.can_acknowledge(acting_user, department):
        raise PermissionDenied
    calendar = _lock(calendar)
    if calendar.level != MeetingLevel.DISTRICT or calendar.state != CalendarState.DISTRIBUTED:
        raise ValidationError(_("Only a distributed district calendar is acknowledged."))
    if department.kind != "department" or department.district_id != calendar.unit_id:
        raise ValidationError(_("The department is not in this district."))
    try:
        with transaction.atomic():
            return CalendarAcknowledgement.objects.create(
                calendar=calendar, unit=department, user=acting_user
            )
    except IntegrityError:
        raise ConflictError(_("This department has acknowledged the calendar already.")) from None


@transaction.atomic
def calendar_settings_update(
    *,
    acting_user,
    district,
    deadline_day: int,
    remind_days_before: int,
    base_version: int | None = None,
) -> CalendarSettings:
    """The district's deadline (day of the month before) and reminder lead time.

    `base_version` is the settings' version the edit was based on (0: the page showed the
    defaults, nothing saved yet); a stale one is refused (StaleVersion). The first save writes
    the defaults, then the change: what the other person changed is listed from the defaults."""
    if district.kind != "district":
        raise ValidationError(_("Calendar settings belong to a sales district."))
    access.require_write(acting_user, district)
    errors = {}
    if not 1 <= deadline_day <= 31:
        errors["deadline_day"] = _("Give a day between 1 and 31.")
    if not 0 <= remind_days_before <= 20:
        errors["remind_days_before"] = _("Give between 0 and 20 days.")
    if errors:
        raise ValidationError(errors)
    settings, created = CalendarSettings.objects.select_for_update().get_or_create(
        district=district
    )
    if not created:
        check_version(settings, base_version)
    claim_version(settings, None if created else base_version)
    settings.deadline_day = deadline_day
    settings.remind_days_before = remind_days_before
    settings._history_user = acting_user
    settings.save()
    district._meeting_calendar_settings_cache = settings
    return settings
