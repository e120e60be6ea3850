"""附件7 营业部差勤检查记录表: the people of a check record, one row per person.

The record keeps one line per (kind, agent, reported) (attendance.services.checks), so a person
with reported and unreported leave and an absence has three lines. The form shows one row per
person with the days summed: leave days split into reported in advance and not, absent days, and
the handling result of the absence (the one line whose result people write; absences are never
"reported", so a person has at most one absent line). The page, the print and the Excel export
all read `check_record_people`: one grouped query, whatever the number of lines.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q, Sum

from attendance.models import CheckLineKind, CheckRecordLine
from attendance.selectors.figures import _as_decimal

ZERO = Decimal("0")


@dataclass
class CheckPerson:
    agent_id: int
    code: str
    name: str
    group: str  # the agent's current group
    leave_reported: Decimal  # leave days reported in advance (已报备)
    leave_unreported: Decimal  # leave days not reported
    absent: Decimal  # absent days (旷工)
    handling_result: str  # the handling result of the absence ("" when none or not absent)
    absent_line_id: int | None  # the line whose handling result is written (None: not absent)

    @property
    def leave(self) -> Decimal:
        return self.leave_reported + self.leave_unreported


@dataclass
class CheckPeople:
    rows: list[CheckPerson] = field(default_factory=list)
    leave_reported: Decimal = ZERO
    leave_unreported: Decimal = ZERO
    absent: Decimal = ZERO

    @property
    def leave(self) -> Decimal:
        return self.leave_reported + self.leave_unreported


def check_record_people(record) -> CheckPeople:
    """The people of `record`, one row each (by group, then agent code), and the day totals."""
    leave = Q(kind=CheckLineKind.LEAVE)
    absent = Q(kind=CheckLineKind.ABSENT)
    rows = (
        CheckRecordLine.objects.filter(record=record)
        .values(
            "agent_id", "agent__code", "agent__name", "agent__group__name", "agent__group__path"
        )
        .annotate(
            leave_reported=Sum("days", filter=leave & Q(reported=True)),
            leave_unreported=Sum("days", filter=leave & Q(reported=False)),
            absent=Sum("days", filter=absent),
            absent_line_id=Max("pk", filter=absent),
            handling_result=Max("handling_result", filter=absent),
        )
        .order_by("agent__group__path", "agent__code")
    )
    people = CheckPeople()
    for row in rows:
        person = CheckPerson(
            agent_id=row["agent_id"],
            code=row["agent__code"],
            name=row["agent__name"],
            group=row["agent__group__name"] or "",
            leave_reported=_as_decimal(row["leave_reported"]),
            leave_unreported=_as_decimal(row["leave_unreported"]),
            absent=_as_decimal(row["absent"]),
            handling_result=row["handling_result"] or "",
            absent_line_id=row["absent_line_id"],
        )
        people.rows.append(person)
        people.leave_reported += person.leave_reported
        people.leave_unreported += person.leave_unreported
        people.absent += person.absent
    return people
