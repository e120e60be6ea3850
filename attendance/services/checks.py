"""Department check records (营业部差勤检查记录表, 附件7): create, refresh, update, verify."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from attendance.access import (
    can_verify_check,
    can_write_check,
)
from attendance.models import (
    AttendanceRecord,
    AttendanceStatus,
    CheckLineKind,
    CheckRecord,
    CheckRecordLine,
)
from attendance.selectors import figures as selectors
from attendance.services.daily import BATCH, today
from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from org.models import Agent, Unit, UnitKind, active_q, placed_q
from workcalendar.selectors import workdays

MAX_CHECK_PERIOD_DAYS = 92


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
    claim_version(record, None)
    record.refreshed_at = timezone.now()
    record._history_user = acting_user
    record.save(update_fields=["refreshed_at", "version"])
    return record


@transaction.atomic
def check_record_update(
    *,
    acting_user,
    record: CheckRecord,
    handling_measures: str,
    handling_results: dict[int, str] | None = None,
    base_version: int | None = None,
) -> CheckRecord:
    """Write the handling measures and each absent person's handling result (until verified).

    `base_version` is the version the edit was based on: a stale one raises StaleVersion."""
    record = _locked_open_record(record, acting_user)
    check_version(record, base_version)
    changed = []
    for line in record.lines.filter(pk__in=list(handling_results or {})):
        text = (handling_results[line.pk] or "").strip()[:200]
        if line.handling_result != text:
            line.handling_result = text
            changed.append(line)
    measures_changed = record.handling_measures != handling_measures.strip()
    if changed or measures_changed:
        claim_version(record, base_version)  # the record's version covers its lines too
    if measures_changed:
        record.handling_measures = handling_measures.strip()
        record._history_user = acting_user
        record.save(update_fields=["handling_measures", "version"])
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
    claim_version(record, None)
    record.save(update_fields=["verifier", "verified_on", "verification_note", "version"])
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
