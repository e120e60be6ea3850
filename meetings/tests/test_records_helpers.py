"""Shared builders for the records part's tests (no tests here)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import make_user
from meetings.models import Calendar, CalendarEntry, Feedback, Meeting, MeetingLevel


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def make_entry(
    unit,
    level,
    day,
    *,
    topic="计划主题",
    created_by,
    host=None,
    host_name="",
    cancelled=False,
    template_version=None,
):
    calendar, _ = Calendar.objects.get_or_create(
        unit=unit, level=level, month=day.replace(day=1), defaults={"created_by": created_by}
    )
    return CalendarEntry.objects.create(
        calendar=calendar,
        date=day,
        topic=topic,
        host=host,
        host_name=host_name,
        template_version=template_version,
        cancelled_at=timezone.now() if cancelled else None,
    )


def make_meeting(
    unit,
    level,
    day,
    *,
    recorded_by,
    topic="早会主题",
    host=None,
    host_name="",
    entry=None,
    present_count=None,
):
    return Meeting.objects.create(
        unit=unit,
        level=level,
        date=day,
        topic=topic,
        host=host,
        host_name=host_name if host or host_name else "讲师",
        calendar_entry=entry,
        present_count=present_count,
        recorded_by=recorded_by,
    )


def give_feedback(meeting, user, *, traits=(), suggestions=""):
    return Feedback.objects.create(
        meeting=meeting,
        respondent=user,
        suggestions=suggestions,
        **{trait: True for trait in traits},
    )


@pytest.fixture
def agents(world):
    """User accounts for the agents of the world: colleague (same group as `agent`),
    other_group (group A1-2), other_dept (dept A2), outside (district B)."""
    users = {}
    for name in ("colleague", "other_group_agent", "other_dept_agent", "outside_agent"):
        user = make_user(f"u_{name}")
        agent = getattr(world, name)
        agent.user = user
        agent.save()
        users[name] = user
    return users


@pytest.fixture
def dept_meeting(world):
    """Yesterday's department morning meeting of 东一部, hosted by the department manager."""
    return make_meeting(
        world.dept_a1,
        MeetingLevel.DEPARTMENT,
        days_ago(1),
        recorded_by=world.assistant,
        host=world.dept_manager,
        topic="开门红启动",
    )
