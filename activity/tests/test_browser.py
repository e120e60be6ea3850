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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_supervisor_returns_one_log_and_approves_the_group_at_second_meeting(
    live_server, browser_page, world
):
    """二早 on the review screen: one log returned with a comment, the rest approved at once."""
    from datetime import date

    page, base = browser_page, live_server.url
    day = date(2025, 3, 3)
    mine = WorkLog.objects.create(
        agent=world.agent, date=day, first_visits=2, state=LogState.SUBMITTED
    )
    theirs = WorkLog.objects.create(
        agent=world.colleague, date=day, service_visits=1, state=LogState.SUBMITTED
    )
    log_in(page, base, "supervisor")
    page.goto(f"{base}/activity/review/?group={world.group_a1_1.pk}&date={day:%Y-%m-%d}")
    row = page.locator(f"tr[data-agent='{world.colleague.pk}']")
    row.locator("input[name=comment]").fill("拜访记录不全")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "拜访记录不全" in page.locator(f"tr[data-agent='{world.colleague.pk}']").inner_text()
    with page.expect_navigation():
        page.click("#approve-all")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.state, mine.reviewed_by) == (LogState.APPROVED, world.supervisor)
    assert (theirs.state, theirs.return_comment) == (LogState.RETURNED, "拜访记录不全")
    assert "approve-all" not in page.content()
