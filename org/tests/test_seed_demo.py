"""`manage.py seed_demo`: structure, users and roles, valid personal data, idempotence."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from core.history import history_rows
from org import demo
from org.models import (
    Agent,
    AgentPlacement,
    AgentRankChange,
    AgentStatus,
    AgentTransfer,
    Rank,
    Unit,
    UnitKind,
)
from org.services.agents import agent_update, validate_id_number
from workcalendar.models import CalendarDay

N = 120


def seed(**options):
    out = StringIO()
    call_command("seed_demo", agents=N, stdout=out, **options)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Unit,
            Rank,
            Agent,
            AgentRankChange,
            AgentTransfer,
            RoleAssignment,
            CalendarDay,
            get_user_model(),
        )
    } | {"agent history": Agent.history.count(), "unit history": Unit.history.count()}


@pytest.fixture
def seeded(db):
    seed()


def test_structure(seeded):
    branch = Unit.objects.get(code=demo.BRANCH_CODE)
    assert branch.kind == UnitKind.BRANCH and branch.path == f"/{branch.pk:08d}/"
    kinds = {kind: Unit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    assert kinds[UnitKind.MARKETING] == kinds[UnitKind.FINANCE] == 1
    assert kinds[UnitKind.CUSTOMER_SERVICE] == 1
    assert kinds[UnitKind.DISTRICT] == 1
    assert kinds[UnitKind.DEPARTMENT] == 6
    assert 24 <= kinds[UnitKind.GROUP] <= 36
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    for unit in Unit.objects.exclude(pk=branch.pk):
        assert unit.path == f"{unit.parent.path}{unit.pk:08d}/"
        expected_district = district.pk if unit.path.startswith(district.path) else None
        assert unit.district_id == expected_district
    for department in Unit.objects.filter(kind=UnitKind.DEPARTMENT):
        assert 4 <= department.children.count() <= 6
    assert list(Rank.objects.filter(branch=branch).values_list("code", flat=True)) == [
        "PROB",
        "FORMAL",
        "SUP",
        "SSUP",
        "MGR",
        "SMGR",
    ]
    assert Agent.objects.count() == N
    for group in Unit.objects.filter(kind=UnitKind.GROUP):
        assert (
            group.agents.filter(rank__is_manager_rank=True)
            .exclude(status=AgentStatus.RESIGNED)
            .exists()
        ), group
    assert CalendarDay.objects.filter(
        district=district, date="2025-10-01", is_workday=False
    ).exists()
    assert CalendarDay.objects.filter(
        district=district, date="2026-02-14", is_workday=True, note="调休上班"
    ).exists()
    # weekday holidays and weekend make-up days only: nothing that repeats the default
    for day in CalendarDay.objects.all():
        assert day.is_workday == (day.date.weekday() >= 5)


def test_users_and_roles(seeded):
    users = {u.username: u for u in get_user_model().objects.all()}
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    department = district.children.order_by("code").first()
    group = department.children.order_by("code").first()
    branch = Unit.objects.get(code=demo.BRANCH_CODE)
    expected = {
        "admin": (Role.SYSTEM_ADMIN, branch),
        "marketing": (Role.MARKETING, branch),
        "finance": (Role.FINANCE, branch),
        "service": (Role.CUSTOMER_SERVICE, branch),
        "district_manager": (Role.DISTRICT_MANAGER, district),
        "trainer": (Role.TRAINER, district),
        "district_admin": (Role.DISTRICT_ADMIN, district),
        "coach": (Role.COACH, district),
        "dept_manager": (Role.DEPT_MANAGER, department),
        "assistant": (Role.ASSISTANT, department),
        "supervisor": (Role.SUPERVISOR, group),
    }
    for username, (role, unit) in expected.items():
        user = users[username]
        assert user.full_name and user.language == "zh-hans"
        assert user.check_password(demo.DEMO_PASSWORD)
        assert list(user.role_assignments.values_list("role", "unit")) == [(role, unit.pk)]
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not users["district_manager"].is_superuser
    assert not users["agent"].role_assignments.exists()

    supervisor = users["supervisor"].agent
    assert supervisor.group == group and supervisor.rank.is_manager_rank
    agent = users["agent"].agent
    assert agent.group == group and not agent.rank.is_manager_rank
    assert agent.status in {AgentStatus.PROBATION, AgentStatus.FORMAL}
    assert users["agent"].full_name == agent.name


def test_agents_are_plausible(seeded):
    today = timezone.localdate()
    agents = list(Agent.objects.select_related("rank"))
    assert len({a.code for a in agents}) == N
    assert all(len(a.code) == 8 and a.code.isdigit() for a in agents)
    assert len({a.id_number for a in agents}) == N
    for a in agents:
        assert validate_id_number(a.id_number) == a.id_number
        assert a.id_number.startswith("33")
        age = today.year - int(a.id_number[6:10])
        assert 21 <= age <= 56
        assert int(a.id_number[16]) % 2 == (1 if a.gender == "M" else 0)
        assert len(a.mobile) == 11 and a.mobile[:2] in {"13", "15", "18"}
        assert a.hire_date <= today
        assert len(a.name) in (2, 3)
        if a.status == AgentStatus.RESIGNED:
            assert a.resigned_on and a.hire_date < a.resigned_on <= today
        else:
            assert a.resigned_on is None
    resigned = sum(a.status == AgentStatus.RESIGNED for a in agents)
    assert 0.03 * N <= resigned <= 0.25 * N
    assert any(a.hire_date.replace(day=1) == today.replace(day=1) for a in agents)


def test_recruiters_form_a_tree(seeded):
    recruiter_of = dict(Agent.objects.values_list("pk", "recruiter_id"))
    hired = dict(Agent.objects.values_list("pk", "hire_date"))
    assert sum(r is not None for r in recruiter_of.values()) > N / 2
    for pk in recruiter_of:
        seen, current = set(), pk
        while current is not None:
            assert current not in seen, "recruiter loop"
            seen.add(current)
            current = recruiter_of[current]
        if recruiter_of[pk]:
            assert hired[recruiter_of[pk]] < hired[pk]


def test_history_matches_records(seeded):
    for agent in Agent.objects.all():
        changes = list(agent.rank_changes.order_by("effective_date", "id"))
        assert changes[0].from_rank is None and changes[0].reason == "入司"
        assert changes[0].effective_date == agent.hire_date
        assert changes[-1].to_rank_id == agent.rank_id
        for older, newer in zip(changes, changes[1:], strict=False):
            assert newer.from_rank_id == older.to_rank_id
        # the transfers in effect (issue 11 §4: the demo also schedules one for next month)
        moves = [m for m in agent.transfers.order_by("effective_date", "id") if not m.is_scheduled]
        assert moves[0].from_group is None and moves[-1].to_group_id == agent.group_id
        today = agent.placements.valid_on(timezone.localdate()).get()
        assert (today.group_id, today.rank_id) == (agent.group_id, agent.rank_id)
        records = list(agent.history.order_by("history_id"))
        assert records[0].history_type == "+"
        last = records[-1]
        assert (last.group_id, last.rank_id, last.status, last.resigned_on) == (
            agent.group_id,
            agent.rank_id,
            agent.status,
            agent.resigned_on,
        )
    assert Unit.history.filter(history_type="+").count() == Unit.objects.count()
    assert Rank.history.count() == Rank.objects.count()


def test_history_of_every_seeded_agent_ends_in_its_current_state(seeded):
    """Issue 20: the seed linked demo logins to agents without a history record, so the first
    real edit of such an agent showed a phantom "login user — → a…" change."""
    History = Agent.history.model
    tracked = [f.attname for f in History.tracked_fields]
    latest = {h.id: h for h in History.objects.order_by("history_id")}  # the last one wins
    for agent in Agent.objects.all():
        stale = [
            name for name in tracked if getattr(latest[agent.pk], name) != getattr(agent, name)
        ]
        assert stale == [], (agent.code, stale)


def test_first_edit_of_a_seeded_agent_shows_only_that_change(seeded):
    admin = get_user_model().objects.get(username="admin")
    agent = Agent.objects.filter(user__isnull=False).exclude(status="resigned").order_by("pk")[0]
    agent_update(acting_user=admin, agent=agent, qualification_certificate_no="Q-20-0001")
    newest = history_rows(agent)[0]
    assert [c["field"] for c in newest["changes"]] == [
        Agent._meta.get_field("qualification_certificate_no").verbose_name
    ]


def test_second_run_changes_nothing(seeded):
    before = counts()
    output = seed()
    assert "已存在" in output
    assert counts() == before


def test_same_seed_same_people():
    today = timezone.localdate()
    first = demo.plan_demo(N, 7, today=today)
    again = demo.plan_demo(N, 7, today=today)
    other = demo.plan_demo(N, 8, today=today)
    people = [(a.code, a.name, a.id_number) for a in first.agents]
    assert people == [(a.code, a.name, a.id_number) for a in again.agents]
    assert people != [(a.code, a.name, a.id_number) for a in other.agents]


@pytest.mark.django_db
def test_seeded_agents_follow_the_plan():
    call_command("seed_demo", agents=N, seed=7, stdout=StringIO())
    plan = demo.plan_demo(N, 7, today=timezone.localdate())
    assert list(Agent.objects.order_by("code").values_list("code", "name")) == [
        (a.code, a.name) for a in plan.agents
    ]


def test_large_plan_has_several_districts():
    plan = demo.plan_demo(20000, 1)
    assert len(plan.districts) == 8
    assert len(plan.agents) == 20000
    assert len(set(plan.unit_codes)) == len(plan.unit_codes)
    for group in plan.groups:
        assert group.members[0].rank >= demo.SUP


@pytest.mark.django_db
def test_too_few_agents_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", agents=10, stdout=StringIO())
    assert not Unit.objects.exists()


def test_demo_has_placements_and_one_scheduled_transfer(seeded):
    scheduled = [t for t in AgentTransfer.objects.all() if t.is_scheduled]
    assert len(scheduled) == 1
    move = scheduled[0]
    assert move.effective_date.day == 1 and move.to_group_id != move.agent.group_id
    assert move.agent.placements.valid_on(move.effective_date).get().group_id == move.to_group_id
    assert AgentPlacement.objects.values("agent").distinct().count() == Agent.objects.count()


def test_demo_logs_note_the_morning_meeting_on_most_days(seeded):
    # 附件6 counts the days with meeting notes: the demo shows both kinds, mostly noted
    from activity.models import WorkLog

    logs = WorkLog.objects.all()
    noted = logs.exclude(meeting_notes="").count()
    assert 0.6 * logs.count() < noted < 0.8 * logs.count()
