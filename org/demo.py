"""Demo data behind `manage.py seed_demo`: name lists, the in-memory plan and the bulk writer.

The plan (`plan_demo`) is pure Python driven by one `random.Random(seed)`, so the same seed on
the same day gives the same branch, people and codes. `write_demo` turns a plan into rows with
bulk inserts only (a few dozen queries per thousand agents), inside the caller's transaction.
"""

from __future__ import annotations

import random
import time as _time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, RoleAssignment
from org.models import (
    Agent,
    AgentPlacement,
    AgentRankChange,
    AgentStatus,
    AgentTransfer,
    Education,
    Gender,
    Rank,
    Unit,
    UnitKind,
)
from org.services import placements
from org.services.agents import id_number_check_code
from workcalendar.models import CalendarDay

BRANCH_CODE = "HZ"
BRANCH_NAME = "华东人寿 杭州分公司"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo password, never for production
DEFAULT_AGENTS = 400
DEFAULT_SEED = 2026
MIN_AGENTS = 80
AGENTS_PER_DISTRICT = 2500
BATCH = 500

HIRED = "入司"
CONFIRMED = "转正"
PROMOTED = "晋升"
TRANSFERRED = "调动"
REORGANISED = "组织调整"
RESIGNED = "离职"

# (code, name, level, leads a team): 试用业务员 → … → 高级业务经理
RANKS = [
    ("PROB", "试用业务员", 1, False),
    ("FORMAL", "正式业务员", 2, False),
    ("SUP", "业务主任", 3, True),
    ("SSUP", "高级业务主任", 4, True),
    ("MGR", "业务经理", 5, True),
    ("SMGR", "高级业务经理", 6, True),
]
PROB, FORMAL, SUP, SSUP, MGR, SMGR = range(len(RANKS))

# Districts are named after Hangzhou's districts; the region code seeds most local ID numbers.
DISTRICTS = [
    ("西湖", "330106"),
    ("拱墅", "330105"),
    ("上城", "330102"),
    ("滨江", "330108"),
    ("萧山", "330109"),
    ("余杭", "330110"),
    ("临平", "330113"),
    ("钱塘", "330114"),
    ("富阳", "330111"),
    ("临安", "330112"),
    ("桐庐", "330122"),
    ("淳安", "330127"),
    ("建德", "330182"),
]
# Other Zhejiang counties, for agents born elsewhere in the province.
ZHEJIANG_REGIONS = [
    "330106",
    "330105",
    "330102",
    "330108",
    "330109",
    "330110",
    "330111",
    "330112",
    "330122",
    "330127",
    "330182",
    "330203",
    "330205",
    "330212",
    "330281",
    "330302",
    "330304",
    "330381",
    "330402",
    "330411",
    "330481",
    "330502",
    "330503",
    "330521",
    "330602",
    "330603",
    "330681",
    "330702",
    "330703",
    "330782",
    "330802",
    "330881",
    "330902",
    "331002",
    "331082",
    "331102",
    "331121",
]
GROUP_NAMES = [
    "雄鹰",
    "飞翔",
    "精英",
    "卓越",
    "腾飞",
    "启航",
    "先锋",
    "超越",
    "星火",
    "金牛",
    "展翅",
    "鼎盛",
    "领航",
    "蓝海",
    "旭日",
    "恒信",
    "凌云",
    "锦程",
    "宏图",
    "诚信",
    "聚力",
    "远航",
    "天骄",
    "奋进",
    "火炬",
    "立信",
    "同心",
    "骏马",
    "朝阳",
    "长青",
]
CN_DIGITS = "零一二三四五六七八九"

