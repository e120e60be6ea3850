"""活动量工具: receipts and issues, stock computed in the database, issuing beyond stock refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from activity.models import ToolKind, ToolMovement
from activity.selectors.tools import stock
from activity.services.tools import tool_record

DAY = date(2025, 3, 3)
API = "/api/v1/activity/tools/"


@pytest.fixture
def books(world):
    kind = ToolKind.objects.get(key="log_book")
    tool_record(
        acting_user=world.district_admin,
        district=world.district_a,
        kind=kind,
        direction="in",
        quantity=100,
        day=DAY,
    )
    tool_record(
        acting_user=world.district_admin,
        district=world.district_a,
        kind=kind,
        direction="out",
        quantity=30,
        day=DAY,
        department=world.dept_a1,
        note="第一批",
    )
    return kind


def test_default_kinds_exist_with_translated_names(db):
    assert list(ToolKind.objects.values_list("key", flat=True)) == [
        "log_book",
        "prospect_card",
        "recruit_card",
        "work_element_table",
    ]
    log_book = ToolKind.objects.get(key="log_book")
    assert str(log_book) == "工作日志本"  # Chinese first
    with translation.override("en"):
        assert str(log_book) == "work log book"


def test_stock_is_received_minus_issued(world, books):
    rows = {row["kind"].key: row for row in stock(world.district_a)}
    assert (
        rows["log_book"]["received"],
        rows["log_book"]["issued"],
        rows["log_book"]["stock"],
    ) == (
        100,
        30,
        70,
    )
    assert rows["prospect_card"]["stock"] == 0
    issued = ToolMovement.objects.get(direction="out")
    assert (issued.recorded_by, issued.department) == (world.district_admin, world.dept_a1)
    assert issued.history.count() == 1


def test_issuing_more_than_the_stock_is_refused(world, books):
    with pytest.raises(ValidationError) as error:
        tool_record(
            acting_user=world.district_manager,
            district=world.district_a,
            kind=books,
            direction="out",
            quantity=71,
            day=DAY,
            department=world.dept_a2,
        )
    assert "库存仅70" in str(error.value)
    assert ToolMovement.objects.count() == 2


def test_department_outside_the_district_and_no_department_are_refused(world, books):
    for department in (world.dept_b1, None):
        with pytest.raises(ValidationError):
            tool_record(
                acting_user=world.district_manager,
                district=world.district_a,
                kind=books,
                direction="out",
                quantity=1,
                day=DAY,
                department=department,
            )


def test_only_district_staff_record(world, books):
    for user in (world.dept_manager, world.assistant, world.outsider, world.agent_user):
        with pytest.raises(PermissionDenied):
            tool_record(
                acting_user=user,
                district=world.district_a,
                kind=books,
                direction="in",
                quantity=1,
                day=DAY,
            )


def test_page_district_records_and_department_reads_its_issues(world, books, client):
    client.force_login(world.district_admin)
    page = client.get("/activity/tools/").content.decode()
    assert "tool-stock" in page and "第一批" in page
    response = client.post(
        "/activity/tools/",
        {
            "district": world.district_a.pk,
            "direction": "out",
            "kind": books.pk,
            "quantity": 500,
            "date": DAY.isoformat(),
            "department": world.dept_a2.pk,
        },
    )
    assert response.status_code == 200 and "库存仅70" in response.content.decode()
    response = client.post(
        "/activity/tools/",
        {
            "district": world.district_a.pk,
            "direction": "out",
            "kind": books.pk,
            "quantity": 20,
            "date": DAY.isoformat(),
            "department": world.dept_a2.pk,
        },
    )
    assert response.status_code == 302
    filtered = client.get(f"/activity/tools/?department={world.dept_a2.pk}").content.decode()
    assert "第一批" not in filtered
    client.force_login(world.dept_manager)
    page = client.get("/activity/tools/").content.decode()
    assert "第一批" in page and "tool-form" not in page
    assert page.count("<td>东二部</td>") == 0  # not another department's issues
    client.force_login(world.supervisor)
    assert client.get("/activity/tools/").status_code == 403
    client.force_login(world.outsider)
    assert "第一批" not in client.get("/activity/tools/").content.decode()


def test_api_lists_creates_and_refuses(world, books, api_client):
    api_client.force_authenticate(world.district_manager)
    data = {
        "district": world.district_a.pk,
        "kind": books.pk,
        "direction": "out",
        "quantity": 80,
        "department": world.dept_a1.pk,
        "date": DAY,
    }
    response = api_client.post(API, data, format="json")
    assert response.status_code == 400 and "quantity" in response.data
    response = api_client.post(API, {**data, "quantity": 10}, format="json")
    assert response.status_code == 201, response.content
    assert response.data["recorded_by"] == world.district_manager.pk
    stock_rows = api_client.get(
        "/api/v1/activity/tool-stock/", {"district": world.district_a.pk}
    ).data
    assert {row["kind_name"]: row["stock"] for row in stock_rows}["工作日志本"] == 60
    api_client.force_authenticate(world.dept_manager)
    assert {row["direction"] for row in api_client.get(API).data["results"]} == {"out"}
    assert api_client.post(API, {**data, "quantity": 1}, format="json").status_code == 403
    api_client.force_authenticate(world.outsider)
    assert api_client.get(API).data["results"] == []
    response = api_client.get("/api/v1/activity/tool-stock/", {"district": world.district_a.pk})
    assert response.status_code == 404
