"""Evaluation feedback (附件3): hand-worked aggregates, one form per person, who may rate."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from core.exceptions import ConflictError
from meetings.models import Feedback, Meeting, MeetingLevel
from meetings.selectors import records as selectors
from meetings.services import records as services
from meetings.tests.test_records_helpers import (
    agents,
    days_ago,
    dept_meeting,
    give_feedback,
    make_meeting,
)

pytestmark = pytest.mark.django_db
__all__ = ["agents", "dept_meeting"]


def test_feedback_summary_against_hand_worked_numbers(world, dept_meeting):
    # 4 forms: 3 tick "well prepared" → 75%, 1 "motivating" → 25%, 2 "substantive" → 50%,
    # none "fluent" → 0%.
    people = [make_user(f"p{n}") for n in range(4)]
    give_feedback(dept_meeting, people[0], traits=["well_prepared", "motivating", "substantive"])
    give_feedback(dept_meeting, people[1], traits=["well_prepared", "substantive"])
    give_feedback(dept_meeting, people[2], traits=["well_prepared"])
    give_feedback(dept_meeting, people[3], traits=[], suggestions="时间控制")
    other = make_meeting(
        world.dept_a1, MeetingLevel.EVENING, days_ago(1), recorded_by=world.assistant
    )
    give_feedback(other, people[0], traits=["fluent"])
    summary = selectors.feedback_summary(Meeting.objects.filter(pk=dept_meeting.pk))
    assert summary["forms"] == 4
    assert summary["counts"] == {"well_prepared": 3, "motivating": 1, "substantive": 2, "fluent": 0}
    assert summary["shares"] == {
        "well_prepared": 75.0,
        "motivating": 25.0,
        "substantive": 50.0,
        "fluent": 0.0,
    }
    both = selectors.feedback_summary(Meeting.objects.all())
    assert (both["forms"], both["meetings"]) == (5, 2)
    assert both["shares"]["fluent"] == 20.0
    empty = selectors.feedback_summary(Meeting.objects.none())
    assert empty["forms"] == 0 and empty["shares"]["fluent"] is None


def test_aggregates_per_speaker_and_per_month(world):
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    a = make_meeting(
        world.dept_a1,
        "department",
        last_month,
        recorded_by=world.assistant,
        host=world.dept_manager,
    )
    b = make_meeting(
        world.dept_a1,
        "department",
        last_month + timedelta(days=1),
        recorded_by=world.assistant,
        host_name="外请讲师",
    )
    c = make_meeting(
        world.dept_a1,
        "evening",
        last_month + timedelta(days=1),
        recorded_by=world.assistant,
        host=world.dept_manager,
    )
    people = [make_user(f"q{n}") for n in range(3)]
    # dept_manager: a (2 forms, both motivating) + c (1 form, not motivating) → 2/3 = 66.7%
    give_feedback(a, people[0], traits=["motivating"])
    give_feedback(a, people[1], traits=["motivating", "fluent"])
    give_feedback(c, people[2], traits=["fluent"])
    # 外请讲师: b (1 form, motivating) → 100%
    give_feedback(b, people[0], traits=["motivating"])
    rows = {row["speaker"]: row for row in selectors.feedback_by_speaker(Meeting.objects.all())}
    assert rows[str(world.dept_manager)]["meetings"] == 2
    assert rows[str(world.dept_manager)]["forms"] == 3
    assert rows[str(world.dept_manager)]["shares"]["motivating"] == 66.7
    assert rows[str(world.dept_manager)]["shares"]["fluent"] == 66.7
    assert rows["外请讲师"]["shares"]["motivating"] == 100.0
    months = selectors.feedback_by_month(Meeting.objects.all())
    assert len(months) == 1
    assert months[0]["month"] == last_month and months[0]["forms"] == 4
    assert months[0]["shares"]["motivating"] == 75.0


def test_one_form_per_person_per_meeting(client, world, dept_meeting):
    services.feedback_submit(
        acting_user=world.agent_user, meeting=dept_meeting, data={"fluent": True}
    )
    with pytest.raises(ConflictError, match="您已对本次会议进行评估反馈"):
        services.feedback_submit(
            acting_user=world.agent_user, meeting=dept_meeting, data={"motivating": True}
        )
    assert Feedback.objects.filter(meeting=dept_meeting).count() == 1
    # through the page: the second form is the first one, editable today
    client.force_login(world.agent_user)
    url = reverse("meetings:feedback_form", args=[dept_meeting.pk])
    version = Feedback.objects.get(meeting=dept_meeting).version
    response = client.post(url, {"motivating": "on", "suggestions": "多互动", "version": version})
    assert response.status_code == 302
    form = Feedback.objects.get(meeting=dept_meeting)
    assert (form.fluent, form.motivating, form.suggestions) == (False, True, "多互动")


def test_own_form_can_be_changed_only_on_the_day_it_was_submitted(client, world, dept_meeting):
    form = services.feedback_submit(
        acting_user=world.agent_user, meeting=dept_meeting, data={"fluent": True}
    )
    Feedback.objects.filter(pk=form.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    form.refresh_from_db()
    with pytest.raises(ConflictError, match="反馈表只能在提交当天修改"):
        services.feedback_update(acting_user=world.agent_user, feedback=form, data={})
    client.force_login(world.agent_user)
    url = reverse("meetings:feedback_form", args=[dept_meeting.pk])
    assert 'id="feedback-locked"' in client.get(url).content.decode()
    assert client.post(url, {"motivating": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.feedback_update(acting_user=world.assistant, feedback=form, data={})


def test_the_host_cannot_rate_their_own_meeting(client, world, dept_meeting):
    with pytest.raises(PermissionDenied, match="您是本次会议的主讲人，不能评价自己的会议"):
        services.feedback_submit(acting_user=world.dept_manager, meeting=dept_meeting, data={})
    client.force_login(world.dept_manager)
    url = reverse("meetings:feedback_form", args=[dept_meeting.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert 'id="feedback-refusal"' in response.content.decode()
    mine = client.get(reverse("meetings:feedback_mine"))
    assert dept_meeting not in mine.context["meetings"]


def test_who_may_fill(world, agents, dept_meeting):
    group_meeting = make_meeting(
        world.group_a1_1, MeetingLevel.GROUP, days_ago(0), recorded_by=world.supervisor
    )
    # agents of the unit and staff over it may
    services.feedback_submit(acting_user=agents["colleague"], meeting=group_meeting, data={})
    services.feedback_submit(acting_user=world.dept_manager, meeting=group_meeting, data={})
    services.feedback_submit(acting_user=agents["other_group_agent"], meeting=dept_meeting, data={})
    # an agent of another group does not rate this group's 二早; another district reads nothing
    for user, meeting in [
        (agents["other_group_agent"], group_meeting),
        (agents["other_dept_agent"], dept_meeting),
        (world.outsider, dept_meeting),
    ]:
        with pytest.raises(PermissionDenied, match="您只能对本人所属机构的会议进行评估反馈"):
            services.feedback_submit(acting_user=user, meeting=meeting, data={})
    old = make_meeting(world.dept_a1, "department", days_ago(30), recorded_by=world.assistant)
    with pytest.raises(PermissionDenied, match="本次会议已截止"):
        services.feedback_submit(acting_user=world.agent_user, meeting=old, data={})


def test_agent_list_of_meetings_to_rate(client, world, agents, dept_meeting):
    group_meeting = make_meeting(
        world.group_a1_1, MeetingLevel.GROUP, days_ago(0), recorded_by=world.supervisor
    )
    other_group = make_meeting(
        world.group_a1_2, MeetingLevel.GROUP, days_ago(0), recorded_by=world.supervisor
    )
    old = make_meeting(world.dept_a1, "evening", days_ago(40), recorded_by=world.assistant)
    give_feedback(dept_meeting, world.agent_user, traits=["fluent"])
    client.force_login(world.agent_user)
    response = client.get(reverse("meetings:feedback_mine"))
    listed = {meeting.pk: meeting.my_feedback for meeting in response.context["meetings"]}
    assert set(listed) == {group_meeting.pk, dept_meeting.pk}
    assert listed[dept_meeting.pk] and not listed[group_meeting.pk]
    assert other_group.pk not in listed and old.pk not in listed


def test_managers_see_suggestions_agents_only_their_own(client, world, agents, dept_meeting):
    give_feedback(dept_meeting, world.agent_user, traits=["fluent"], suggestions="我的建议")
    give_feedback(dept_meeting, agents["colleague"], suggestions="同事的建议")
    url = reverse("meetings:meeting_detail", args=[dept_meeting.pk])
    client.force_login(world.dept_manager)
    html = client.get(url).content.decode()
    assert "我的建议" in html and "同事的建议" in html
    client.force_login(world.agent_user)
    html = client.get(url).content.decode()
    assert "同事的建议" not in html
    assert client.get(reverse("meetings:feedback_report")).status_code == 403
    client.force_login(world.district_manager)
    report = client.get(reverse("meetings:feedback_report"))
    assert report.status_code == 200
    assert report.context["total"]["forms"] == 2
    chart = report.context["chart"]
    assert len(chart["months"]) == 1 and chart["traits"][3]["shares"] == [50.0]  # 1 of 2 fluent
    assert 'id="feedback-chart"' in report.content.decode()


def test_printable_form_blank_and_filled(client, world, agents, dept_meeting):
    form = give_feedback(dept_meeting, agents["colleague"], traits=["fluent"], suggestions="好")
    client.force_login(world.dept_manager)
    url = reverse("meetings:feedback_print", args=[dept_meeting.pk])
    assert "营业区早会评估反馈表" in client.get(url).content.decode()
    assert client.get(f"{url}?form={form.pk}").context["filled"] == form
    for bad in ("abc", "99999999999999999999"):  # core/params.py: 400 naming it, never 500
        assert client.get(url, {"form": bad}).status_code == 400, bad
    client.force_login(world.agent_user)  # not their form
    assert client.get(f"{url}?form={form.pk}").status_code == 404


def test_meetings_to_rate_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.agent_user)
    url = reverse("meetings:feedback_mine")
    make_meeting(world.dept_a1, "department", days_ago(1), recorded_by=world.assistant)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for n in range(2, 10):
        meeting = make_meeting(
            world.dept_a1, "department", days_ago(n), recorded_by=world.assistant
        )
        give_feedback(meeting, world.agent_user, traits=["fluent"])
    with django_assert_max_num_queries(len(first)):
        response = client.get(url)
    assert len(response.context["meetings"]) == 9
