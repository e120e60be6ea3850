"""Monthly deductions (差勤扣款, spec §5.4).

- Regulation values: edited with a regulation version while it is editable (draft, returned).
- Run: computes every agent's deduction for a district month
  (selectors.deductions.district_deductions) and writes the lines in bulk; re-running an open
  month replaces the lines and records per agent what changed (DeductionAudit). A closed month
  cannot be run: reopen it first (audited).
- Close: freezes the month and credits the fund with its total (one credit per district month;
  closing again after a correction updates that credit).
"""

import json
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import access
from attendance.models import (
    AttendanceRules,
    DeductionAudit,
    DeductionAuditAction,
    DeductionLine,
    DeductionMonth,
    DeductionMonthState,
    FundEntry,
    FundEntryKind,
    FundEntryState,
)
from attendance.selectors import deductions as deduction_selectors
from attendance.selectors import fund as fund_selectors
from attendance.selectors import month as month_selectors
from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from org.models import Agent, Unit, UnitKind

REGULATION_KIND = "attendance_regulation"
LINE_FIELDS = [
    "late",
    "leave_reported",
    "leave_reported_charged",
    "leave_unreported",
    "absent",
    "amount",
    "rules",
]


def _insert_lines(deduction_month: DeductionMonth, computed) -> None:
    """Write all lines in one statement (the lines travel as one JSON parameter), so that the
    run's query count does not grow with the number of agents; bulk_create (batched by the
    database's parameter limit) for other databases."""
    if not computed:
        return
    columns = ["deduction_month_id", "agent_id", "department_id", *LINE_FIELDS]
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        DeductionLine.objects.bulk_create(
            DeductionLine(
                deduction_month=deduction_month,
                agent_id=line.agent_id,
                department_id=line.department_id,
                **{name: getattr(line, name) for name in LINE_FIELDS},
            )
            for line in computed
        )
        return
    payload = json.dumps(
        [
            [deduction_month.pk, line.agent_id, line.department_id, line.late]
            + [str(getattr(line, name)) for name in LINE_FIELDS[1:-1]]
            + [json.dumps(line.rules)]
            for line in computed
        ]
    )
    quote = connection.ops.quote_name
    names = ", ".join(quote(DeductionLine._meta.get_field(c).column) for c in columns)
    if vendor == "sqlite":
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
        source = "json_each(%s)"
    else:
        casts = ["bigint", "bigint", "bigint", "integer"] + ["numeric"] * 5 + ["jsonb"]
        values = ", ".join(f"(e->>{i})::{cast}" for i, cast in enumerate(casts))
        source = "jsonb_array_elements(%s::jsonb) AS e"
    table = quote(DeductionLine._meta.db_table)
    # Table and column names come from the model; the data is the one parameter.
    sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM {source}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [payload])


def first_of_month(day: date) -> date:
    return day.replace(day=1)


# -- regulation values -----------------------------------------------------------------------------


def regulation_rules(version) -> AttendanceRules | None:
    return AttendanceRules.objects.filter(source_version=version).first()


@transaction.atomic
def regulation_rules_save(
    *, acting_user, version, values: dict, base_version: int | None = None
) -> AttendanceRules:
    """Set the rule values of an attendance regulation version (its author, while editable).

    `base_version` is the version of the values the edit was based on (0: the page showed no
    values yet); a stale one raises StaleVersion."""
    from plans.access import can_author

    document = version.document
    if document.kind.code != REGULATION_KIND:
        raise ValidationError(_("Only an attendance regulation carries rule values."))
    if not can_author(acting_user, document.unit):
        raise PermissionDenied
    if not version.is_editable:
        raise ConflictError(_("The rule values are locked once the version is submitted."))
    if not version.effective_date:
        raise ValidationError(_("Set the version's effective date first."))
    rules = AttendanceRules.objects.select_for_update().filter(source_version=version).first()
    if rules is None:
        rules = AttendanceRules(district_id=document.unit_id, source_version=version)
    else:
        check_version(rules, base_version)
        claim_version(rules, base_version)
    for name in AttendanceRules.VALUE_FIELDS:
        setattr(rules, name, values[name])
    rules.effective_from = version.effective_date
    rules.note = version.title[:200]
    rules._change_reason = "regulation values"
    rules.full_clean(validate_unique=False)
    rules.save()
    return rules


# -- the run -----------------------------------------------------------------------------------


def _require_district(acting_user, district: Unit) -> None:
    if district.kind != UnitKind.DISTRICT:
        raise ValidationError(_("Deductions are run per sales district."))
    if not access.can_run_deductions(acting_user, district):
        raise PermissionDenied


def _lock_month(district: Unit, month: date) -> DeductionMonth | None:
    return DeductionMonth.objects.select_for_update().filter(district=district, month=month).first()


