"""附件5 weekly activity check record and 附件6 work log check table on core.paperforms: page,
PDF, Excel, blank, and scoped like the page in the pages and the API.

附件5 uses the hand-worked week of test_weekly_check (东一部, week of Mon 2025-03-03, 4 workdays):
the department fill 7/16 = 43.75 %, visits per agent per day 19/16 = 1.1875, activity 2/5 =
40 %, attainment 1/5 = 20 %; 一组 (张三, 李四): 6 logs of 8 agent-days = 75 %, 19/8 = 2.375
visits, activity 2/2, attainment 1/2; 二组 (王五, 孙新, 周离): 1 of 8 = 12.5 %, no visit.
Accompanied visits 3; 王五 filled no log on 03-03, 03-04, 03-06, 03-07 (4 days).

附件6 uses the hand-worked week of test_log_checks (东一部, week of Mon 2025-03-03, 5 workdays):
张三 prospects 3, visits 6, points 107 reached, notes 1, approved 1 (03-04), logs 2 of 5;
李四 3, 2, 5 not reached, 1, 1 (03-05), 1 of 5; 王五 nothing of 5; totals 6, 8, 112,
1 of 3 reached, notes 2, approved 2 (03-05), 3 of 15.
"""

from datetime import datetime

import pytest
from django.urls import reverse

from activity.services.weekly_checks import weekly_check_comment, weekly_check_save
from activity.tests.test_log_checks import logs
from activity.tests.test_weekly_check import MON, week
from core.paperforms import registered
from core.tests.paperform_checks import (
    assert_cjk_font_embedded,
    find_row,
    pdf_page_count,
    pdf_text,
    xlsx_rows,
    xlsx_sheet,
)
from core.tests.xlsx_checks import assert_written_as_text
from org.models import Agent

__all__ = ["logs", "week"]  # fixtures

WEEKLY_API = "/api/v1/activity/weekly-checks/"
LOG_CHECK_API = "/api/v1/activity/log-checks/"


def test_forms_5_and_6_are_registered():
    assert {5, 6} <= {form.number for form in registered()}


# -- 附件5 ------------------------------------------------------------------------------------
def weekly_urls(world):
    args = [world.dept_a1.pk, MON.isoformat()]
    return {
        fmt: reverse(f"activity:weekly_print{suffix}", args=args)
        for fmt, suffix in (("html", ""), ("pdf", "_pdf"), ("xlsx", "_xlsx"))
    }


@pytest.fixture
def checked(week):
    check = weekly_check_save(
        acting_user=week.dept_manager,
        department=week.dept_a1,
        week_start=MON,
        data={"measures": "每日跟进", "morning_meeting": "准时召开"},
        submit=True,
    )
    return weekly_check_comment(acting_user=week.district_admin, check=check, comment="继续保持")


def test_form5_page_has_the_buttons_and_the_record(client, week, checked):
    client.force_login(week.dept_manager)
    urls = weekly_urls(week)
    page = client.get(urls["html"]).content.decode()
    assert "附件5" in page and "活动量管理检查记录表" in page and "继续保持" in page
    assert 'id="paperform-buttons"' in page
    assert f'href="{urls["pdf"]}"' in page and f'href="{urls["xlsx"]}"' in page
    check_page = client.get(reverse("activity:weekly_check", args=[week.dept_a1.pk, MON]))
    html = check_page.content.decode()
    assert all(f'href="{url}"' in html for url in urls.values())


def test_form5_pdf_has_the_title_headers_and_the_worked_figures(client, week, checked):
    client.force_login(week.district_manager)
    response = client.get(weekly_urls(week)["pdf"])
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    for expected in (
        "附件5",
        "活动量管理检查记录表",
        "营业部：东一部",
        "检查周：2025-03-03 至 2025-03-09",
        "检查项目 检查情况",
        "营业组 在职业务员 日志填写率 人均日拜访量 活动率 百分卡达标率",
        "主管陪访 3",
        "未填写工作日志人员 李四、王五、孙新、周离",
        "准主顾卡填写状况 30/60/100 1 / 0 / 0",
        "东一部一组 2 75.0% 2.38 100.0% 50.0%",
        "东一部二组 3 12.5% 0.00 0.0% 0.0%",
        "合计 5 43.8% 1.19 40.0% 20.0%",
        "东一部二组 王五 03-03、03-04、03-06、03-07 4",
        "改进措施 每日跟进",
        "营业区检查意见",
        "继续保持",
        "营业部经理签字",
        "第 1 页 / 共 1 页",
    ):
        assert expected in text, expected
    assert_cjk_font_embedded(content)


