"""Monthly deductions: the computation per agent and the scoped reads of months and lines.

Deduction lines are those of the agents the user sees (Agent.objects.visible_to): an agent their
own, a supervisor their group, the department its agents, the district all.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from attendance.access import own_unit_ids
from attendance.models import (
    AttendanceRules,
    AttendanceStatus,
    DeductionLine,
    DeductionMonth,
)
from attendance.selectors.figures import DAYS, ZERO, _as_decimal, _counted_records
from attendance.selectors.rules import RulesSegment, rules_segments
from org.access import get_object_for_user
from org.models import Agent, AgentPlacement, Unit, UnitKind
from workcalendar.selectors import workdays

# -- monthly deductions ----------------------------------------------------------------------------

CENT = Decimal("0.01")


@dataclass
class DeductionCounts:
    late: int = 0
    leave_reported: Decimal = ZERO
    leave_unreported: Decimal = ZERO
    absent: Decimal = ZERO


@dataclass
class ComputedLine:
    agent_id: int
    department_id: int
    late: int = 0
    leave_reported: Decimal = ZERO
    leave_reported_charged: Decimal = ZERO
    leave_unreported: Decimal = ZERO
    absent: Decimal = ZERO
    amount: Decimal = ZERO
    rules: list = field(default_factory=list)


def deduction_amount(parts: list[tuple[DeductionCounts, AttendanceRules]]) -> ComputedLine:
    """The month's deduction from the counts per rules segment, in date order.

    Late, unreported leave and absence are priced by the rules of their own days. The free
    reported-leave allowance is per month and consumed in date order: a reported leave day is
    free while the month's reported leave days so far (this one included) stay within the free
    days of the rules in force on that day; beyond them it costs that day's rate."""
    line = ComputedLine(agent_id=0, department_id=0)
    used = ZERO
    amount = ZERO
    for counts, rules in parts:
        amount += counts.late * rules.late_deduction
        amount += counts.leave_unreported * rules.unreported_leave_deduction
        amount += counts.absent * rules.absence_deduction
        free = max(ZERO, min(counts.leave_reported, rules.free_reported_leave_days - used))
        charged = counts.leave_reported - free
        used += counts.leave_reported
        amount += charged * rules.reported_leave_deduction
        line.late += counts.late
        line.leave_reported += counts.leave_reported
        line.leave_reported_charged += charged
        line.leave_unreported += counts.leave_unreported
        line.absent += counts.absent
        if rules.pk is not None and rules.pk not in line.rules:
            line.rules.append(rules.pk)
    line.amount = amount.quantize(CENT, ROUND_HALF_UP)
    return line


def district_deductions(
    district: Unit, first: date, last: date, *, today: date | None = None
) -> tuple[list[RulesSegment], list[ComputedLine]]:
    """Every agent's deduction in the district for [first, last] (cut at today), for the agents
    with a late, leave or absent day that counts (as in the figures: workdays while employed and
    placed in the district).

    Queries: the rules (1), the calendar (1), the agents (1) and one grouped query of counts per
    agent and rules segment — the same for 10 agents or 20,000."""
    today = today or timezone.localdate()
    through = min(last, today)
    segments = rules_segments(district, first, last)
    if through < first:
        return segments, []
    queryset = Agent.objects.in_unit_during(district, first, through)
    # The line goes to the department of the agent's last group in the district that month.
    departments = {
        placement["agent_id"]: placement["group__parent_id"]
        for placement in AgentPlacement.objects.filter(agent__in=queryset.values("pk"))
        .in_unit(district)
        .overlapping(first, through)
        .order_by("agent_id", "valid_from")
        .values("agent_id", "group__parent_id")
    }
    days = {district.pk: workdays(district, first, through)}
    if len(segments) == 1:
        segment = Value(0)
    else:
        segment = Case(
            *[
                When(date__range=(part.start, part.end), then=Value(index))
                for index, part in enumerate(segments)
            ],
            default=Value(-1),
        )
    zero = Value(ZERO, output_field=DAYS)
    rows = (
        _counted_records(queryset, first, through, days, unit=district)
        .exclude(status=AttendanceStatus.PRESENT)
        .annotate(segment=segment)
        .values("agent_id", "segment")
        .annotate(
            late=Count("id", filter=Q(status=AttendanceStatus.LATE)),
            leave_reported=Coalesce(
                Sum("fraction", filter=Q(status=AttendanceStatus.LEAVE, reported=True)), zero
            ),
            leave_unreported=Coalesce(
                Sum("fraction", filter=Q(status=AttendanceStatus.LEAVE, reported=False)), zero
            ),
            absent=Coalesce(Sum("fraction", filter=Q(status=AttendanceStatus.ABSENT)), zero),
        )
        .order_by("agent_id", "segment")
    )
    per_agent: dict[int, list] = defaultdict(list)
    for row in rows:
        if row["segment"] < 0 or row["agent_id"] not in departments:
            continue
        counts = DeductionCounts(
            late=row["late"],
            leave_reported=_as_decimal(row["leave_reported"]),
            leave_unreported=_as_decimal(row["leave_unreported"]),
            absent=_as_decimal(row["absent"]),
        )
        per_agent[row["agent_id"]].append((counts, segments[row["segment"]].rules))
    lines = []
    for agent_id, parts in per_agent.items():
        line = deduction_amount(parts)
        line.agent_id, line.department_id = agent_id, departments[agent_id]
        lines.append(line)
    return segments, lines


def visible_lines(user):
    return DeductionLine.objects.visible_to(user)


def visible_months(user):
    return DeductionMonth.objects.visible_to(user).select_related("district")


def user_districts(user):
    """Districts the user works in or sees (for the pickers)."""
    return Unit.objects.filter(kind=UnitKind.DISTRICT).filter(
        Q(pk__in=Unit.objects.visible_to(user).values("pk")) | Q(pk__in=own_unit_ids(user))
    )


def get_month_for_user(user, pk) -> DeductionMonth:
    return get_object_for_user(DeductionMonth.objects.select_related("district"), user, pk)


def department_totals(deduction_month: DeductionMonth, lines):
    """Per department: agents with a line and the amount (one grouped query)."""
    return (
        lines.filter(deduction_month=deduction_month)
        .values("department_id", "department__name")
        .annotate(agents=Count("id"), amount=Sum("amount"))
        .order_by("department__path")
    )