# Surnames with rough weights (common ones first, so searches such as "王" find many).
SURNAMES = [
    ("王", 72),
    ("李", 70),
    ("张", 68),
    ("刘", 53),
    ("陈", 55),
    ("杨", 33),
    ("黄", 25),
    ("赵", 22),
    ("吴", 22),
    ("周", 21),
    ("徐", 19),
    ("孙", 16),
    ("马", 13),
    ("朱", 14),
    ("胡", 13),
    ("郭", 12),
    ("何", 11),
    ("林", 11),
    ("高", 10),
    ("罗", 9),
    ("郑", 10),
    ("梁", 7),
    ("谢", 7),
    ("宋", 6),
    ("唐", 6),
    ("许", 7),
    ("韩", 5),
    ("冯", 5),
    ("邓", 5),
    ("曹", 5),
    ("彭", 4),
    ("曾", 4),
    ("肖", 4),
    ("田", 4),
    ("董", 4),
    ("袁", 4),
    ("潘", 4),
    ("蒋", 5),
    ("蔡", 4),
    ("余", 4),
    ("杜", 3),
    ("叶", 5),
    ("程", 3),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 5),
    ("姚", 3),
    ("卢", 3),
    ("姜", 2),
    ("崔", 2),
    ("钟", 2),
    ("谭", 2),
    ("陆", 3),
    ("汪", 3),
    ("范", 2),
    ("金", 3),
    ("石", 2),
    ("方", 3),
    ("邵", 2),
    ("钱", 3),
    ("俞", 3),
    ("应", 2),
    ("楼", 2),
    ("章", 2),
    ("严", 2),
    ("戴", 2),
    ("傅", 2),
    ("夏", 2),
    ("施", 2),
]
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明辉刚健鹏飞俊峰波宇浩然志建国华平东文博旭晨阳海亮昊天宏卫兵亚兴"
    "成康凯林森鑫洋锋毅翔瑞泽宁"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英玲燕红梅洁琳婷雪慧莉萍颖倩琴云佳欣怡蓉晶楠月萌莹璐瑶媛丹露蕾菲婕薇彤晓雯青"
)
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
]
EDUCATION_WEIGHTS = [
    (Education.JUNIOR_HIGH, 7),
    (Education.HIGH_SCHOOL, 35),
    (Education.COLLEGE, 33),
    (Education.BACHELOR, 22),
    (Education.MASTER, 3),
]

# China's public holidays (State Council notices): weekday days off and weekend make-up workdays.
HOLIDAYS = {
    2025: [
        ("元旦", date(2025, 1, 1), date(2025, 1, 1), []),
        ("春节", date(2025, 1, 28), date(2025, 2, 4), [date(2025, 1, 26), date(2025, 2, 8)]),
        ("清明节", date(2025, 4, 4), date(2025, 4, 6), []),
        ("劳动节", date(2025, 5, 1), date(2025, 5, 5), [date(2025, 4, 27)]),
        ("端午节", date(2025, 5, 31), date(2025, 6, 2), []),
        (
            "国庆节、中秋节",
            date(2025, 10, 1),
            date(2025, 10, 8),
            [date(2025, 9, 28), date(2025, 10, 11)],
        ),
    ],
    2026: [
        ("元旦", date(2026, 1, 1), date(2026, 1, 3), [date(2026, 1, 4)]),
        ("春节", date(2026, 2, 15), date(2026, 2, 23), [date(2026, 2, 14), date(2026, 2, 28)]),
        ("清明节", date(2026, 4, 4), date(2026, 4, 6), []),
        ("劳动节", date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)]),
        ("端午节", date(2026, 6, 19), date(2026, 6, 21), []),
        ("中秋节", date(2026, 9, 25), date(2026, 9, 27), []),
        ("国庆节", date(2026, 10, 1), date(2026, 10, 7), [date(2026, 9, 20), date(2026, 10, 10)]),
    ],
}
MAKE_UP_NOTE = "调休上班"

FUNCTIONAL_UNITS = [
    (UnitKind.MARKETING, "营销部", f"{BRANCH_CODE}-MKT"),
    (UnitKind.FINANCE, "财务部", f"{BRANCH_CODE}-FIN"),
    (UnitKind.CUSTOMER_SERVICE, "客服部", f"{BRANCH_CODE}-CS"),
]

