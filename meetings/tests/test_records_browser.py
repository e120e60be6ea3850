"""In a real browser: an agent fills the evaluation feedback form (附件3) on a 390 px phone."""

import pytest

from core.browser import log_in
from meetings.models import Feedback, MeetingLevel
from meetings.tests.test_records_helpers import days_ago, make_meeting


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_fills_a_feedback_form_on_a_phone(live_server, browser_page, world, tmp_path):
    meeting = make_meeting(
        world.dept_a1,
        MeetingLevel.DEPARTMENT,
        days_ago(0),
        recorded_by=world.assistant,
        host=world.dept_manager,
        topic="开门红启动大会",
    )
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "agent")
    page.goto(f"{base}/meetings/feedback/")
    page.click(f"[data-meeting='{meeting.pk}']")
    page.wait_for_selector("#feedback-form")
    page.click("label[for=id_well_prepared]")
    page.click("label[for=id_fluent]")
    page.fill("#id_suggestions", "希望多一些案例分享")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "feedback.png"), full_page=True)
    page.click("#feedback-submit")
    page.wait_for_url(f"{base}/meetings/feedback/")
    form = Feedback.objects.get(meeting=meeting, respondent=world.agent_user)
    assert (form.well_prepared, form.motivating, form.substantive, form.fluent) == (
        True,
        False,
        False,
        True,
    )
    assert form.suggestions == "希望多一些案例分享"
    assert page.locator(f"[data-meeting='{meeting.pk}'] .badge.text-bg-success").count() == 1
