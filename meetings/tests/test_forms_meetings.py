"""附件1 execution flow, 附件2 calendar, 附件3 feedback (per respondent and the meeting's
summary) and the 附件4 archive of a month on core.paperforms: page, PDF, Excel, blank, and
scoped like the page (an outsider gets 404) in the pages and the API."""

from datetime import date

import pytest
from django.urls import reverse

from core.tests.paperform_checks import (
    assert_cjk_font_embedded,
    find_row,
    pdf_page_count,
    pdf_text,
    xlsx_rows,
)
from core.tests.xlsx_checks import assert_written_as_text
from meetings.models import CalendarEntry, MeetingLevel, Visit
from meetings.services.templates import ATTACHMENT_1
from meetings.tests.test_calendars import make_calendar
from meetings.tests.test_inspections import fill, plan, three_items
from meetings.tests.test_records_helpers import (
    agents,
    dept_meeting,
    give_feedback,
)
from meetings.tests.test_templates import default
from org.models import Unit

__all__ = ["agents", "default", "dept_meeting", "three_items"]  # fixtures


def twins(name, *args):
    return [reverse(f"meetings:{name}{s}", args=args) for s in ("", "_pdf", "_xlsx")]


def assert_outsider_refused(client, world, urls):
    client.force_login(world.outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url


# -- 附件1 ------------------------------------------------------------------------------------
def test_form1_pdf_excel_blank_and_scope(client, api_client, world, default):
    version = default.versions.get()
    page, pdf, xlsx = twins("template_version", version.pk)
    # Hand-worked from the seed (ATTACHMENT_1): the minutes of the required items.
    required = sum(m for _s, items in ATTACHMENT_1 for _t, req, m in items if req)
    client.force_login(world.agent_user)
    html = client.get(page).content.decode()
    assert "附件1" in html and 'id="paperform-buttons"' in html and f'href="{pdf}"' in html
    content = client.get(pdf).content
    text = pdf_text(content)
    assert pdf_page_count(content) == 1
    assert "营业区早会执行流程" in text and "平安颂" in text and "序号 流程" in text
    assert f"必选环节{required}分钟" in text and "版本：v1" in text and "审批人" in text
    assert_cjk_font_embedded(content)
    rows = xlsx_rows(client.get(xlsx).content)
    assert rows[0][0] == "附件1 营业区早会执行流程"
    assert find_row(rows, "2.1")[1:4] == ["平安颂", "必填", 2]
    blank = xlsx_rows(client.get(xlsx, {"blank": "1"}).content)
    assert find_row(blank, "序号") and not any("平安颂" in str(r) for r in blank)
    assert_outsider_refused(client, world, [page, pdf, xlsx])
    api_client.force_authenticate(world.outsider)
    url = f"/api/v1/meetings/template-versions/{version.pk}/pdf/"
    assert api_client.get(url).status_code == 404
    api_client.force_authenticate(world.agent_user)
    response = api_client.get(url.replace("/pdf/", "/xlsx/"))
    assert response.status_code == 200 and xlsx_rows(response.content)[0][0].startswith("附件1")


# -- 附件2 ------------------------------------------------------------------------------------
def test_form2_title_unit_month_and_numbers(client, api_client, world):
    calendar = make_calendar(
        world.trainer,
        world.district_a,
        MeetingLevel.DISTRICT,
        days=[date(2026, 6, 2), date(2026, 6, 9)],
    )
    CalendarEntry.objects.filter(calendar=calendar, date=date(2026, 6, 9)).update(
        topic="=1+1", host_name="张讲师"
    )
    page, pdf, xlsx = twins("calendar_print", calendar.pk)
    client.force_login(world.agent_user)
    html = client.get(page).content.decode()
    assert "附件2" in html and "营业区早会行事例" in html and 'id="form2"' in html
    content = client.get(pdf).content
    text = pdf_text(content)
    assert pdf_page_count(content) == 1
    assert "附件2" in text and "营业区早会行事例" in text and "东区" in text
    assert "月份：2026年06月" in text and "日期 星期 主题" in text and "张讲师" in text
    assert_cjk_font_embedded(content)
    body = client.get(xlsx).content
    rows = xlsx_rows(body)
    assert rows[0][0] == "附件2 营业区早会行事例" and rows[1][:2] == ["机构", "东区"]
    june9 = find_row(rows, rows[find_row_index(rows, "日期") + 2][0])
    assert june9[0].date() == date(2026, 6, 9) and june9[1:4] == ["周二", "=1+1", "张讲师"]
    assert_written_as_text(body, "=1+1")
    old = client.get(reverse("meetings:calendar_export", args=[calendar.pk]))
    assert xlsx_rows(old.content) == rows
    assert "pf-blank" in client.get(page, {"blank": "1"}).content.decode()
    assert_outsider_refused(client, world, [page, pdf, xlsx])
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"/api/v1/meetings/calendars/{calendar.pk}/xlsx/").status_code == 404


def find_row_index(rows, first):
    return next(i for i, row in enumerate(rows) if row and row[0] == first)


