"""Daily attendance writes: roll call, past-day corrections, checked import rows and phone
check-in. Record changes keep their history (django-simple-history), so corrections are audited.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from attendance.access import (
    can_record_attendance,
    may_change_past_days,
)
from attendance.models import (
    FULL_DAY,
    HALF_DAY,
    HALF_DAY_STATUSES,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    LeaveRequest,
)
from attendance.selectors import rules as selectors
from core.exceptions import ConflictError
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import workdays

__all__ = ["can_record_attendance"]  # the access rule, re-exported for callers of services


RECORD_FIELDS = ["status", "fraction", "reported", "leave_request", "source", "recorded_by"]
BATCH = 500


def today() -> date:
    return timezone.localdate()


# -- writing records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One agent's status on one day, as entered."""

    agent_id: int
    day: date
    status: str
    fraction: Decimal = FULL_DAY
    reported: bool = False


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def entry_errors(status: str, fraction, reported: bool) -> dict[str, str]:
    """What is wrong with one entry's values (empty when fine); shared by every entry path."""
    errors = {}
    if status not in AttendanceStatus.values:
        errors["status"] = _("Unknown status.")
        return errors
    try:
        fraction = Decimal(str(fraction))
    except (ArithmeticError, ValueError):
        fraction = None
    if fraction not in (FULL_DAY, HALF_DAY):
        errors["fraction"] = _("Days must be 1 or 0.5.")
    elif fraction == HALF_DAY and status not in HALF_DAY_STATUSES:
        errors["fraction"] = _("Only leave and absence may be half a day.")
    if reported and status != AttendanceStatus.LEAVE:
        errors["reported"] = _("Only leave can be reported in advance.")
    return errors


def _apply(
    entries: Iterable[Entry],
    *,
    acting_user,
    source: str,
    reason: str = "",
    leave_request: LeaveRequest | None = None,
) -> WriteResult:
    """Create or update the records of `entries` (already checked), with history; unchanged ones
    are left alone. Bounded queries: one locking read, bulk inserts, and one UPDATE per distinct
    set of new values."""
    entries = list(entries)
    result = WriteResult()
    if not entries:
        return result
    agent_ids = {e.agent_id for e in entries}
    days = [e.day for e in entries]
    existing = {
        (record.agent_id, record.date): record
        for record in AttendanceRecord.objects.select_for_update().filter(
            agent_id__in=agent_ids, date__range=(min(days), max(days))
        )
    }
    to_create, to_update = [], []
    now = timezone.now()
    for entry in entries:
        record = existing.get((entry.agent_id, entry.day))
        values = {
            "status": entry.status,
            "fraction": Decimal(str(entry.fraction)),
            "reported": entry.reported,
        }
        if record is None:
            to_create.append(
                AttendanceRecord(
                    agent_id=entry.agent_id,
                    date=entry.day,
                    source=source,
                    leave_request=leave_request,
                    recorded_by=acting_user,
                    **values,
                )
            )
            continue
        link = leave_request or (
            record.leave_request if entry.status == AttendanceStatus.LEAVE else None
        )
        if all(getattr(record, name) == value for name, value in values.items()) and (
            record.leave_request_id == (link.pk if link else None)
        ):
            result.unchanged += 1
            continue
        for name, value in values.items():
            setattr(record, name, value)
        record.leave_request = link
        record.source = source
        record.recorded_by = acting_user
        record.updated_at = now
        to_update.append(record)
    try:
        with transaction.atomic():
            if to_create:
                bulk_create_with_history(
                    to_create,
                    AttendanceRecord,
                    batch_size=BATCH,
                    default_user=acting_user,
                    default_change_reason=reason or None,
                )
            if to_update:
                _update_grouped(to_update, now)
                AttendanceRecord.history.bulk_history_create(
                    to_update,
                    batch_size=BATCH,
                    update=True,
                    default_user=acting_user,
                    default_change_reason=reason or None,
                )
    except IntegrityError as exc:
        raise ConflictError(
            _("Someone else saved attendance for these agents at the same time. Reload the page.")
        ) from exc
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _update_grouped(records: list[AttendanceRecord], now) -> None:
    """Write changed records with one UPDATE … WHERE id IN (…) per distinct set of new values:
    a roll call has a handful of them (status × half day × reported), whereas a per-row
    bulk_update builds a CASE per field and row and takes most of a 300-agent save's time."""
    groups: dict[tuple, list[int]] = {}
    for record in records:
        key = tuple(getattr(record, field.attname) for field in _update_fields())
        groups.setdefault(key, []).append(record.pk)
    names = [field.attname for field in _update_fields()]
    for key, ids in groups.items():
        for start in range(0, len(ids), BATCH):
            AttendanceRecord.objects.filter(pk__in=ids[start : start + BATCH]).update(
                updated_at=now, **dict(zip(names, key, strict=True))
            )