# Staff users: username → (full name, role or None, which unit the role is held over).
STAFF_USERS = [
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, "branch"),
    ("marketing", "林晓燕", Role.MARKETING, "branch"),
    ("finance", "钱晓红", Role.FINANCE, "branch"),
    ("service", "郑丽华", Role.CUSTOMER_SERVICE, "branch"),
    ("district_manager", "王建华", Role.DISTRICT_MANAGER, "district"),
    ("trainer", "刘芳", Role.TRAINER, "district"),
    ("district_admin", "赵敏", Role.DISTRICT_ADMIN, "district"),
    ("coach", "孙磊", Role.COACH, "district"),
    ("dept_manager", "周伟", Role.DEPT_MANAGER, "department"),
    ("assistant", "吴静", Role.ASSISTANT, "department"),
    # supervisor and agent take the name of the agent record they are linked to
    ("supervisor", "", Role.SUPERVISOR, "group"),
    ("agent", "", None, None),
]


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


def plan_demo(
    n_agents: int = DEFAULT_AGENTS,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    taken_codes: set[str] | None = None,
) -> DemoPlan:
    """Decide every unit and agent in memory; the same seed and day give the same plan."""
    if n_agents < MIN_AGENTS:
        raise ValueError(f"At least {MIN_AGENTS} agents are needed (one team per group).")
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    districts = _plan_units(rng, n_agents)
    agents = _plan_people(rng, districts, today)
    _plan_careers(rng, districts, agents, today)
    agents.sort(key=lambda a: (a.hire_date, a.idx))
    taken = taken_codes or set()
    number = 33010001
    for order, agent in enumerate(agents):
        agent.order = order
        while str(number) in taken:
            number += 1
        agent.code = str(number)
        number += 1
    _plan_recruiters(rng, agents)
    first_group = districts[0].departments[0].groups[0]
    supervisor = first_group.members[0]
    agent_user = next(a for a in first_group.members if a.username == "agent")
    supervisor.username = "supervisor"
    return DemoPlan(
        today=today,
        districts=districts,
        agents=agents,
        supervisor=supervisor,
        agent_user=agent_user,
    )


def _plan_units(rng: random.Random, n_agents: int) -> list[DistrictPlan]:
    n_districts = max(1, round(n_agents / AGENTS_PER_DISTRICT))
    districts = []
    for d in range(n_districts):
        share = n_agents // n_districts + (1 if d < n_agents % n_districts else 0)
        short, region = DISTRICTS[d] if d < len(DISTRICTS) else (f"第{cn_number(d + 1)}", "330100")
        district = DistrictPlan(
            code=f"D{d + 1:02d}", name=f"{short}营业区", region=region, n_agents=share
        )
        # ~150 agents a department, never fewer than six; big districts have bigger departments
        n_departments = max(6, round(share / 150))
        for b in range(n_departments):
            department = DepartmentPlan(
                code=f"{district.code}-B{b + 1:02d}",
                name=f"{short}第{cn_number(b + 1)}营业部",
                district=district,
            )
            n_groups = rng.randint(4, 6) if share <= 1000 else rng.randint(6, 10)
            for g, group_name in enumerate(rng.sample(GROUP_NAMES, n_groups)):
                department.groups.append(
                    GroupPlan(
                        code=f"{department.code}-G{g + 1:02d}",
                        name=f"{group_name}组",
                        index=g,
                        department=department,
                    )
                )
            district.departments.append(department)
        districts.append(district)
    return districts


