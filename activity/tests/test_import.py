"""Excel import of work logs: all rows or nothing, errors by row and column."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from activity.models import WorkLog
from core.xlsx import workbook_bytes

MONDAY = date(2025, 3, 3)


def _file(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["业务编码", "日期", "初访", "促成"])
    for row in rows:
        sheet.append(row)
    return SimpleUploadedFile("logs.xlsx", workbook_bytes(book))


def test_assistant_imports_logs(client, world):
    client.force_login(world.assistant)
    upload = _file(
        [[world.agent.code, MONDAY, 2, 1], [world.colleague.code, "2025-03-04", 1, None]]
    )
    response = client.post(reverse("activity:import"), {"file": upload})
    assert response.status_code == 302
    log = WorkLog.objects.get(agent=world.agent, date=MONDAY)
    assert (log.first_visits, log.closing_visits, log.points) == (2, 1, 11)
    assert WorkLog.objects.count() == 2


def test_any_error_imports_nothing_and_names_row_and_column(client, world):
    client.force_login(world.assistant)
    upload = _file(
        [
            [world.agent.code, MONDAY, 2, 1],
            [world.outside_agent.code, MONDAY, 1, 0],  # not the assistant's
            [world.colleague.code, "2025-13-01", "x", 0],
        ]
    )
    response = client.post(reverse("activity:import"), {"file": upload})
    assert response.status_code == 200
    errors = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert errors == {(3, "业务编码"), (4, "日期"), (4, "初访")}
    assert not WorkLog.objects.exists()


def test_supervisor_cannot_import(client, world):
    client.force_login(world.supervisor)
    assert client.get(reverse("activity:import")).status_code == 403


def test_template_download_has_the_headers_and_imports_as_is(world, client):
    import io

    from openpyxl import load_workbook

    from activity.imports import CODE, COUNT_COLUMNS, DATE, worklog_import

    client.force_login(world.assistant)
    assert "import-template" in client.get("/activity/import/").content.decode()
    response = client.get("/activity/import/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [CODE, DATE, *COUNT_COLUMNS]
    assert len(rows) == 2 and rows[1][0] == world.agent.code
    result = worklog_import(io.BytesIO(response.content), world.assistant)
    assert (result.ok, result.saved) == (True, 1)
    client.force_login(world.supervisor)
    assert client.get("/activity/import/template.xlsx").status_code == 403
