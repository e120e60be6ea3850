"""附件4 营业部早会验收表 on core.paperforms: the scored form of a visit as page, PDF and Excel
(hand-worked: weights 10/20/70 rated 5/3/4 → 10 + 12 + 56 = 78 points), blank, and scoped like
the page in the pages and the API."""

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
from meetings.tests.test_inspections import fill, plan, three_items
from org.models import Unit

__all__ = ["three_items"]  # fixture


@pytest.fixture
def acceptance(world, three_items):
    visit = plan(world)
    form = fill(
        world,
        visit,
        three_items,
        [5, 3, 4],
        issues=[{"description": "主题准备不足", "item": three_items[1].pk}],
    )
    return visit, form


def urls(visit):
    return {
        fmt: reverse(f"meetings:inspection_print{suffix}", args=[visit.pk])
        for fmt, suffix in (("html", ""), ("pdf", "_pdf"), ("xlsx", "_xlsx"))
    }


def test_page_shows_the_form_and_the_three_buttons(client, world, acceptance):
    visit, _form = acceptance
    client.force_login(world.dept_manager)
    url = urls(visit)
    page = client.get(url["html"]).content.decode()
    assert "附件4" in page and "营业部早会验收表" in page and "主题准备不足" in page
    assert f'href="{url["pdf"]}"' in page and f'href="{url["xlsx"]}"' in page
    assert "data-paperform-print" in page and "56.00" in page and "78.0" in page


def test_pdf_has_the_title_headers_and_the_worked_points(client, world, acceptance):
    visit, _form = acceptance
    client.force_login(world.district_manager)
    response = client.get(urls(visit)["pdf"])
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert pdf_page_count(content) == 1
    text = pdf_text(content)
    for expected in ("附件4", "营业部早会验收表", "验收项目", "权重", "得分", "东一部"):
        assert expected in text
    assert "准时开始 10 5 10.0" in text and "主题质量 20 3 12.0" in text
    assert "总分 78.0" in text and "验收人签字" in text and "第 1 页 / 共 1 页" in text
    assert_cjk_font_embedded(content)


def test_excel_has_the_numbers_of_the_page_in_cells(client, world, acceptance):
    visit, _form = acceptance
    Unit.objects.filter(pk=world.dept_a1.pk).update(name="=1+1")
    client.force_login(world.district_manager)
    content = client.get(urls(visit)["xlsx"]).content
    rows = xlsx_rows(content)
    assert rows[0][0] == "附件4 营业部早会验收表"
    assert rows[1][:2] == ["营业部", "=1+1"]
    assert find_row(rows, "序号")[:6] == ["序号", "验收项目", "权重", "评分（0–5）", "得分", "意见"]
    assert find_row(rows, 1)[:5] == [1, "准时开始", 10, 5, 10]
    assert find_row(rows, 2)[:5] == [2, "主题质量", 20, 3, 12]
    assert find_row(rows, 3)[:5] == [3, "氛围与参与", 70, 4, 56]
    assert find_row(rows, "总分")[1:5] == ["总分", None, None, 78]
    assert_written_as_text(content, "=1+1")


def test_blank_form_keeps_the_checklist_without_ratings(client, world, acceptance):
    visit, _form = acceptance
    client.force_login(world.district_manager)
    rows = xlsx_rows(client.get(urls(visit)["xlsx"], {"blank": "1"}).content)
    assert find_row(rows, 2)[:5] == [2, "主题质量", 20, None, None]
    page = client.get(urls(visit)["html"], {"blank": "1"}).content.decode()
    assert "主题质量" in page and "主题准备不足" not in page and "pf-blank" in page


def test_outsider_gets_404_for_page_pdf_excel_and_api(client, api_client, world, acceptance):
    visit, form = acceptance
    client.force_login(world.outsider)
    for url in urls(visit).values():
        assert client.get(url).status_code == 404
    api_client.force_authenticate(world.outsider)
    for fmt in ("pdf", "xlsx"):
        url = f"/api/v1/meetings/inspections/forms/{form.pk}/{fmt}/"
        assert api_client.get(url).status_code == 404


def test_api_gives_the_excel_and_the_pdf_in_scope(api_client, world, acceptance):
    _visit, form = acceptance
    api_client.force_authenticate(world.dept_manager)
    response = api_client.get(f"/api/v1/meetings/inspections/forms/{form.pk}/xlsx/")
    assert response.status_code == 200
    assert find_row(xlsx_rows(response.content), "总分")[4] == 78
    response = api_client.get(f"/api/v1/meetings/inspections/forms/{form.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