def _update_fields():
    return [AttendanceRecord._meta.get_field(name) for name in RECORD_FIELDS]


@transaction.atomic
def attendance_record_day(
    *, acting_user, unit: Unit, day: date, entries: list[Entry], reason: str = ""
) -> WriteResult:
    """Roll call (点名): the statuses of a group's or department's agents on one workday, in one
    request. Agents not in `entries` keep what they have."""
    if not can_record_attendance(acting_user, unit, day):
        if day > today():
            raise ValidationError({"date": _("Attendance cannot be recorded for a future day.")})
        if day < today() and not may_change_past_days(acting_user, unit):
            raise PermissionDenied(
                _("Only the department assistant and above may record or change a past day.")
            )
        raise PermissionDenied(_("You may not record attendance for %(unit)s.") % {"unit": unit})
    if unit.kind not in {UnitKind.GROUP, UnitKind.DEPARTMENT}:
        raise ValidationError({"unit": _("Choose a sales group or department.")})
    if not workdays(unit, day, day):
        raise ValidationError({"date": _("%(day)s is not a workday.") % {"day": day}})
    allowed = set(Agent.objects.in_unit(unit).active_on(day).values_list("pk", flat=True))
    errors = []
    seen = set()
    for entry in entries:
        if entry.day != day:
            errors.append(_("An entry is for another day."))
        elif entry.agent_id not in allowed:
            errors.append(
                _("Agent %(agent)s is not an active agent of %(unit)s on %(day)s.")
                % {"agent": entry.agent_id, "unit": unit, "day": day}
            )
        elif entry.agent_id in seen:
            errors.append(_("Agent %(agent)s appears twice.") % {"agent": entry.agent_id})
        else:
            errors.extend(entry_errors(entry.status, entry.fraction, entry.reported).values())
        seen.add(entry.agent_id)
    if errors:
        raise ValidationError(errors)
    if day < today() and not reason:
        reason = _("Correction of a past day")
    return _apply(
        entries, acting_user=acting_user, source=AttendanceSource.ROLL_CALL, reason=reason
    )


def apply_import(entries: list[Entry], *, acting_user) -> WriteResult:
    """Write checked import rows (attendance.importer validates them first)."""
    return _apply(
        entries, acting_user=acting_user, source=AttendanceSource.IMPORT, reason=_("Excel import")
    )


# -- phone check-in ------------------------------------------------------------------------------


def check_in_status(moment: datetime, rules) -> str | None:
    """present before `on_time_until`, late until the minute `late_until`, else None (closed).
    The server's clock decides (Asia/Shanghai), never the phone's."""
    minute = timezone.localtime(moment).time().replace(second=0, microsecond=0)
    if minute < rules.on_time_until:
        return AttendanceStatus.PRESENT
    if minute <= rules.late_until:
        return AttendanceStatus.LATE
    return None


@transaction.atomic
def attendance_check_in(*, acting_user) -> AttendanceRecord:
    """The agent checks in on their phone for today."""
    from org.access import own_agent_id

    agent_id = own_agent_id(acting_user)
    if agent_id is None:
        raise PermissionDenied(_("Only an agent can check in."))
    agent = Agent.objects.select_related("group").get(pk=agent_id)
    moment = timezone.now()
    day = timezone.localdate(moment)
    if agent.hire_date > day:
        raise ValidationError(_("You can check in from your hire date on."))
    if not workdays(agent.group, day, day):
        raise ValidationError(_("Today is not a workday; no check-in is needed."))
    rules = selectors.rules_for(agent.group.district_id, day)
    status = check_in_status(moment, rules)
    if status is None:
        raise ValidationError(
            _(
                "Check-in closed at %(time)s. Ask your department assistant to record "
                "today's attendance."
            )
            % {"time": rules.late_until.strftime("%H:%M")}
        )
    existing = AttendanceRecord.objects.filter(agent=agent, date=day).first()
    if existing is not None:
        raise ConflictError(
            _("Today's attendance is already recorded: %(status)s.")
            % {"status": existing.get_status_display()}
        )
    record = AttendanceRecord(
        agent=agent,
        date=day,
        status=status,
        source=AttendanceSource.CHECK_IN,
        checked_in_at=moment,
        recorded_by=acting_user,
    )
    record._history_user = acting_user
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ConflictError(_("Today's attendance was recorded a moment ago.")) from exc
    return record
