"""Issue 20, "text stays text": the attendance Excel files (month grid, check record, deduction
list) write stored text that looks like a formula as text, and survive a control character."""

from django.urls import reverse

from attendance.tests.test_checks import attendance, create  # noqa: F401 - a fixture
from attendance.tests.test_fund_publication import closed  # noqa: F401 - a fixture
from core.tests.xlsx_checks import DDE, HYPERLINK, assert_written_as_text
from org.models import Agent, Unit


def _store_hostile_names(world):
    Agent.objects.filter(pk=world.agent.pk).update(name=HYPERLINK)
    Agent.objects.filter(pk=world.colleague.pk).update(name=DDE + "\u0001")
    Unit.objects.filter(pk=world.group_a1_1.pk).update(name="@组")


def test_month_export_writes_formula_like_text_as_text(client, attendance):  # noqa: F811
    _store_hostile_names(attendance)
    client.force_login(attendance.assistant)
    response = client.get(
        reverse("attendance:month_export"),
        {"unit": attendance.group_a1_1.pk, "year": 2026, "month": 3},
    )
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, DDE, "@组")


def test_check_record_export_writes_formula_like_text_as_text(client, attendance):  # noqa: F811
    record = create(attendance)
    record.lines.filter(kind="absent").update(handling_result="+扣款")
    type(record).objects.filter(pk=record.pk).update(handling_measures="=1+1\n主管谈话")
    _store_hostile_names(attendance)
    client.force_login(attendance.assistant)
    response = client.get(reverse("attendance:check_export", args=[record.pk]))
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, DDE, "+扣款", "=1+1\n主管谈话")


def test_deduction_export_writes_formula_like_text_as_text(client, closed):  # noqa: F811
    _store_hostile_names(closed)
    Unit.objects.filter(pk=closed.dept_a1.pk).update(name="-东一部")
    client.force_login(closed.district_manager)
    response = client.get(reverse("attendance:deduction_export", args=[closed.month.pk]))
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, "-东一部")
