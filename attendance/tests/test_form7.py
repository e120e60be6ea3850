"""附件7 营业部差勤检查记录表 on core.paperforms: the check record as page, PDF, Excel and blank
form, the buttons on the record's page, and the same scoping in the pages and the API.

Hand-worked on the fixture of test_check_people (period 2026-03-01 to 03-13, 东一部):
- 张三: leave 1 + 0.5 reported + 1 not reported = 2.5 (1.5 / 1), absent 1 (03-10), "警告";
- 李四: absent 1 + 0.5 = 1.5.
Totals: leave 2.5 (1.5 reported, 1 not), absent 2.5.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import CheckRecordLine
from attendance.tests.test_check_people import _record
from attendance.tests.test_checks import attendance, create  # noqa: F401 - fixtures
from conftest import make_agent
from core.tests.paperform_checks import (
    assert_cjk_font_embedded,
    find_row,
    pdf_page_count,
    pdf_text,
    xlsx_rows,
)
from core.tests.xlsx_checks import assert_written_as_text
from org.models import Agent


@pytest.fixture
def record(attendance):  # noqa: F811
    record, _absent = _record(attendance)
    return record


def urls(record):
    return {
        fmt: reverse(f"attendance:check_print{suffix}", args=[record.pk])
        for fmt, suffix in (("html", ""), ("pdf", "_pdf"), ("xlsx", "_xlsx"))
    }


def api_urls(record):
    return [f"/api/v1/attendance/check-records/{record.pk}/{fmt}/" for fmt in ("pdf", "xlsx")]


def test_record_page_has_the_three_buttons(client, attendance, record):  # noqa: F811
    client.force_login(attendance.assistant)
    url = urls(record)
    page = client.get(record.get_absolute_url()).content.decode()
    assert 'id="paperform-buttons"' in page
    for fmt in ("html", "pdf", "xlsx"):
        assert f'href="{url[fmt]}"' in page
    assert f'href="{url["html"]}?blank=1"' in page


def test_page_is_the_form_with_title_header_and_totals(client, attendance, record):  # noqa: F811
    client.force_login(attendance.assistant)
    page = client.get(urls(record)["html"]).content.decode()
    for text in ("附件7", "营业部差勤检查记录表", "东一部", "2026-03-01 至 2026-03-13", "检查日期",
                 "2026-03-13", "检查人", "处理措施", "谈话", "填表人", "验证人"):  # fmt: skip
        assert text in page, text
    total = page[page.index('class="pf-total"') :]
    assert total.index("合计") < total.index('<td class="pf-num">2.5</td>')


def test_pdf_has_the_title_headers_and_the_worked_days(client, attendance, record):  # noqa: F811
    client.force_login(attendance.dept_manager)
    response = client.get(urls(record)["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    headers = ("姓名", "营业组", "请假天数", "已报备", "未报备", "旷工天数", "处理结果", "处理措施")
    for expected in ("附件7", "营业部差勤检查记录表", *headers, "东一部", "第 1 页 / 共 1 页"):
        assert expected in text, expected
    assert "张三 东一部一组 2.5 1.5 1 1 警告" in text
    assert "李四 东一部一组 1.5" in text
    assert "合计 2.5 1.5 1 2.5" in text
    assert_cjk_font_embedded(content)


def test_excel_has_the_numbers_of_the_page_in_cells(client, attendance, record):  # noqa: F811
    Agent.objects.filter(pk=attendance.colleague.pk).update(name="=1+1")
    client.force_login(attendance.dept_manager)
    content = client.get(urls(record)["xlsx"]).content
    rows = xlsx_rows(content)
    assert rows[0][0] == "附件7 营业部差勤检查记录表"
    assert rows[1][:2] == ["营业部", "东一部"]
    assert find_row(rows, "检查日期")[1].date() == date(2026, 3, 13)  # a date, not text
    assert find_row(rows, 1)[:8] == [1, "张三", "东一部一组", 2.5, 1.5, 1, 1, "警告"]
    assert find_row(rows, 2)[:8] == [2, "=1+1", "东一部一组", None, None, None, 1.5, None]
    assert find_row(rows, "合计")[1:8] == ["合计", None, 2.5, 1.5, 1, 2.5, None]
    assert find_row(rows, "处理措施")[:2] == ["处理措施", "谈话"]
    assert_written_as_text(content, "=1+1")


def test_blank_form_has_empty_rows_and_no_names(client, attendance, record):  # noqa: F811
    client.force_login(attendance.assistant)
    rows = xlsx_rows(client.get(urls(record)["xlsx"], {"blank": "1"}).content)
    header = find_row(rows, "序号")
    body = rows[rows.index(header) + 1 : rows.index(header) + 16]
    assert all(value is None for row in body for value in row)
    page = client.get(urls(record)["html"], {"blank": "1"}).content.decode()
    assert "pf-blank" in page and "营业部差勤检查记录表" in page and "张三" not in page
    pdf = client.get(urls(record)["pdf"], {"blank": "1"}).content
    assert "张三" not in pdf_text(pdf) and "营业部差勤检查记录表" in pdf_text(pdf)


def test_outsider_gets_404_for_page_pdf_excel_and_api(client, api_client, attendance, record):  # noqa: F811
    client.force_login(attendance.outsider)
    for url in [*urls(record).values(), reverse("attendance:check_export", args=[record.pk])]:
        assert client.get(url).status_code == 404, url
    api_client.force_authenticate(attendance.outsider)
    for url in api_urls(record):
        assert api_client.get(url).status_code == 404, url


def test_api_gives_the_excel_and_the_pdf_in_scope(api_client, attendance, record):  # noqa: F811
    api_client.force_authenticate(attendance.dept_manager)
    pdf_url, xlsx_url = api_urls(record)
    response = api_client.get(xlsx_url)
    assert response.status_code == 200
    assert find_row(xlsx_rows(response.content), "合计")[3:7] == [2.5, 1.5, 1, 2.5]
    response = api_client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "营业部差勤检查记录表" in pdf_text(response.content)


def test_queries_do_not_grow_with_the_people(client, attendance, record):  # noqa: F811
    client.force_login(attendance.assistant)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(urls(record)["xlsx"]).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        agent = make_agent(attendance.group_a1_2, attendance.rank_formal)
        CheckRecordLine.objects.create(record=record, kind="absent", agent=agent, days=n + 1)
    assert queries() == before
