"""Planning the demo branch: `plan_demo` decides every unit and agent in memory.

The plan is pure Python driven by one `random.Random(seed)`, so the same seed on the same day
gives the same branch, people and codes (org/demo/writing.py turns it into rows).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from core.demo import DEFAULT_SEED
from org.demo.names import (
    AGENTS_PER_DISTRICT,
    CONFIRMED,
    DEFAULT_AGENTS,
    DISTRICTS,
    EDUCATION_WEIGHTS,
    FEMALE_CHARS,
    FORMAL,
    GROUP_NAMES,
    HIRED,
    MALE_CHARS,
    MGR,
    MIN_AGENTS,
    MOBILE_PREFIXES,
    PROB,
    PROMOTED,
    REORGANISED,
    SMGR,
    SSUP,
    SUP,
    SURNAMES,
    TRANSFERRED,
    ZHEJIANG_REGIONS,
)
from org.demo.plan import (
    AgentPlan,
    DemoPlan,
    DepartmentPlan,
    DistrictPlan,
    GroupPlan,
    add_years,
    cn_number,
    on_weekday,
)
from org.models import AgentStatus, Gender
from org.services.agents import id_number_check_code


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