def test_form5_excel_has_the_numbers_of_the_page_in_cells(client, week, checked):
    client.force_login(week.district_manager)
    content = client.get(weekly_urls(week)["xlsx"]).content
    rows = xlsx_rows(content)
    assert rows[0][0] == "附件5 活动量管理检查记录表"
    assert rows[1][:2] == ["营业部", "东一部"] and rows[2][:2] == [
        "检查周",
        "2025-03-03 至 2025-03-09",
    ]
    assert find_row(rows, "主管陪访")[1] == 3
    assert find_row(rows, "营业组")[:6] == [
        "营业组", "在职业务员", "日志填写率", "人均日拜访量", "活动率", "百分卡达标率",
    ]  # fmt: skip
    assert find_row(rows, "东一部一组")[:6] == ["东一部一组", 2, 0.75, 2.375, 1, 0.5]
    assert find_row(rows, "东一部二组")[:6] == ["东一部二组", 3, 0.125, 0, 0, 0]
    assert find_row(rows, "合计")[:6] == ["合计", 5, 0.4375, 1.1875, 0.4, 0.2]
    sheet = xlsx_sheet(content)
    total = next(r for r in sheet.iter_rows() if r[0].value == "合计")
    assert total[2].number_format == "0.0%" and total[3].number_format == "0.00"
    wang = next(row for row in rows if row[1] == "王五")
    assert wang[:4] == ["东一部二组", "王五", "03-03、03-04、03-06、03-07", 4]
    # The old address of the Excel file gives the same workbook.
    old = client.get(f"/activity/weekly/{week.dept_a1.pk}/{MON.isoformat()}/xlsx/")
    assert xlsx_rows(old.content) == rows


def test_form5_formula_looking_name_is_text_and_blank_form(client, week):
    Agent.objects.filter(pk=week.zhou.pk).update(name="=1+1")
    client.force_login(week.dept_manager)
    content = client.get(weekly_urls(week)["xlsx"]).content  # nothing saved: a draft
    assert_written_as_text(content, "=1+1")
    assert next(row for row in xlsx_rows(content) if row[1] == "=1+1")[3] == 2
    blank = xlsx_rows(client.get(weekly_urls(week)["xlsx"], {"blank": "1"}).content)
    assert find_row(blank, "主管陪访")[1] is None
    assert not any("王五" in str(row) for row in blank)
    page = client.get(weekly_urls(week)["html"], {"blank": "1"}).content.decode()
    assert "pf-blank" in page and "主管陪访" in page and "王五" not in page


def test_form5_outsider_gets_404_on_the_page_files_and_api(client, api_client, week, checked):
    client.force_login(week.outsider)
    for url in weekly_urls(week).values():
        assert client.get(url).status_code == 404, url
    api_client.force_authenticate(week.outsider)
    for fmt in ("pdf", "xlsx"):
        assert api_client.get(f"{WEEKLY_API}{checked.pk}/{fmt}/").status_code == 404
    api_client.force_authenticate(week.dept_manager)
    response = api_client.get(f"{WEEKLY_API}{checked.pk}/xlsx/")
    assert response.status_code == 200
    assert find_row(xlsx_rows(response.content), "合计")[:3] == ["合计", 5, 0.4375]
    response = api_client.get(f"{WEEKLY_API}{checked.pk}/pdf/")
    assert response.status_code == 200 and "附件5" in pdf_text(response.content)


# -- 附件6 ------------------------------------------------------------------------------------
def log_check_urls(query):
    return {
        fmt: reverse(f"activity:log_check_print{suffix}") + query
        for fmt, suffix in (("html", ""), ("pdf", "_pdf"), ("xlsx", "_xlsx"))
    }


def test_form6_page_has_the_buttons_and_is_linked(client, logs):
    client.force_login(logs.dept_manager)
    urls = log_check_urls(f"?unit={logs.dept_a1.pk}&week=2025-03-03")
    page = client.get(urls["html"]).content.decode()
    assert "附件6" in page and "业务员工作日志检查表" in page and "张三" in page
    assert 'id="paperform-buttons"' in page
    assert f'href="{urls["pdf"].replace("&", "&amp;")}"' in page
    screen = client.get(reverse("activity:log_check"), {"unit": logs.dept_a1.pk, "week": MON})
    html = screen.content.decode()
    assert all(f'href="{url.replace("&", "&amp;")}"' in html for url in urls.values())


