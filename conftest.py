"""Shared test world: one branch with two districts and named people (STYLE.md §9).

District A: department A1 (groups A1-1, A1-2) and department A2 (group A2-1).
District B: department B1 (group B1-1) — the outsiders' world.
"""

import itertools
from datetime import date
from types import SimpleNamespace

import pytest

from accounts.models import Role, RoleAssignment, User
from org.models import Agent, AgentStatus, Rank, Unit, UnitKind
from org.services.agents import id_number_check_code

_serial = itertools.count(1)


def make_id_number(birth: str = "19900101") -> str:
    first17 = f"330106{birth}{next(_serial) % 1000:03d}"
    return first17 + id_number_check_code(first17)


def make_mobile() -> str:
    return f"138{next(_serial):08d}"


def make_agent(
    group,
    rank,
    *,
    name=None,
    code=None,
    status=AgentStatus.FORMAL,
    hire_date=date(2024, 3, 1),
    recruiter=None,
    user=None,
    resigned_on=None,
):
    number = next(_serial)
    return Agent.objects.create(
        code=code or f"A{number:07d}",
        name=name or f"业务员{number}",
        gender="F",
        id_number=make_id_number(),
        mobile=make_mobile(),
        education="college",
        hire_date=hire_date,
        group=group,
        rank=rank,
        status=status,
        recruiter=recruiter,
        user=user,
        resigned_on=resigned_on,
    )


def make_user(username, role=None, unit=None, **extra):
    user = User.objects.create_user(
        username=username,
        password="demo-pass-2026",
        full_name=extra.pop("full_name", username),
        **extra,
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request by an English user leaves English
    active in the thread, and code run outside a request (templates, imports) follows it."""
    from django.utils import translation

    with translation.override(None):
        translation.activate("zh-hans")
        yield


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.branch = Unit.objects.create(kind=UnitKind.BRANCH, name="测试分公司", code="BR")
    w.marketing_unit = Unit.objects.create(
        kind=UnitKind.MARKETING, name="营销部", code="MK", parent=w.branch
    )
    w.district_a = Unit.objects.create(
        kind=UnitKind.DISTRICT, name="东区", code="DA", parent=w.branch
    )
    w.district_b = Unit.objects.create(
        kind=UnitKind.DISTRICT, name="西区", code="DB", parent=w.branch
    )
    w.dept_a1 = Unit.objects.create(
        kind=UnitKind.DEPARTMENT, name="东一部", code="DA-1", parent=w.district_a
    )
    w.dept_a2 = Unit.objects.create(
        kind=UnitKind.DEPARTMENT, name="东二部", code="DA-2", parent=w.district_a
    )
    w.dept_b1 = Unit.objects.create(
        kind=UnitKind.DEPARTMENT, name="西一部", code="DB-1", parent=w.district_b
    )
    w.group_a1_1 = Unit.objects.create(
        kind=UnitKind.GROUP, name="东一部一组", code="DA-1-1", parent=w.dept_a1
    )
    w.group_a1_2 = Unit.objects.create(
        kind=UnitKind.GROUP, name="东一部二组", code="DA-1-2", parent=w.dept_a1
    )
    w.group_a2_1 = Unit.objects.create(
        kind=UnitKind.GROUP, name="东二部一组", code="DA-2-1", parent=w.dept_a2
    )
    w.group_b1_1 = Unit.objects.create(
        kind=UnitKind.GROUP, name="西一部一组", code="DB-1-1", parent=w.dept_b1
    )
    w.rank_probation = Rank.objects.create(branch=w.branch, code="PROB", name="试用业务员", level=1)
    w.rank_formal = Rank.objects.create(branch=w.branch, code="FORMAL", name="正式业务员", level=2)
    w.rank_supervisor = Rank.objects.create(
        branch=w.branch, code="SUP", name="业务主任", level=3, is_manager_rank=True
    )

    w.admin = make_user("admin", Role.SYSTEM_ADMIN, w.branch, is_superuser=True, is_staff=True)
    w.marketing = make_user("marketing", Role.MARKETING, w.branch)
    w.service = make_user("service", Role.CUSTOMER_SERVICE, w.branch)
    w.district_manager = make_user("district_manager", Role.DISTRICT_MANAGER, w.district_a)
    w.district_admin = make_user("district_admin", Role.DISTRICT_ADMIN, w.district_a)
    w.trainer = make_user("trainer", Role.TRAINER, w.district_a)
    w.dept_manager = make_user("dept_manager", Role.DEPT_MANAGER, w.dept_a1)
    w.assistant = make_user("assistant", Role.ASSISTANT, w.dept_a1)
    w.supervisor = make_user("supervisor", Role.SUPERVISOR, w.group_a1_1)
    w.outsider = make_user("outsider", Role.DISTRICT_MANAGER, w.district_b)
    w.agent_user = make_user("agent")

    w.agent = make_agent(w.group_a1_1, w.rank_formal, name="张三", user=w.agent_user)
    w.colleague = make_agent(w.group_a1_1, w.rank_probation, name="李四", recruiter=w.agent)
    w.other_group_agent = make_agent(w.group_a1_2, w.rank_formal, name="王五")
    w.other_dept_agent = make_agent(w.group_a2_1, w.rank_formal, name="赵六")
    w.outside_agent = make_agent(w.group_b1_1, w.rank_formal, name="钱七")
    return w


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


from core.browser import browser_page  # noqa: E402,F401 - the shared browser fixture


def pytest_collection_modifyitems(config, items):
    """A transactional test must restore the serialized database (serialized_rollback=True).

    Without it, Django flushes after the test and re-runs post_migrate, which recreates the
    content types; the next test that restores the serialized copy then inserts them a second
    time and fails on PostgreSQL (the order only shows there, where more such tests run)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True) (see conftest.pytest_collection_modifyitems)"
            )
