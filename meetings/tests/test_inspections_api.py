"""The inspections API (/api/v1/meetings/inspections/…): same services and scope as the pages."""

from datetime import date

import pytest

from meetings.models import AcceptanceForm, ChecklistItem, Issue, Visit
from meetings.services import inspections as svc

BASE = "/api/v1/meetings/inspections"


@pytest.fixture
def items(world):
    return [i for i in svc.checklist_ensure_default(district=world.district_a) if i.active]


def test_district_plans_fills_and_department_resolves(world, api_client, items):
    api_client.force_authenticate(world.district_manager)
    response = api_client.post(
        f"{BASE}/visits/",
        {"unit": world.dept_a1.pk, "date": "2026-03-10", "inspector": world.trainer.pk},
        format="json",
    )
    assert response.status_code == 201, response.data
    visit_id = response.data["id"]
    version = response.data["version"]
    assert response.data["state"] == "planned"

    ratings = [{"item": i.pk, "rating": 5} for i in items]
    ratings[0]["rating"] = 0  # 准时开始 (weight 10) not done: 100 − 10 = 90
    response = api_client.post(
        f"{BASE}/visits/{visit_id}/form/",
        {
            "ratings": ratings,
            "issues": [{"description": "推迟十五分钟开始", "item": items[0].pk}],
            "suggestions": "提前到场",
            "version": version,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["total"] == "90.0"
    form_id = response.data["id"]
    again = api_client.post(
        f"{BASE}/visits/{visit_id}/form/", {"ratings": ratings, "version": version}, format="json"
    )
    assert again.status_code == 409

    assert api_client.get(f"{BASE}/forms/{form_id}/").data["scores"][0]["points"] == "0.0"
    issue_id = Issue.objects.get().pk

    api_client.force_authenticate(world.dept_manager)
    listed = api_client.get(f"{BASE}/issues/").data
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [issue_id]
    response = api_client.post(
        f"{BASE}/issues/{issue_id}/resolve/", {"resolution": "已整改", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.data["is_open"] is False
    cancel = api_client.post(f"{BASE}/visits/{visit_id}/cancel/", {"version": version + 1})
    assert cancel.status_code == 403

    report = api_client.get(f"{BASE}/report/?start=2026-03-01")
    assert report.status_code == 403  # a department does not read the district's report
    api_client.force_authenticate(world.district_manager)
    report = api_client.get(f"{BASE}/report/?start=2026-03-01").data
    assert report["visits"]["done"] == 1 and report["visits"]["average"] == 90.0


def test_checklist_read_and_edit(world, api_client, items):
    api_client.force_authenticate(world.dept_manager)
    # The department reads the checklist it is scored against; an agent does not.
    assert len(api_client.get(f"{BASE}/checklist/").data) == 8
    api_client.force_authenticate(world.agent_user)
    assert api_client.get(f"{BASE}/checklist/").status_code == 403
    api_client.force_authenticate(world.district_admin)
    listed = api_client.get(f"{BASE}/checklist/").data
    assert sum(row["weight"] for row in listed) == 100
    rows = [
        {"id": row["id"], "title": row["title"], "weight": row["weight"], "version": row["version"]}
        for row in listed
    ]
    rows[0]["weight"] = 20
    response = api_client.put(
        f"{BASE}/checklist/", {"district": world.district_a.pk, "items": rows}, format="json"
    )
    assert response.status_code == 400
    assert "当前合计为110" in str(response.data)
    rows.append({"title": "新人介绍", "weight": 0, "active": False})
    rows[1]["weight"] = 0
    rows[1]["active"] = False
    response = api_client.put(
        f"{BASE}/checklist/", {"district": world.district_a.pk, "items": rows}, format="json"
    )
    assert response.status_code == 200, response.data
    assert ChecklistItem.objects.filter(district=world.district_a).count() == 9
    api_client.force_authenticate(world.outsider)
    response = api_client.put(
        f"{BASE}/checklist/", {"district": world.district_a.pk, "items": rows}, format="json"
    )
    assert response.status_code == 403


def test_scoping_of_visits(world, api_client, items):
    own = svc.visit_plan(
        acting_user=world.district_manager,
        inspector=world.district_manager,
        unit=world.dept_a1,
        date=date(2026, 3, 10),
    )
    svc.visit_plan(
        acting_user=world.district_manager,
        inspector=world.district_manager,
        unit=world.dept_a2,
        date=date(2026, 3, 10),
    )

    def ids(user):
        api_client.force_authenticate(user)
        data = api_client.get(f"{BASE}/visits/").data
        rows = data["results"] if isinstance(data, dict) else data
        return {row["id"] for row in rows}

    assert len(ids(world.district_manager)) == 2
    assert ids(world.dept_manager) == {own.pk}
    assert ids(world.outsider) == set()
    assert ids(world.agent_user) == set()
    api_client.force_authenticate(world.dept_manager)
    response = api_client.post(
        f"{BASE}/visits/",
        {"unit": world.dept_a1.pk, "date": "2026-03-11", "inspector": world.dept_manager.pk},
        format="json",
    )
    assert response.status_code == 403
    api_client.force_authenticate(world.outsider)
    ratings = [{"item": i.pk, "rating": 5} for i in items]
    response = api_client.post(
        f"{BASE}/visits/{own.pk}/form/",
        {"ratings": ratings, "version": own.version},
        format="json",
    )
    assert response.status_code == 404
    assert not AcceptanceForm.objects.exists()
    assert Visit.objects.count() == 2
