"""Fixtures of plans: the built-in kinds and chains, more managers, and documents in states."""

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.utils import translation

from accounts.models import Role
from approvals.tests.helpers import step_of
from conftest import make_user
from plans import services
from plans.models import DocumentKind

_builtin = importlib.import_module("plans.migrations.0002_builtin_kinds")


@pytest.fixture(autouse=True)
def english():
    """Service messages are checked in English (pages and the API speak the user's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def kinds(db):
    """The built-in kinds and their default chains (created again: a transactional test
    empties the tables the data migration filled)."""
    _builtin.create(apps, None)
    return SimpleNamespace(**{kind.code: kind for kind in DocumentKind.objects.all()})


@pytest.fixture
def pw(world, kinds):
    """The shared world plus the managers of department A2 and B1 and of group A2-1."""
    world.kinds = kinds
    world.dept_manager_a2 = make_user("dept_manager_a2", Role.DEPT_MANAGER, world.dept_a2)
    world.dept_manager_b1 = make_user("dept_manager_b1", Role.DEPT_MANAGER, world.dept_b1)
    world.supervisor_a2 = make_user("supervisor_a2", Role.SUPERVISOR, world.group_a2_1)
    return world


def department_plan(w, *, user=None, day=date(2026, 3, 1), body="<p>每天拜访3户</p>", **extra):
    """A department A1 activity plan for March 2026 (version 1 a draft)."""
    document = services.document_create(
        acting_user=user or w.assistant,
        kind=w.kinds.department_activity_plan,
        unit=w.dept_a1,
        period_start=day,
        body=body,
        **extra,
    )
    return document, document.versions.get()


def district_regulation(w, *, user=None, body="<p>迟到三次扣分</p>", **extra):
    document = services.document_create(
        acting_user=user or w.district_admin,
        kind=w.kinds.attendance_regulation,
        unit=w.district_a,
        period_start=date(2026, 1, 1),
        body=body,
        **extra,
    )
    return document, document.versions.get()


def district_plan(w, *, user=None, body="<p>早会八点半开始</p>", **extra):
    document = services.document_create(
        acting_user=user or w.district_manager,
        kind=w.kinds.district_daily_plan,
        unit=w.district_a,
        period_start=date(2026, 1, 1),
        body=body,
        **extra,
    )
    return document, document.versions.get()


def refresh(version):
    version.refresh_from_db()
    return version


def published_district_plan(w):
    """District A's daily-management plan, submitted, approved by marketing and published."""
    document, version = district_plan(w)
    services.version_submit(acting_user=w.district_manager, version=version)
    services.version_approve(
        acting_user=w.marketing, version=refresh(version), expected_step=step_of(refresh(version))
    )
    services.version_publish(acting_user=w.district_manager, version=refresh(version))
    return document, refresh(version)
