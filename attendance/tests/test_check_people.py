"""附件7: one row per person with the days summed, the same in the page, the print and the Excel
file (attendance.selectors.checks.check_record_people).

Worked by hand on the check-record fixture (period 2026-03-01 to 03-13, department 东一部) plus an
absence of 张三 on Tue 03-10:
- 张三: leave reported 1 (03-02) + 0.5 (03-03) = 1.5, not reported 1 (03-04) → leave 2.5;
  absent 1 (03-10), handling "警告" → ONE row (the record holds three lines for him);
- 李四: absent 1 (03-05) + 0.5 (03-06) = 1.5.
Totals: leave 2.5 (1.5 reported, 1 not), absent 2.5.
"""

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from attendance.selectors.checks import check_record_people
from attendance.services import checks as services
from attendance.tests.helpers import mark
from attendance.tests.test_checks import attendance, create  # noqa: F401 - a fixture
from core.tests.paperform_checks import find_row, xlsx_rows


def _record(world):
    mark(world.agent, date(2026, 3, 10), "absent")
    record = create(world)
    assert record.lines.filter(agent=world.agent).count() == 3
    absent = record.lines.get(agent=world.agent, kind="absent")
    services.check_record_update(
        acting_user=world.assistant,
        record=record,
        handling_measures="谈话",
        handling_results={absent.pk: "警告"},
    )
    return record, absent


def test_a_person_is_one_row_with_the_days_summed(attendance, django_assert_num_queries):  # noqa: F811
    record, absent = _record(attendance)
    with django_assert_num_queries(1):
        people = check_record_people(record)
    rows = [
        (p.name, p.leave, p.leave_reported, p.leave_unreported, p.absent, p.handling_result)
        for p in people.rows
    ]
    assert rows == [
        ("张三", Decimal("2.5"), Decimal("1.5"), Decimal("1.0"), Decimal("1.0"), "警告"),
        ("李四", Decimal("0"), Decimal("0"), Decimal("0"), Decimal("1.5"), ""),
    ]
    assert people.rows[0].absent_line_id == absent.pk
    assert (people.leave, people.leave_reported, people.leave_unreported, people.absent) == (
        Decimal("2.5"),
        Decimal("1.5"),
        Decimal("1.0"),
        Decimal("2.5"),
    )


def test_page_print_and_excel_show_one_row_per_person(client, attendance):  # noqa: F811
    record, absent = _record(attendance)
    client.force_login(attendance.assistant)
    page = client.get(record.get_absolute_url()).content.decode()
    record.refresh_from_db()
    table = page[page.index('id="check-people"') :]
    assert len(re.findall(r'<tr data-agent="', table)) == 2
    assert f'name="result-{absent.pk}" value="警告"' in table
    response = client.post(
        record.get_absolute_url(),
        {"handling_measures": "谈话", f"result-{absent.pk}": "扣款", "version": record.version},
    )
    assert response.status_code == 302
    absent.refresh_from_db()
    assert absent.handling_result == "扣款"

    printed = client.get(reverse("attendance:check_print", args=[record.pk])).content.decode()
    body = printed[printed.index("<tbody>") : printed.index("</tbody>")]
    assert body.count("张三") == 1 and body.count("李四") == 1
    days = '<td class="pf-num">2.5</td><td class="pf-num">1.5</td><td class="pf-num">1</td>'
    assert days in body

    # The Excel file (the old address serves the form's file): the same rows, numbers as numbers.
    for url in ("check_export", "check_print_xlsx"):
        rows = xlsx_rows(client.get(reverse(f"attendance:{url}", args=[record.pk])).content)
        header = find_row(rows, "序号")
        first = rows.index(header) + 1
        values = [row[1:3] + row[3:8] for row in rows[first : first + 3]]
        assert values == [
            ["张三", "东一部一组", 2.5, 1.5, 1, 1, "扣款"],
            ["李四", "东一部一组", None, None, None, 1.5, None],
            ["合计", None, 2.5, 1.5, 1, 2.5, None],
        ]