def _plan_people(rng: random.Random, districts: list[DistrictPlan], today: date) -> list[AgentPlan]:
    agents: list[AgentPlan] = []
    for district in districts:
        groups = district.groups
        if district.n_agents < 2 * len(groups):
            raise ValueError(f"Too few agents for {len(groups)} groups in {district.name}.")
        sizes = [2] * len(groups)
        weights = [rng.uniform(0.6, 1.4) for _ in groups]
        for g in rng.choices(
            range(len(groups)), weights=weights, k=district.n_agents - 2 * len(groups)
        ):
            sizes[g] += 1
        for group, size in zip(groups, sizes, strict=True):
            for slot in range(size):
                if slot == 0:
                    role = "head" if group.index == 0 else "leader"
                else:
                    role = "member"
                agent = AgentPlan(idx=len(agents), group=group, role=role)
                group.members.append(agent)
                agents.append(agent)
    # the demo `agent` login: an ordinary member of the very first group, kept in service
    districts[0].departments[0].groups[0].members[1].username = "agent"

    surnames, surname_weights = zip(*SURNAMES, strict=True)
    educations, education_weights = zip(*EDUCATION_WEIGHTS, strict=True)
    id_numbers: set[str] = set()
    mobiles: set[str] = set()
    for agent in agents:
        agent.gender = Gender.FEMALE if rng.random() < 0.56 else Gender.MALE
        chars = FEMALE_CHARS if agent.gender == Gender.FEMALE else MALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        agent.name = rng.choices(surnames, weights=surname_weights)[0] + given
        agent.education = rng.choices(educations, weights=education_weights)[0]
        region = (
            agent.group.department.district.region
            if rng.random() < 0.55
            else rng.choice(ZHEJIANG_REGIONS)
        )
        age = rng.randint(23, 55)
        while True:
            born = date(today.year - age, 1, 1) + timedelta(days=rng.randint(0, 364))
            serial = rng.randint(0, 499) * 2 + (1 if agent.gender == Gender.MALE else 0)
            first17 = f"{region}{born:%Y%m%d}{serial:03d}"
            id_number = first17 + id_number_check_code(first17)
            if id_number not in id_numbers:
                break
        id_numbers.add(id_number)
        agent.id_number = id_number
        while True:
            mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            if mobile not in mobiles:
                break
        mobiles.add(mobile)
        agent.mobile = mobile
    return agents


def _rank_path(rng: random.Random, hire: date, target: int, until: date) -> list[tuple]:
    """Rank history reaching `target` by `until`: 转正 after ~3 months, then a step every
    5–11 months; a path that cannot fit starts higher (an experienced hire)."""
    gaps = [rng.randint(75, 110)] + [rng.randint(150, 330) for _ in range(target - 1)]
    gaps = gaps[:target]
    start = 0
    while gaps and sum(gaps) > (until - hire).days:
        gaps.pop(0)
        start += 1
    path = [(hire, start, HIRED)]
    day, rank = hire, start
    for gap in gaps:
        day += timedelta(days=gap)
        rank += 1
        path.append((on_weekday(day, hire, until), rank, CONFIRMED if rank == FORMAL else PROMOTED))
    return path


