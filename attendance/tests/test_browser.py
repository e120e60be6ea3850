"""In a real browser: the assistant takes a group's roll call (one tap marks an agent late, one
request saves the group) and sees it in the month grid."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from attendance.models import AttendanceRecord
from core.browser import log_in
from org.models import Agent
from workcalendar.selectors import workdays


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_roll_call_a_group_and_see_the_month_grid(live_server, browser_page, tmp_path):
    call_command("seed_demo", agents=80, verbosity=0)
    page, base = browser_page, live_server.url
    group = User.objects.get(username="supervisor").role_assignments.get().unit
    today = timezone.localdate()
    # The last workday up to today (the assistant may record past days).
    day = workdays(group, today - timezone.timedelta(days=14), today)[-1]
    agent = Agent.objects.active_on(day).filter(group=group).order_by("code").first()

    log_in(page, base, "assistant")
    page.goto(f"{base}/attendance/roll-call/?unit={group.pk}&date={day:%Y-%m-%d}")
    page.click(f"label[for='s{agent.pk}late']")
    page.click("#roll-call-save")
    page.wait_for_load_state()
    page.screenshot(path=str(tmp_path / "roll-call.png"), full_page=True)
    assert "点名" in page.content()
    record = AttendanceRecord.objects.get(agent=agent, date=day)
    assert record.status == "late"
    unmarked = (
        Agent.objects.active_on(day).filter(group=group).exclude(attendance_records__date=day)
    )
    assert not unmarked.exists(), "one save marks the whole group"

    page.goto(f"{base}/attendance/month/?unit={group.pk}&year={day.year}&month={day.month}")
    row = page.locator(f"#month-grid tr[data-agent='{agent.pk}']")
    assert "迟" in row.inner_text()
    page.screenshot(path=str(tmp_path / "month-grid.png"), full_page=True)
    assert (tmp_path / "month-grid.png").stat().st_size > 0