# -- 附件3 ------------------------------------------------------------------------------------
def test_form3_one_per_respondent_and_the_summary(client, api_client, world, agents, dept_meeting):
    # 3 forms: 2 tick "well prepared" → 66.7%, 1 "fluent" → 33.3%.
    first = give_feedback(dept_meeting, agents["colleague"], traits=["well_prepared"])
    give_feedback(
        dept_meeting,
        agents["other_group_agent"],
        traits=["well_prepared", "fluent"],
        suggestions="=1+1 多互动",
    )
    give_feedback(dept_meeting, world.agent_user)
    client.force_login(world.dept_manager)
    page, pdf, xlsx = twins("feedback_print", dept_meeting.pk)
    content = client.get(pdf, {"form": "all"}).content
    assert pdf_page_count(content) == 3  # one form per respondent, one per page
    text = pdf_text(content)
    assert text.count("营业区早会评估反馈表") == 3 and "您认为营业区早会的改进" in text
    assert "开门红启动" in text and "=1+1 多互动" in text
    assert_cjk_font_embedded(content)
    one = xlsx_rows(client.get(xlsx, {"form": first.pk}).content)
    assert one[0][0] == "附件3 营业区早会评估反馈表"
    summary_page, summary_pdf, summary_xlsx = twins("feedback_summary", dept_meeting.pk)
    body = client.get(summary_xlsx).content
    rows = xlsx_rows(body)
    assert rows[0][0] == "附件3 营业区早会评估反馈汇总表"
    assert find_row(rows, "反馈表")[:2] == ["反馈表", 3]
    assert find_row(rows, "准备充分")[1:3] == [2, pytest.approx(0.667, abs=0.001)]
    assert find_row(rows, "语言流畅")[1:3] == [1, pytest.approx(0.333, abs=0.001)]
    assert_written_as_text(body, "=1+1 多互动")
    html = client.get(summary_page).content.decode()
    assert "66.7%" in html and "33.3%" in html
    assert "营业区早会评估反馈汇总表" in pdf_text(client.get(summary_pdf).content)
    blank = client.get(page, {"blank": "1"}).content.decode()
    assert "pf-blank" in blank and "多互动" not in blank
    assert_outsider_refused(
        client, world, [page, pdf, xlsx, summary_page, summary_pdf, summary_xlsx]
    )
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"/api/v1/meetings/feedback/{first.pk}/pdf/").status_code == 404
    api_client.force_authenticate(world.dept_manager)
    response = api_client.get(f"/api/v1/meetings/feedback/{first.pk}/xlsx/")
    assert response.status_code == 200
    # the summary as files through the API: the same cells as the page's Excel
    summary = "/api/v1/meetings/feedback/summary/"
    response = api_client.get(f"{summary}xlsx/", {"meeting": dept_meeting.pk})
    assert response.status_code == 200 and xlsx_rows(response.content) == rows
    response = api_client.get(f"{summary}pdf/", {"meeting": dept_meeting.pk})
    assert "营业区早会评估反馈汇总表" in pdf_text(response.content)
    assert api_client.get(f"{summary}pdf/").status_code == 400  # which meeting?
    api_client.force_authenticate(world.outsider)
    assert api_client.get(f"{summary}pdf/", {"meeting": dept_meeting.pk}).status_code == 404


# -- 附件4 archive -----------------------------------------------------------------------------
def test_form4_archive_of_a_month(client, api_client, world, three_items):
    # Two done visits in March (78 and 40 points: average 59), one planned, one in April.
    fill(world, plan(world), three_items, [5, 3, 4])
    fill(world, plan(world, day=date(2026, 3, 12)), three_items, [2, 2, 2])
    plan(world, unit=world.dept_a2, day=date(2026, 3, 20))
    plan(world, day=date(2026, 4, 2))
    Unit.objects.filter(pk=world.dept_a2.pk).update(name="=1+1")
    assert Visit.objects.count() == 4
    page, pdf, xlsx = twins("inspection_archive_print")
    client.force_login(world.district_manager)
    content = client.get(pdf, {"month": "2026-03"}).content
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    assert "营业部早会验收档案" in text and "月份：2026-03" in text
    assert "共3次，已完成2次 平均 59.00" in text and "78.00" in text and "40.00" in text
    assert_cjk_font_embedded(content)
    body = client.get(xlsx, {"month": "2026-03"}).content
    rows = xlsx_rows(body)
    assert rows[0][0] == "附件4 营业部早会验收档案"
    assert [r[5] for r in rows if r[0] and hasattr(r[0], "year")] == [None, 40, 78]
    assert_written_as_text(body, "=1+1")
    old = client.get(reverse("meetings:inspection_list_xlsx"), {"month": "2026-03"})
    assert xlsx_rows(old.content) == rows
    archive = "/api/v1/meetings/inspections/visits/archive/"
    api_client.force_authenticate(world.district_manager)
    assert xlsx_rows(api_client.get(f"{archive}xlsx/", {"month": "2026-03"}).content) == rows
    api_text = pdf_text(api_client.get(f"{archive}pdf/", {"month": "2026-03"}).content)
    assert "共3次，已完成2次 平均 59.00" in api_text
    api_client.force_authenticate(world.agent_user)  # agents have no archive
    assert api_client.get(f"{archive}pdf/", {"month": "2026-03"}).status_code == 403
    api_client.force_authenticate(world.outsider)
    assert "东一部" not in pdf_text(api_client.get(f"{archive}pdf/", {"month": "2026-03"}).content)
    client.force_login(world.outsider)  # another district's manager: their own (empty) archive
    assert "东一部" not in client.get(page, {"month": "2026-03"}).content.decode()
    assert "东一部" not in pdf_text(client.get(pdf, {"month": "2026-03"}).content)
    rows = xlsx_rows(client.get(xlsx, {"month": "2026-03"}).content)
    assert not [r for r in rows if r[0] and hasattr(r[0], "year")]
