"""Scoped access (§10): each role sees its own world and nothing else, in pages and API alike."""

import pytest
from django.urls import reverse

from core.versioning import etag
from org.models import Agent

# who → (agents listed, agents never listed)
VISIBILITY = {
    "admin": ({"agent", "other_dept_agent", "outside_agent"}, set()),
    "marketing": ({"agent", "other_dept_agent", "outside_agent"}, set()),
    "district_manager": (
        {"agent", "colleague", "other_group_agent", "other_dept_agent"},
        {"outside_agent"},
    ),
    "trainer": ({"agent", "other_dept_agent"}, {"outside_agent"}),
    "dept_manager": (
        {"agent", "colleague", "other_group_agent"},
        {"other_dept_agent", "outside_agent"},
    ),
    "assistant": ({"agent", "other_group_agent"}, {"other_dept_agent", "outside_agent"}),
    "supervisor": (
        {"agent", "colleague"},
        {"other_group_agent", "other_dept_agent", "outside_agent"},
    ),
    "outsider": ({"outside_agent"}, {"agent", "other_dept_agent"}),
}


@pytest.mark.parametrize("who", VISIBILITY)
def test_agent_list_page_shows_only_agents_in_scope(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("org:agent_list"), {"q": ""})
    assert response.status_code == 200
    html = response.content.decode()
    visible, hidden = VISIBILITY[who]
    for name in visible:
        assert getattr(world, name).code in html, f"{who} should see {name}"
    for name in hidden:
        assert getattr(world, name).code not in html, f"{who} must not see {name}"


@pytest.mark.parametrize("who", VISIBILITY)
def test_agent_api_list_shows_only_agents_in_scope(api_client, world, who):
    api_client.force_authenticate(getattr(world, who))
    response = api_client.get("/api/v1/agents/", {"page_size": 100})
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    visible, hidden = VISIBILITY[who]
    assert {getattr(world, n).code for n in visible} <= codes
    assert not {getattr(world, n).code for n in hidden} & codes


@pytest.mark.parametrize("who", [w for w, (_v, hidden) in VISIBILITY.items() if hidden])
def test_out_of_scope_agent_detail_is_404_on_page_and_api(client, api_client, world, who):
    user = getattr(world, who)
    target = getattr(world, sorted(VISIBILITY[who][1])[0])
    client.force_login(user)
    assert client.get(reverse("org:agent_detail", args=[target.pk])).status_code == 404
    api_client.force_authenticate(user)
    assert api_client.get(f"/api/v1/agents/{target.pk}/").status_code == 404


def test_agent_sees_only_themselves(client, api_client, world):
    client.force_login(world.agent_user)
    assert client.get(reverse("org:agent_detail", args=[world.agent.pk])).status_code == 200
    assert client.get(reverse("org:agent_detail", args=[world.colleague.pk])).status_code == 404
    assert client.get(reverse("org:agent_list")).status_code == 403
    api_client.force_authenticate(world.agent_user)
    codes = [row["code"] for row in api_client.get("/api/v1/agents/").json()["results"]]
    assert codes == [world.agent.code]


def test_service_post_sees_no_agents(client, api_client, world):
    client.force_login(world.service)
    assert client.get(reverse("org:agent_list")).status_code == 403
    assert client.get(reverse("org:agent_detail", args=[world.agent.pk])).status_code == 404
    api_client.force_authenticate(world.service)
    assert api_client.get("/api/v1/agents/").json()["count"] == 0


def test_units_listed_are_those_in_scope(api_client, world):
    api_client.force_authenticate(world.dept_manager)
    units = {row["code"] for row in api_client.get("/api/v1/units/").json()["results"]}
    assert units == {"DA-1", "DA-1-1", "DA-1-2"}
    assert api_client.get(f"/api/v1/units/{world.dept_b1.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["supervisor", "trainer", "marketing"])
def test_read_only_roles_cannot_edit_agents(client, api_client, world, who):
    user = getattr(world, who)
    client.force_login(user)
    assert client.get(reverse("org:agent_edit", args=[world.agent.pk])).status_code == 403
    assert (
        client.post(
            reverse("org:agent_transfer", args=[world.agent.pk]),
            {"to_group": world.group_a1_2.pk, "effective_date": "2025-01-02"},
        ).status_code
        == 403
    )
    api_client.force_authenticate(user)
    response = api_client.patch(
        f"/api/v1/agents/{world.agent.pk}/", {"name": "改名"}, format="json"
    )
    assert response.status_code == 403
    world.agent.refresh_from_db()
    assert world.agent.name == "张三"
    assert world.agent.group == world.group_a1_1


def test_department_manager_edits_own_department_only(api_client, world):
    api_client.force_authenticate(world.dept_manager)
    ok = api_client.patch(
        f"/api/v1/agents/{world.agent.pk}/",
        {"name": "张三丰"},
        format="json",
        HTTP_IF_MATCH=etag(world.agent.version),
    )
    assert ok.status_code == 200
    assert ok.json()["name"] == "张三丰"
    other = api_client.patch(
        f"/api/v1/agents/{world.other_dept_agent.pk}/", {"name": "x"}, format="json"
    )
    assert other.status_code == 404
    # cannot move an agent out into another department's group
    moved = api_client.post(
        f"/api/v1/agents/{world.agent.pk}/transfers/",
        {"to_group": world.group_a2_1.pk, "effective_date": "2025-01-02"},
        format="json",
    )
    assert moved.status_code in (400, 404)
    assert Agent.objects.get(pk=world.agent.pk).group == world.group_a1_1


def test_outsider_cannot_create_agent_in_other_district(api_client, world):
    api_client.force_authenticate(world.outsider)
    response = api_client.post(
        "/api/v1/agents/",
        {
            "code": "X0000001",
            "name": "新人",
            "gender": "M",
            "id_number": world.agent.id_number,
            "mobile": "13900000000",
            "education": "college",
            "hire_date": "2025-01-02",
            "group": world.group_a1_1.pk,
            "rank": world.rank_probation.pk,
            "status": "probation",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "group" in response.json()
    assert not Agent.objects.filter(code="X0000001").exists()


def test_only_admin_manages_users(client, world):
    client.force_login(world.district_manager)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    client.force_login(world.admin)
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_unit_management_is_scoped(api_client, world):
    api_client.force_authenticate(world.district_manager)
    created = api_client.post(
        "/api/v1/units/",
        {"parent": world.dept_a1.pk, "kind": "group", "name": "东一部三组", "code": "DA-1-3"},
        format="json",
    )
    assert created.status_code == 201
    refused = api_client.post(
        "/api/v1/units/",
        {"parent": world.dept_b1.pk, "kind": "group", "name": "西一部二组", "code": "DB-1-2"},
        format="json",
    )
    assert refused.status_code == 404
    api_client.force_authenticate(world.dept_manager)
    forbidden = api_client.patch(
        f"/api/v1/units/{world.group_a1_1.pk}/", {"name": "新名"}, format="json"
    )
    assert forbidden.status_code == 403