def test_form6_pdf_has_the_title_headers_and_the_worked_figures(client, logs):
    client.force_login(logs.district_manager)
    url = log_check_urls(f"?unit={logs.dept_a1.pk}&week=2025-03-05")["pdf"]
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    for expected in (
        "附件6",
        "业务员工作日志检查表",
        "东一部",
        "2025-03-03 – 2025-03-09",
        "营业组",
        "姓名",
        "准主顾数",
        "拜访量",
        "计划100",
        "早会记录",
        "主管审批",
        "东一部一组 张三 3 6 107 达标 1 1 2025-03-04 2 5",
        "东一部一组 李四 3 2 5 未达标 1 1 2025-03-05 1 5",
        "东一部二组 王五 0 0 0 未达标 0 0 0 5",
        "合计 3 人 6 8 112 1/3 人达标 2 2 2025-03-05 3 15",
        "检查意见",
        "营业部经理签字",
        "第 1 页 / 共 1 页",
    ):
        assert expected in text, expected
    assert_cjk_font_embedded(content)


def test_form6_excel_has_the_numbers_of_the_page_in_cells(client, logs):
    Agent.objects.filter(pk=logs.colleague.pk).update(name="=1+1")
    client.force_login(logs.district_manager)
    content = client.get(log_check_urls(f"?unit={logs.dept_a1.pk}&week=2025-03-03")["xlsx"]).content
    rows = xlsx_rows(content)
    assert rows[0][0] == "附件6 业务员工作日志检查表"
    header = find_row(rows, "营业组")
    assert header[:5] == ["营业组", "姓名", "准主顾数", "拜访量", "计划100"]
    assert header[6:8] == ["早会记录", "主管审批"]
    zhang = next(row for row in rows if row[1] == "张三")
    assert zhang == ["东一部一组", "张三", 3, 6, 107, "达标", 1, 1, datetime(2025, 3, 4), 2, 5]
    li = next(row for row in rows if row[1] == "=1+1")
    assert li == ["东一部一组", "=1+1", 3, 2, 5, "未达标", 1, 1, datetime(2025, 3, 5), 1, 5]
    total = find_row(rows, "合计")
    assert total == ["合计", "3 人", 6, 8, 112, "1/3 人达标", 2, 2, datetime(2025, 3, 5), 3, 15]
    assert_written_as_text(content, "=1+1")
    month = client.get(log_check_urls(f"?unit={logs.group_a1_1.pk}&month=2025-03")["xlsx"]).content
    zhang = next(row for row in xlsx_rows(month) if row[1] == "张三")
    assert zhang[2:7] == [3, 6, 107, 1, 5]  # prospects, visits, points, weeks on target, weeks


def test_form6_blank_keeps_the_names(client, logs):
    client.force_login(logs.dept_manager)
    urls = log_check_urls(f"?unit={logs.dept_a1.pk}&week=2025-03-03&blank=1")
    rows = xlsx_rows(client.get(urls["xlsx"]).content)
    assert next(row for row in rows if row[1] == "张三")[2:8] == [None] * 6
    page = client.get(urls["html"]).content.decode()
    assert "pf-blank" in page and "王五" in page and "107" not in page


def test_form6_outsider_gets_404_on_the_page_files_and_api(client, api_client, logs):
    query = f"?unit={logs.dept_a1.pk}&week=2025-03-03"
    client.force_login(logs.outsider)
    for url in log_check_urls(query).values():
        assert client.get(url).status_code == 404, url
    client.force_login(logs.supervisor)  # group 一组 only
    assert client.get(log_check_urls(query)["pdf"]).status_code == 404
    client.force_login(logs.agent_user)
    assert client.get(log_check_urls("")["xlsx"]).status_code == 403
    params = {"unit": logs.dept_a1.pk, "week": "2025-03-03"}
    for user in (logs.outsider, logs.supervisor):
        api_client.force_authenticate(user)
        for fmt in ("pdf", "xlsx"):
            assert api_client.get(f"{LOG_CHECK_API}{fmt}/", params).status_code == 404
    api_client.force_authenticate(logs.dept_manager)
    response = api_client.get(f"{LOG_CHECK_API}xlsx/", params)
    assert response.status_code == 200
    assert find_row(xlsx_rows(response.content), "合计")[2:5] == [6, 8, 112]
    response = api_client.get(f"{LOG_CHECK_API}pdf/", params)
    assert response.status_code == 200 and "业务员工作日志检查表" in pdf_text(response.content)
    assert api_client.get(f"{LOG_CHECK_API}pdf/").status_code == 400  # the unit is required
