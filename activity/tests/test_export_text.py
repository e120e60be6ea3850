"""Issue 20, "text stays text": the weekly check's Excel file writes stored text that looks like a
formula as text."""

from activity.models import WeeklyCheck
from activity.tests.test_weekly_export_language import MON, checked  # noqa: F401 - a fixture
from core.tests.xlsx_checks import DDE, HYPERLINK, assert_written_as_text
from org.models import Unit


def test_weekly_check_export_writes_formula_like_text_as_text(client, checked):  # noqa: F811
    WeeklyCheck.objects.update(measures=HYPERLINK, comment=DDE, evening_meeting="@晚会\u0001")
    Unit.objects.filter(pk=checked.dept_a1.pk).update(name="+东一部")
    client.force_login(checked.district_manager)
    response = client.get(f"/activity/weekly/{checked.dept_a1.pk}/{MON.isoformat()}/xlsx/")
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, DDE, "@晚会", "+东一部")