@transaction.atomic
def deduction_run(*, acting_user, district: Unit, month: date) -> DeductionAudit:
    """Compute (or recompute) the district's deductions for the month containing `month`."""
    _require_district(acting_user, district)
    first, last = month_selectors.month_bounds(month.year, month.month)
    today = timezone.localdate()
    if first > today:
        raise ValidationError(_("This month has not started yet."))
    deduction_month = _lock_month(district, first)
    if deduction_month and deduction_month.is_closed:
        raise ConflictError(_("This month is closed; reopen it to correct it."))
    segments, computed = deduction_selectors.district_deductions(district, first, last, today=today)
    now = timezone.now()
    total = sum((line.amount for line in computed), Decimal("0"))
    if deduction_month is None:
        before_total, old = None, {}
        deduction_month = DeductionMonth.objects.create(
            district=district, month=first, run_at=now, run_by=acting_user, total=total,
            segments=[part.as_dict() for part in segments],
        )  # fmt: skip
    else:
        before_total = deduction_month.total
        old = dict(deduction_month.lines.values_list("agent_id", "amount"))
        deduction_month.lines.all().delete()
        deduction_month.run_at, deduction_month.run_by = now, acting_user
        deduction_month.total = total
        deduction_month.segments = [part.as_dict() for part in segments]
        deduction_month.save(update_fields=["run_at", "run_by", "total", "segments"])
    _insert_lines(deduction_month, computed)
    changes = []
    if before_total is not None:
        new = {line.agent_id: line.amount for line in computed}
        changed = sorted(
            agent_id
            for agent_id in set(old) | set(new)
            if old.get(agent_id, Decimal("0")) != new.get(agent_id, Decimal("0"))
        )
        names = Agent.objects.filter(pk__in=changed).values_list("pk", "code", "name")
        changes = [
            {
                "agent_id": pk,
                "code": code,
                "name": name,
                "old": str(old.get(pk, Decimal("0.00"))),
                "new": str(new.get(pk, Decimal("0.00"))),
            }
            for pk, code, name in names
        ]
    return DeductionAudit.objects.create(
        deduction_month=deduction_month,
        action=DeductionAuditAction.RUN,
        at=now,
        by=acting_user,
        total_before=before_total,
        total_after=total,
        changes=changes,
    )


@transaction.atomic
def deduction_close(*, acting_user, deduction_month: DeductionMonth) -> DeductionMonth:
    """Freeze the month and credit its total to the fund (one credit per district month)."""
    _require_district(acting_user, deduction_month.district)
    deduction_month = _lock_month(deduction_month.district, deduction_month.month)
    if deduction_month.is_closed:
        raise ConflictError(_("This month is already closed."))
    now = timezone.now()
    deduction_month.state = DeductionMonthState.CLOSED
    deduction_month.closed_at, deduction_month.closed_by = now, acting_user
    deduction_month.save(update_fields=["state", "closed_at", "closed_by"])
    credit = FundEntry.objects.filter(deduction_month=deduction_month).first()
    before = credit.amount if credit else None
    if before is not None and deduction_month.total < before:
        # A correction that lowers an earlier credit must not leave the fund in debt.
        balance = fund_selectors.fund_balance(deduction_month.district)
        if balance - (before - deduction_month.total) < 0:
            raise ValidationError(
                _(
                    "Lowering this month's credit from ¥%(before)s to ¥%(after)s would leave "
                    "the fund below zero (balance ¥%(balance)s)."
                )
                % {"before": before, "after": deduction_month.total, "balance": balance}
            )
    # A credit once made is updated, never deleted (down to zero after a correction).
    if deduction_month.total > 0 or credit is not None:
        _first, last = month_selectors.month_bounds(
            deduction_month.month.year, deduction_month.month.month
        )
        if credit is None:
            credit = FundEntry(
                district=deduction_month.district,
                deduction_month=deduction_month,
                kind=FundEntryKind.CREDIT,
                created_by=acting_user,
            )
        credit.date = last
        credit.amount = deduction_month.total
        credit.purpose = _("Attendance deductions %(month)s") % {
            "month": f"{deduction_month.month:%Y-%m}"
        }
        credit.state = FundEntryState.APPROVED
        credit.approved_by, credit.decided_at = acting_user, now
        credit.save()
    DeductionAudit.objects.create(
        deduction_month=deduction_month,
        action=DeductionAuditAction.CLOSE,
        at=now,
        by=acting_user,
        total_before=before,
        total_after=deduction_month.total,
    )
    return deduction_month


@transaction.atomic
def deduction_reopen(
    *, acting_user, deduction_month: DeductionMonth, reason: str
) -> DeductionMonth:
    """Reopen a closed month for a correction; its fund credit is updated when it closes again."""
    _require_district(acting_user, deduction_month.district)
    if not reason.strip():
        raise ValidationError(_("Say why the month is reopened."))
    deduction_month = _lock_month(deduction_month.district, deduction_month.month)
    if not deduction_month.is_closed:
        raise ConflictError(_("This month is open."))
    deduction_month.state = DeductionMonthState.OPEN
    deduction_month.save(update_fields=["state"])
    DeductionAudit.objects.create(
        deduction_month=deduction_month,
        action=DeductionAuditAction.REOPEN,
        at=timezone.now(),
        by=acting_user,
        reason=reason.strip()[:200],
        total_before=deduction_month.total,
    )
    return deduction_month
