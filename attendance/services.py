"""Attendance workflows (spec §5): roll call, phone check-in, leave requests through the approval
flow, and the department check records (附件7). Each is one transaction with `acting_user`;
record changes keep their history (django-simple-history), so past-day corrections are audited.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from approvals import services as approvals
from attendance import selectors
from attendance.access import (
    can_enter_leave_for,
    can_record_attendance,
    can_verify_check,
    can_write_check,
    may_change_past_days,
)
from attendance.models import (
    FULL_DAY,
    HALF_DAY,
    HALF_DAY_STATUSES,
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    CheckLineKind,
    CheckRecord,
    CheckRecordLine,
    LeaveRequest,
    LeaveState,
)
from core.exceptions import ConflictError
from org.models import Agent, Unit, UnitKind, active_q, placed_q
from workcalendar.selectors import workdays

__all__ = ["can_record_attendance"]  # the access rule, re-exported for callers of services

LEAVE_KIND = "leave"
MAX_LEAVE_DAYS = 92
MAX_CHECK_PERIOD_DAYS = 92
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


# -- leave requests ------------------------------------------------------------------------------


def _check_leave(agent, start_date, end_date, half_day, reason, exclude_pk=None):
    errors = {}
    if end_date < start_date:
        errors["end_date"] = _("The last day is before the first day.")
    elif half_day and end_date != start_date:
        errors["half_day"] = _("A half-day leave is for one day only.")
    elif (end_date - start_date).days + 1 > MAX_LEAVE_DAYS:
        errors["end_date"] = _("A leave request covers at most %(days)s days.") % {
            "days": MAX_LEAVE_DAYS
        }
    if not (reason or "").strip():
        errors["reason"] = _("Give a reason.")
    if errors:
        raise ValidationError(errors)
    if start_date < agent.hire_date or (agent.resigned_on and end_date > agent.resigned_on):
        raise ValidationError({"start_date": _("The leave is outside the agent's employment.")})
    if not workdays(agent.group, start_date, end_date):
        raise ValidationError({"start_date": _("There is no workday in this period.")})
    overlapping = (
        LeaveRequest.objects.filter(
            agent=agent,
            state__in=[LeaveState.SUBMITTED, LeaveState.APPROVED],
            start_date__lte=end_date,
            end_date__gte=start_date,
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "start_date": _("This overlaps another leave request (%(other)s).")
                % {"other": overlapping}
            }
        )


def _submit_leave(leave: LeaveRequest, acting_user) -> None:
    approvals.approval_submit(
        acting_user=acting_user,
        subject=leave,
        kind=LEAVE_KIND,
        unit=leave.agent.group,
        title=leave.title,
        url=leave.get_absolute_url(),
    )


@transaction.atomic
def leave_request_create(
    *,
    acting_user,
    agent: Agent,
    start_date: date,
    end_date: date,
    half_day: bool = False,
    reason: str,
) -> LeaveRequest:
    """请假申请, by the agent or entered for them by their supervisor or the assistant; goes to
    the approval flow (kind "leave": the group's supervisor unless configured otherwise)."""
    if not can_enter_leave_for(acting_user, agent):
        raise PermissionDenied(_("You may not enter leave for %(agent)s.") % {"agent": agent})
    _check_leave(agent, start_date, end_date, half_day, reason)
    leave = LeaveRequest(
        agent=agent,
        start_date=start_date,
        end_date=end_date,
        half_day=half_day,
        reason=reason.strip(),
        created_by=acting_user,
    )
    leave._history_user = acting_user
    leave.save()
    _submit_leave(leave, acting_user)
    return leave


@transaction.atomic
def leave_request_resubmit(
    *,
    acting_user,
    leave: LeaveRequest,
    start_date: date,
    end_date: date,
    half_day: bool = False,
    reason: str,
) -> LeaveRequest:
    """Correct a returned leave request and submit it again."""
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("agent__group")
        .get(pk=leave.pk)
    )
    if not can_enter_leave_for(acting_user, leave.agent):
        raise PermissionDenied(_("You may not change this leave request."))
    if leave.state != LeaveState.RETURNED:
        raise ConflictError(_("Only a returned leave request can be changed and resubmitted."))
    _check_leave(leave.agent, start_date, end_date, half_day, reason, exclude_pk=leave.pk)
    leave.start_date, leave.end_date, leave.half_day = start_date, end_date, half_day
    leave.reason = reason.strip()
    leave.state = LeaveState.SUBMITTED
    leave.decided_at = None
    leave._history_user = acting_user
    leave.save()
    _submit_leave(leave, acting_user)
    return leave