def _plan_careers(rng: random.Random, districts, agents: list[AgentPlan], today: date) -> None:
    window_start = today - timedelta(days=3 * 365)
    month_start = today.replace(day=1)
    members = [a for a in agents if a.role == "member"]
    # a handful of hires this month, so "new hires this month" shows real figures
    this_month = set(rng.sample(range(len(members)), max(3, len(members) * 3 // 100)))
    for position, agent in enumerate(members):
        if position in this_month:
            day = month_start + timedelta(days=rng.randint(0, (today - month_start).days))
            agent.hire_date = on_weekday(day, month_start, today)
        else:
            day = window_start + timedelta(days=rng.randint(0, (today - window_start).days))
            agent.hire_date = on_weekday(day, window_start, today)
    for agent in agents:
        if agent.role == "head":
            day = today - timedelta(days=rng.randint(900, 3 * 365))
            agent.hire_date = on_weekday(day, window_start, today)
            agent.ranks = _rank_path(
                rng, agent.hire_date, rng.choice([MGR, MGR, SMGR]), today - timedelta(days=20)
            )
        elif agent.role == "leader":
            day = today - timedelta(days=rng.randint(400, 3 * 365))
            agent.hire_date = on_weekday(day, window_start, today)
            target = rng.choices([SUP, SSUP, MGR], weights=[60, 30, 10])[0]
            agent.ranks = _rank_path(rng, agent.hire_date, target, today - timedelta(days=20))
        else:
            _plan_member(rng, agent, today)
        agent.status = _status(agent)
        _plan_papers(rng, agent, today)

    # a few transfers between groups of the same department (or district)
    for agent in members:
        if agent.username or agent.status == AgentStatus.CANDIDATE or rng.random() >= 0.05:
            continue
        until = (agent.resigned_on or today) - timedelta(days=1)
        if (until - agent.hire_date).days < 60:
            continue
        department = agent.group.department
        others = [g for g in department.groups if g is not agent.group]
        reason = TRANSFERRED
        if rng.random() < 0.3 or not others:
            others = [g for g in department.district.groups if g.department is not department]
            reason = REORGANISED
        if not others:
            continue
        agent.first_group = rng.choice(others)
        agent.transfer_on = on_weekday(
            agent.hire_date + timedelta(days=rng.randint(45, (until - agent.hire_date).days)),
            agent.hire_date + timedelta(days=1),
            until,
        )
        agent.transfer_reason = reason


def _plan_member(rng: random.Random, agent: AgentPlan, today: date) -> None:
    hire = agent.hire_date
    tenure = (today - hire).days
    if not agent.username and tenure < 25 and rng.random() < 0.3:
        agent.status = AgentStatus.CANDIDATE
        agent.ranks = [(hire, PROB, HIRED)]
        return
    if not agent.username and tenure >= 30 and rng.random() < 0.16:
        resigned = hire + timedelta(days=rng.randint(20, tenure))
        agent.resigned_on = min(on_weekday(resigned, hire + timedelta(days=1), today), today)
    until = (agent.resigned_on or today) - timedelta(days=1)
    target = PROB
    if (until - hire).days >= 110:
        target = FORMAL
        if (until - hire).days >= 450 and rng.random() < 0.05 and not agent.username:
            target = SUP
    elif (until - hire).days >= 75 and rng.random() < 0.5:
        target = FORMAL
    path = _rank_path(rng, hire, target, until)
    # ordinary members start as 试用业务员: drop a step that would not fit rather than hire high
    while path[0][1] > PROB:
        path = _rank_path(rng, hire, path[-1][1] - 1, until)
    agent.ranks = path


def _status(agent: AgentPlan) -> str:
    if agent.status == AgentStatus.CANDIDATE:
        return AgentStatus.CANDIDATE
    if agent.resigned_on:
        return AgentStatus.RESIGNED
    return AgentStatus.PROBATION if agent.rank == PROB else AgentStatus.FORMAL


def _plan_papers(rng: random.Random, agent: AgentPlan, today: date) -> None:
    if agent.status == AgentStatus.CANDIDATE:
        return
    hire = agent.hire_date
    if rng.random() < 0.9:
        agent.practice_no = f"02000133010080{hire.year}{rng.randint(0, 999_999):06d}"
        valid_until = add_years(hire, 3)
        if valid_until < today and agent.status != AgentStatus.RESIGNED:
            valid_until = add_years(valid_until, 3)  # renewed
        agent.practice_until = valid_until
    if rng.random() < 0.7:
        year = hire.year - rng.randint(0, 1)
        agent.qualification_no = f"{year}3301{rng.randint(0, 10**9 - 1):09d}"
    agent.deposit = Decimal("500.00") if rng.random() < 0.95 else Decimal("0.00")


def _plan_recruiters(rng: random.Random, agents: list[AgentPlan]) -> None:
    """Each recruiter is hired before the recruit (so the tree has no loops), was in service on
    the recruit's hire date, and is mostly from the same department, often the group leader."""
    by_department: dict[str, list[AgentPlan]] = defaultdict(list)
    by_district: dict[str, list[AgentPlan]] = defaultdict(list)

    def fits(candidate: AgentPlan, agent: AgentPlan) -> bool:
        return (
            candidate.hire_date < agent.hire_date
            and candidate.active_on(agent.hire_date)
            and candidate.status != AgentStatus.CANDIDATE
        )

    for agent in agents:
        group = agent.initial_group
        department = group.department
        recruiter = None
        if agent.role != "head" and rng.random() >= 0.08:
            leader = group.members[0]
            if leader is not agent and rng.random() < 0.35 and fits(leader, agent):
                recruiter = leader
            else:
                pool = by_department[department.code]
                if not pool or rng.random() >= 0.85:
                    pool = by_district[department.district.code]
                for _try in range(6):
                    if not pool:
                        break
                    candidate = rng.choice(pool)
                    if fits(candidate, agent):
                        recruiter = candidate
                        break
        agent.recruiter = recruiter
        by_department[department.code].append(agent)
        by_district[department.district.code].append(agent)


# -- writing ---------------------------------------------------------------------------------


def write_demo(plan: DemoPlan, log=None) -> dict:
    """Insert the plan (call inside transaction.atomic). Returns counts for the summary."""
    started = _time.monotonic()
    log = log or (lambda message: None)
    admin, users = _write_users(plan)
    branch, functional = _write_units(plan, admin)
    ranks = _write_ranks(branch, admin)
    _write_roles(plan, users, branch, functional)
    _write_calendar(plan, admin)
    log(f"units and users ready ({_time.monotonic() - started:.1f}s)")
    _write_agents(plan, ranks, users, admin)
    log(f"agents ready ({_time.monotonic() - started:.1f}s)")
    return {
        "units": 1
        + len(functional)
        + sum(1 + len(d.departments) + len(d.groups) for d in plan.districts),
        "agents": len(plan.agents),
        "users": len(users),
        "seconds": _time.monotonic() - started,
    }


def seeded_tables() -> list[str]:
    """The tables write_demo fills (their history tables included)."""
    models = [get_user_model(), RoleAssignment, Unit, Rank, Agent, CalendarDay]
    tables = [m._meta.db_table for m in models]
    tables += [m.history.model._meta.db_table for m in models]
    return tables + [
        AgentRankChange._meta.db_table,
        AgentTransfer._meta.db_table,
        AgentPlacement._meta.db_table,
    ]


def _write_users(plan: DemoPlan):
    User = get_user_model()
    names = [username for username, *_rest in STAFF_USERS]
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo login
    full_names = {"supervisor": plan.supervisor.name, "agent": plan.agent_user.name}

    def build(username, full_name):
        return User(
            username=username,
            full_name=full_names.get(username, full_name),
            email=f"{username}@demo.example.cn",
            language="zh-hans",
            password=password,
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )

    admin = existing.get("admin")
    if admin is None:
        admin = bulk_create_with_history([build("admin", STAFF_USERS[0][1])], User)[0]
    new = [
        build(username, full_name)
        for username, full_name, *_rest in STAFF_USERS
        if username != "admin" and username not in existing
    ]
    created = bulk_create_with_history(new, User, default_user=admin) if new else []
    users = {**existing, "admin": admin, **{u.username: u for u in created}}
    # an existing login that already has an agent record is not linked again
    linked = set(
        Agent.objects.filter(user__in=[u.pk for u in existing.values()]).values_list(
            "user__username", flat=True
        )
    )
    plan.supervisor.username = "" if "supervisor" in linked else "supervisor"
    plan.agent_user.username = "" if "agent" in linked else "agent"
    return admin, users


def _insert_units(units: list[Unit], admin) -> list[Unit]:
    created = bulk_create_with_history(
        units, Unit, batch_size=BATCH, default_user=admin, default_change_reason="演示数据"
    )
    if len(created) != len(units) or any(u.pk is None for u in units):
        raise RuntimeError("The database did not return the new ids (bulk_create).")
    for unit in units:
        unit.path = Unit.child_path(unit.parent.path if unit.parent_id else "/", unit.pk)
        if unit.kind == UnitKind.DISTRICT:
            unit.district_id = unit.pk
    Unit.objects.bulk_update(units, ["path", "district"], batch_size=BATCH)
    return units


def _write_units(plan: DemoPlan, admin):
    opened = date(plan.today.year - 12, 1, 1)
    branch = Unit(kind=UnitKind.BRANCH, name=BRANCH_NAME, code=BRANCH_CODE, opened_on=opened)
    _insert_units([branch], admin)
    functional = [
        Unit(kind=kind, name=name, code=code, parent=branch, opened_on=opened)
        for kind, name, code in FUNCTIONAL_UNITS
    ]
    district_opened = plan.today - timedelta(days=3 * 365 + 60)
    for district in plan.districts:
        district.unit = Unit(
            kind=UnitKind.DISTRICT,
            name=district.name,
            code=district.code,
            parent=branch,
            opened_on=district_opened,
        )
    _insert_units(functional + [d.unit for d in plan.districts], admin)
    for district in plan.districts:
        for department in district.departments:
            department.unit = Unit(
                kind=UnitKind.DEPARTMENT,
                name=department.name,
                code=department.code,
                parent=district.unit,
                district=district.unit,
                opened_on=district_opened,
            )
    _insert_units([dep.unit for d in plan.districts for dep in d.departments], admin)
    for group in plan.groups:
        department = group.department
        group.unit = Unit(
            kind=UnitKind.GROUP,
            name=group.name,
            code=group.code,
            parent=department.unit,
            district=department.district.unit,
            opened_on=district_opened,
        )
    _insert_units([g.unit for g in plan.groups], admin)
    return branch, functional


def _write_ranks(branch: Unit, admin) -> list[Rank]:
    ranks = [
        Rank(branch=branch, code=code, name=name, level=level, is_manager_rank=manager)
        for code, name, level, manager in RANKS
    ]
    return bulk_create_with_history(
        ranks, Rank, default_user=admin, default_change_reason="演示数据"
    )


def _write_roles(plan: DemoPlan, users: dict, branch: Unit, functional: list[Unit]) -> None:
    district = plan.districts[0]
    department = district.departments[0]
    units = {
        "branch": branch,
        "district": district.unit,
        "department": department.unit,
        "group": department.groups[0].unit,
    }
    assignments = [
        RoleAssignment(user=users[username], role=role, unit=units[over])
        for username, _name, role, over in STAFF_USERS
        if role
    ]
    bulk_create_with_history(assignments, RoleAssignment, default_user=users["admin"])


def _write_calendar(plan: DemoPlan, admin) -> None:
    days = []
    for district in plan.districts:
        for holidays in HOLIDAYS.values():
            for note, first, last, make_up in holidays:
                day = first
                while day <= last:
                    if day.weekday() < 5:
                        days.append(
                            CalendarDay(
                                district=district.unit, date=day, is_workday=False, note=note
                            )
                        )
                    day += timedelta(days=1)
                days.extend(
                    CalendarDay(district=district.unit, date=d, is_workday=True, note=MAKE_UP_NOTE)
                    for d in make_up
                )
    bulk_create_with_history(days, CalendarDay, batch_size=BATCH, default_user=admin)


def _write_agents(plan: DemoPlan, ranks: list[Rank], users: dict, admin) -> None:
    rank_ids = [r.pk for r in ranks]
    rows = []
    for a in plan.agents:
        user = users.get(a.username) if a.username else None
        rows.append(
            Agent(
                code=a.code,
                name=a.name,
                gender=a.gender,
                id_number=a.id_number,
                mobile=a.mobile,
                education=a.education,
                hire_date=a.hire_date,
                group_id=a.group.unit.pk,
                rank_id=rank_ids[a.rank],
                status=a.status,
                resigned_on=a.resigned_on,
                practice_certificate_no=a.practice_no,
                practice_certificate_valid_until=a.practice_until,
                qualification_certificate_no=a.qualification_no,
                deposit_paid=a.deposit,
                user=user,
            )
        )
    # Inserted in hire order, batch by batch: a recruiter is always an earlier row, so its id
    # is usually known when the recruit is inserted; the few recruited by someone in the same
    # batch get their recruiter in one update afterwards.
    pending = []
    for start in range(0, len(rows), BATCH):
        batch = list(
            zip(plan.agents[start : start + BATCH], rows[start : start + BATCH], strict=True)
        )
        for a, row in batch:
            if a.recruiter is not None:
                if a.recruiter.pk is not None:
                    row.recruiter_id = a.recruiter.pk
                else:
                    pending.append((a, row))
        Agent.objects.bulk_create([row for _a, row in batch])
        for a, row in batch:
            if row.pk is None:
                raise RuntimeError("The database did not return the new ids (bulk_create).")
            a.pk = row.pk
    for a, row in pending:
        row.recruiter_id = a.recruiter.pk
    Agent.objects.bulk_update([row for _a, row in pending], ["recruiter"], batch_size=BATCH)

    rank_changes, transfers = [], []
    for a in plan.agents:
        previous = None
        for day, rank, reason in a.ranks:
            rank_changes.append(
                AgentRankChange(
                    agent_id=a.pk,
                    from_rank_id=None if previous is None else rank_ids[previous],
                    to_rank_id=rank_ids[rank],
                    effective_date=day,
                    reason=reason,
                    created_by=admin,
                )
            )
            previous = rank
        transfers.append(
            AgentTransfer(
                agent_id=a.pk,
                from_group=None,
                to_group_id=a.initial_group.unit.pk,
                effective_date=a.hire_date,
                reason=HIRED,
                created_by=admin,
            )
        )
        if a.first_group is not None:
            transfers.append(
                AgentTransfer(
                    agent_id=a.pk,
                    from_group_id=a.first_group.unit.pk,
                    to_group_id=a.group.unit.pk,
                    effective_date=a.transfer_on,
                    reason=a.transfer_reason,
                    created_by=admin,
                )
            )
    AgentRankChange.objects.bulk_create(rank_changes, batch_size=BATCH)
    AgentTransfer.objects.bulk_create(transfers, batch_size=BATCH)
    _write_scheduled_transfer(plan, admin)
    placements.rebuild([a.pk for a in plan.agents])
    _write_agent_history(plan, rows, rank_ids, admin)


def _write_scheduled_transfer(plan: DemoPlan, admin) -> None:
    """One transfer scheduled for the 1st of next month, to show on the agent page (the first
    agent without a login who can move to another group of their department)."""
    today = plan.today
    first_of_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    for a in plan.agents:
        if a.resigned_on or a.first_group is not None or a.pk is None:
            continue
        group = Unit.objects.get(pk=a.group.unit.pk)
        other = (
            Unit.objects.filter(parent_id=group.parent_id, kind=UnitKind.GROUP, closed_on=None)
            .exclude(pk=group.pk)
            .order_by("path")
            .first()
        )
        if other is None or Agent.objects.get(pk=a.pk).user_id is not None:
            continue
        AgentTransfer.objects.create(
            agent_id=a.pk,
            from_group=group,
            to_group=other,
            effective_date=first_of_next,
            reason="调整至本部另一组（已排期）",
            created_by=admin,
        )
        return


def _write_agent_history(plan: DemoPlan, rows: list[Agent], rank_ids: list[int], admin) -> None:
    """The audit trail as it would have grown: created at hire, then each 转正, promotion,
    transfer and resignation on its date (what bulk_create_with_history does, plus the later
    changes, which a single 'created' record could not show)."""
    History = Agent.history.model
    tracked = [f.attname for f in History.tracked_fields]
    created, changed = [], []
    for a, row in zip(plan.agents, rows, strict=True):
        values = {name: getattr(row, name) for name in tracked}
        state = {
            "group_id": a.initial_group.unit.pk,
            "rank_id": rank_ids[a.ranks[0][1]],
            "status": (
                AgentStatus.CANDIDATE
                if a.status == AgentStatus.CANDIDATE
                else AgentStatus.PROBATION
                if a.ranks[0][1] == PROB
                else AgentStatus.FORMAL
            ),
            "resigned_on": None,
        }
        created.append(
            History(
                **{**values, **state},
                history_type="+",
                history_user=admin,
                history_date=at(a.hire_date),
                history_change_reason=HIRED,
            )
        )
        events = [
            (
                day,
                {
                    "rank_id": rank_ids[rank],
                    **({"status": AgentStatus.FORMAL} if rank == FORMAL else {}),
                },
                reason,
            )
            for day, rank, reason in a.ranks[1:]
        ]
        if a.transfer_on:
            events.append((a.transfer_on, {"group_id": a.group.unit.pk}, a.transfer_reason))
        if a.resigned_on:
            events.append(
                (
                    a.resigned_on,
                    {"status": AgentStatus.RESIGNED, "resigned_on": a.resigned_on},
                    RESIGNED,
                )
            )
        for seq, (day, change, reason) in enumerate(sorted(events, key=lambda e: e[0])):
            state.update(change)
            changed.append(
                (
                    day,
                    a.order,
                    seq,
                    History(
                        **{**values, **state},
                        history_type="~",
                        history_user=admin,
                        history_date=at(day, 10, seq),
                        history_change_reason=reason,
                    ),
                )
            )
    History.objects.bulk_create(created, batch_size=BATCH)
    changed.sort(key=lambda item: item[:3])
    History.objects.bulk_create([item[3] for item in changed], batch_size=BATCH)
