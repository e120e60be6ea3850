"""The in-memory plan of the demo branch (units and agents) and the small date helpers the
planning and the writing share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from org.demo.names import BRANCH_CODE, CN_DIGITS, FUNCTIONAL_UNITS
from org.models import AgentStatus, Unit

# -- helpers ---------------------------------------------------------------------------------


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三 (up to 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def on_weekday(day: date, low: date, high: date) -> date:
    """Move a weekend date to the next Monday (or the previous Friday) within [low, high]."""
    if day.weekday() < 5:
        return day
    monday = day + timedelta(days=7 - day.weekday())
    if monday <= high:
        return monday
    friday = day - timedelta(days=day.weekday() - 4)
    return friday if friday >= low else day


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# -- the plan --------------------------------------------------------------------------------


@dataclass
class GroupPlan:
    code: str
    name: str
    index: int  # position within the department
    department: DepartmentPlan
    members: list[AgentPlan] = field(default_factory=list)
    unit: Unit | None = None


@dataclass
class DepartmentPlan:
    code: str
    name: str
    district: DistrictPlan
    groups: list[GroupPlan] = field(default_factory=list)
    unit: Unit | None = None


@dataclass
class DistrictPlan:
    code: str
    name: str
    region: str
    n_agents: int
    departments: list[DepartmentPlan] = field(default_factory=list)
    unit: Unit | None = None

    @property
    def groups(self) -> list[GroupPlan]:
        return [g for d in self.departments for g in d.groups]


@dataclass
class AgentPlan:
    idx: int
    group: GroupPlan  # current group
    role: str  # "head" (department head), "leader" (group leader) or "member"
    name: str = ""
    gender: str = ""
    id_number: str = ""
    mobile: str = ""
    education: str = ""
    hire_date: date | None = None
    status: str = AgentStatus.PROBATION
    resigned_on: date | None = None
    # (date, rank index, reason); the first entry is the rank at hire
    ranks: list[tuple[date, int, str]] = field(default_factory=list)
    first_group: GroupPlan | None = None  # group at hire, if a transfer followed
    transfer_on: date | None = None
    transfer_reason: str = ""
    recruiter: AgentPlan | None = None
    code: str = ""
    practice_no: str = ""
    practice_until: date | None = None
    qualification_no: str = ""
    deposit: Decimal = Decimal("0.00")
    username: str = ""  # demo login linked to this agent
    order: int = 0  # position in hire order
    pk: int | None = None

    @property
    def rank(self) -> int:
        return self.ranks[-1][1]

    @property
    def initial_group(self) -> GroupPlan:
        return self.first_group or self.group

    def active_on(self, day: date) -> bool:
        return self.resigned_on is None or self.resigned_on >= day


@dataclass
class DemoPlan:
    today: date
    districts: list[DistrictPlan]
    agents: list[AgentPlan]  # in hire order (= code order)
    supervisor: AgentPlan
    agent_user: AgentPlan

    @property
    def groups(self) -> list[GroupPlan]:
        return [g for d in self.districts for g in d.groups]

    @property
    def unit_codes(self) -> list[str]:
        codes = [BRANCH_CODE] + [code for _kind, _name, code in FUNCTIONAL_UNITS]
        for district in self.districts:
            codes.append(district.code)
            codes += [department.code for department in district.departments]
            codes += [group.code for group in district.groups]
        return codes
