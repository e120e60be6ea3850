"""In a real browser: an agent fills today's log on a 390 px phone screen with the steppers, and
the supervisor approves the group's logs at 二早."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from activity.models import LogState, WorkLog
from core.browser import log_in


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_fills_a_log_on_a_phone_and_supervisor_approves(live_server, browser_page, tmp_path):
    call_command("seed_demo", agents=80, verbosity=0)
    page, base = browser_page, live_server.url
    today = timezone.localdate()
    agent = User.objects.get(username="agent").agent
    WorkLog.objects.filter(agent=agent, date=today).delete()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, "agent")
    page.goto(f"{base}/activity/me/")
    plus = page.locator("#id_first_visits").locator("xpath=..").locator("[data-step='1']")
    plus.click()
    plus.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#log-submit")
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "work-log.png"), full_page=True)
    log = WorkLog.objects.get(agent=agent, date=today)
    assert (log.first_visits, log.state) == (2, LogState.SUBMITTED)
    assert "工作日志" in page.content()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    log_in(page, base, "supervisor")
    page.goto(f"{base}/activity/review/?group={agent.group_id}&date={today:%Y-%m-%d}")
    page.click("#approve-all")
    page.wait_for_load_state()
    log.refresh_from_db()
    assert log.state == LogState.APPROVED