def leave_days(leave: LeaveRequest) -> list[date]:
    """The workdays the leave covers while the agent is employed."""
    agent = leave.agent
    first, last = selectors.employment_bounds(agent, leave.start_date, leave.end_date)
    return workdays(agent.group, first, last)


def on_leave_approved(leave: LeaveRequest, acting_user) -> None:
    """Approval hook (runs in the approval's transaction): the leave's workdays become leave.
    A day counts as reported (已报备) when the approval came before that day began; days on or
    before the approval date count as unreported. Approved leave replaces what was recorded."""
    leave = LeaveRequest.objects.select_related("agent__group").get(pk=leave.pk)
    decided_at = timezone.now()
    decided_on = timezone.localdate(decided_at)
    fraction = HALF_DAY if leave.half_day else FULL_DAY
    entries = [
        Entry(
            agent_id=leave.agent_id,
            day=day,
            status=AttendanceStatus.LEAVE,
            fraction=fraction,
            reported=decided_on < day,
        )
        for day in leave_days(leave)
    ]
    _apply(
        entries,
        acting_user=acting_user,
        source=AttendanceSource.LEAVE,
        reason=_("Leave approved"),
        leave_request=leave,
    )
    _set_leave_state(leave, LeaveState.APPROVED, decided_at, acting_user)


def on_leave_returned(leave: LeaveRequest, acting_user) -> None:
    _set_leave_state(leave, LeaveState.RETURNED, timezone.now(), acting_user)


def _set_leave_state(leave, state, decided_at, acting_user) -> None:
    leave.state = state
    leave.decided_at = decided_at
    leave._history_user = acting_user
    leave.save(update_fields=["state", "decided_at"])


def leave_decide(
    *, acting_user, leave: LeaveRequest, decision: str, expected_step: int | None, comment: str = ""
):
    """Approve or return the step of the leave's approval the approver saw
    (approvals.services.decide: the step's approver only; a step that moved on is refused)."""
    return approvals.decide(
        acting_user=acting_user,
        request=approvals.pending_request(
            leave, _("This leave request is not waiting for approval.")
        ),
        decision=decision,
        expected_step=expected_step,
        comment=comment,
    )


# -- check records (附件7) -----------------------------------------------------------------------


def _check_lines(record: CheckRecord) -> list[CheckRecordLine]:
    """People on leave and absent in the record's period, from the attendance data: one grouped
    query (days of leave split by reported or not)."""
    department = record.department
    agents = Agent.objects.in_unit_during(department, record.period_start, record.period_end)
    days = workdays(department, record.period_start, record.period_end)
    if not days:
        return []
    rows = (
        AttendanceRecord.objects.filter(
            # the agent's department on the record's day, while employed (one join)
            placed_q(department, F("date")) & active_q(F("date"), prefix="agent__"),
            agent__in=agents.values("pk"),
            date__in=days,
            status__in=[AttendanceStatus.LEAVE, AttendanceStatus.ABSENT],
        )
        .values("agent_id", "status", "reported", "agent__group__path", "agent__code")
        .annotate(days=Sum("fraction"))
        .order_by("status", "agent__group__path", "agent__code", "-reported")
    )
    return [
        CheckRecordLine(
            record=record,
            kind=CheckLineKind.LEAVE
            if row["status"] == AttendanceStatus.LEAVE
            else CheckLineKind.ABSENT,
            agent_id=row["agent_id"],
            days=selectors._as_decimal(row["days"]),
            reported=row["reported"],
        )
        for row in rows
    ]


def _check_period_errors(check_date, period_start, period_end) -> dict:
    errors = {}
    if check_date > today():
        errors["check_date"] = _("The check date cannot be in the future.")
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    elif period_end > check_date:
        errors["period_end"] = _("The period cannot end after the check date.")
    elif (period_end - period_start).days + 1 > MAX_CHECK_PERIOD_DAYS:
        errors["period_start"] = _("A check covers at most %(days)s days.") % {
            "days": MAX_CHECK_PERIOD_DAYS
        }
    return errors


def _write_lines(record: CheckRecord, acting_user, keep_results: dict | None = None) -> None:
    lines = _check_lines(record)
    keep_results = keep_results or {}
    for line in lines:
        line.handling_result = keep_results.get((line.kind, line.agent_id), "")
    bulk_create_with_history(lines, CheckRecordLine, batch_size=BATCH, default_user=acting_user)


