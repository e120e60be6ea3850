"""Issue 20, "text stays text": the meetings' Excel files (archive, calendar, inspections) write
stored text that looks like a formula as text, and survive a stored control character."""

import pytest
from django.urls import reverse

from core.tests.xlsx_checks import DDE, HYPERLINK, assert_written_as_text
from meetings.models import CalendarEntry, Meeting
from meetings.tests.test_calendars import make_calendar
from meetings.tests.test_inspections import DAY, plan
from meetings.tests.test_records_helpers import days_ago, make_meeting
from org.models import Unit


def test_meeting_archive_export_writes_formula_like_text_as_text(client, world):
    meeting = make_meeting(
        world.dept_a1, "department", days_ago(3), recorded_by=world.assistant, topic="x"
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        topic=HYPERLINK, host_name="-1+2", notes=DDE + "\n第二行"
    )
    Unit.objects.filter(pk=world.dept_a1.pk).update(name="+东一部\u0001")
    client.force_login(world.district_manager)
    response = client.get(reverse("meetings:archive_export"))
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, "-1+2", DDE + "\n第二行", "+东一部")


def test_calendar_export_writes_formula_like_text_as_text(client, world):
    calendar = make_calendar(world.supervisor, world.group_a1_1, "group")
    CalendarEntry.objects.filter(calendar=calendar).update(
        topic=HYPERLINK, host_name=DDE, content="@x\u0001"
    )
    client.force_login(world.supervisor)
    response = client.get(reverse("meetings:calendar_export", args=[calendar.pk]))
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, DDE, "@x")


@pytest.mark.parametrize("route", ["inspection_list_xlsx", "inspection_report_xlsx"])
def test_inspection_exports_write_formula_like_text_as_text(client, world, route):
    plan(world, day=DAY)
    Unit.objects.filter(pk=world.dept_a1.pk).update(name=HYPERLINK)
    client.force_login(world.district_manager)
    response = client.get(reverse(f"meetings:{route}"), {"start": "2026-03-01"})
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK)
