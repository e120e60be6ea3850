"""In a real browser: the trainer builds next month's district calendar from this month's — copy,
change one meeting's topic, save — and sees it in the month view."""

import pytest
from django.utils import timezone

from core.browser import log_in
from meetings.models import Calendar
from meetings.selectors import calendars as selectors
from meetings.services import calendars as services
from meetings.services.calendars import EntryInput
from workcalendar.selectors import workdays


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_trainer_builds_next_months_calendar_from_last_months(world, live_server, browser_page):
    page, base = browser_page, live_server.url
    this_month = selectors.month_start(timezone.localdate())
    next_month = selectors.next_month(this_month)
    current = services.calendar_create(
        acting_user=world.trainer, unit=world.district_a, level="district", month=this_month
    )
    services.calendar_entries_save(
        acting_user=world.trainer,
        calendar=current,
        entries=[
            EntryInput(date=day, topic=f"政令宣导 {day:%m-%d}", host_name="刘芳")
            for day in workdays(world.district_a, this_month, selectors.month_end(this_month))
        ],
    )

    log_in(page, base, "trainer")
    page.goto(f"{base}/meetings/calendars/")
    page.select_option("#new-unit", str(world.district_a.pk))
    page.select_option("#new-level", "district")
    page.fill("#new-month", f"{next_month:%Y-%m}")
    page.click("#new-copy")
    page.wait_for_selector("#calendar-editor")
    calendar = Calendar.objects.get(unit=world.district_a, level="district", month=next_month)
    first = calendar.entries.order_by("date").first()
    assert calendar.copied_from_id == current.pk and first is not None
    page.fill(f"input[name='topic-{first.date:%Y-%m-%d}']", "典范分享：新人第一单")
    page.click("#calendar-save")
    page.wait_for_selector("#calendar-month")
    cell = page.locator(f"#calendar-month td[data-date='{first.date:%Y-%m-%d}']")
    assert "典范分享：新人第一单" in cell.inner_text()
    first.refresh_from_db()
    assert first.topic == "典范分享：新人第一单"