@transaction.atomic
def check_record_create(
    *,
    acting_user,
    department: Unit,
    check_date: date,
    period_start: date,
    period_end: date,
    handling_measures: str = "",
) -> CheckRecord:
    """A department's 差勤检查记录 for a period; its people and days come from attendance."""
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError({"department": _("A check record belongs to a sales department.")})
    if not can_write_check(acting_user, department):
        raise PermissionDenied(
            _("You may not write check records for %(unit)s.") % {"unit": department}
        )
    errors = _check_period_errors(check_date, period_start, period_end)
    if errors:
        raise ValidationError(errors)
    if CheckRecord.objects.filter(department=department, check_date=check_date).exists():
        raise ValidationError(
            {
                "check_date": _("%(unit)s already has a check record for %(day)s.")
                % {"unit": department, "day": check_date}
            }
        )
    record = CheckRecord(
        department=department,
        check_date=check_date,
        period_start=period_start,
        period_end=period_end,
        handling_measures=handling_measures.strip(),
        author=acting_user,
        refreshed_at=timezone.now(),
    )
    record._history_user = acting_user
    record.save()
    _write_lines(record, acting_user)
    return record


def _locked_open_record(record: CheckRecord, acting_user) -> CheckRecord:
    record = (
        CheckRecord.objects.select_for_update(of=("self",))
        .select_related("department", "verifier")
        .get(pk=record.pk)
    )
    if not can_write_check(acting_user, record.department):
        raise PermissionDenied(_("You may not change this check record."))
    if record.is_verified:
        raise ConflictError(
            _("Already verified by %(user)s; it can no longer be changed.")
            % {"user": record.verifier}
        )
    return record


@transaction.atomic
def check_record_refresh(*, acting_user, record: CheckRecord) -> CheckRecord:
    """Take the people and days from the attendance data again (until verified); the handling
    results already written for a person are kept."""
    record = _locked_open_record(record, acting_user)
    old = list(record.lines.all())
    keep = {
        (line.kind, line.agent_id): line.handling_result for line in old if line.handling_result
    }
    record.lines.all().delete()
    _write_lines(record, acting_user, keep)
    record.refreshed_at = timezone.now()
    record._history_user = acting_user
    record.save(update_fields=["refreshed_at"])
    return record


@transaction.atomic
def check_record_update(
    *,
    acting_user,
    record: CheckRecord,
    handling_measures: str,
    handling_results: dict[int, str] | None = None,
) -> CheckRecord:
    """Write the handling measures and each absent person's handling result (until verified)."""
    record = _locked_open_record(record, acting_user)
    if record.handling_measures != handling_measures.strip():
        record.handling_measures = handling_measures.strip()
        record._history_user = acting_user
        record.save(update_fields=["handling_measures"])
    changed = []
    for line in record.lines.filter(pk__in=list(handling_results or {})):
        text = (handling_results[line.pk] or "").strip()[:200]
        if line.handling_result != text:
            line.handling_result = text
            changed.append(line)
    if changed:
        bulk_update_with_history(
            changed, CheckRecordLine, ["handling_result"], default_user=acting_user
        )
    return record


@transaction.atomic
def check_record_verify(
    *, acting_user, record: CheckRecord, verified_on: date | None = None, note: str = ""
) -> CheckRecord:
    """Verify (验证) a check record: by district or department management, never its author."""
    record = (
        CheckRecord.objects.select_for_update(of=("self",))
        .select_related("department", "verifier")
        .get(pk=record.pk)
    )
    if record.is_verified:
        raise ConflictError(_("Already verified by %(user)s.") % {"user": record.verifier})
    if record.author_id == acting_user.pk:
        raise ValidationError(_("The verifier must be a different person from the author."))
    if not can_verify_check(acting_user, record):
        raise PermissionDenied(
            _("You may not verify check records of %(unit)s.") % {"unit": record.department}
        )
    verified_on = verified_on or today()
    if verified_on < record.check_date or verified_on > today():
        raise ValidationError(
            {"verified_on": _("The verification date is between the check date and today.")}
        )
    record.verifier = acting_user
    record.verified_on = verified_on
    record.verification_note = note.strip()[:200]
    record._history_user = acting_user
    record.save(update_fields=["verifier", "verified_on", "verification_note"])
    return record


def default_check_period(department: Unit, check_date: date) -> tuple[date, date]:
    """From the day after the previous check's period (or the month's first day) to the check
    date."""
    previous = (
        CheckRecord.objects.filter(department=department, period_end__lt=check_date)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    start = previous + timedelta(days=1) if previous else check_date.replace(day=1)
    if (check_date - start).days + 1 > MAX_CHECK_PERIOD_DAYS:
        start = check_date.replace(day=1)
    return start, check_date
