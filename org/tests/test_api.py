"""The REST API under /api/v1/ (spec §1, §10): token login, JSON errors, no hard deletes,
transfers, rank changes, history, units, and the local OpenAPI schema and docs."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from conftest import make_id_number
from core.versioning import etag
from org.models import Agent, AgentRankChange, AgentTransfer, Unit

AGENTS = "/api/v1/agents/"
UNITS = "/api/v1/units/"


@pytest.fixture(autouse=True)
def english(api_client):
    # Messages are compared in English; the default (Chinese) is checked once below.
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def as_admin(api_client, world):
    """The district administrator (人管) of district A."""
    api_client.force_authenticate(world.district_admin)
    return api_client


def _today():
    return timezone.localdate().isoformat()


# -- authentication ----------------------------------------------------------------------------


def test_token_login_then_token_works_on_agents(api_client, world):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "district_admin", "password": "demo-pass-2026"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get(AGENTS)
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    assert world.agent.code in codes
    assert world.outside_agent.code not in codes


def test_second_login_gets_a_token_of_its_own(api_client, world):
    """Issue 20: tokens are stored as digests and listed/revoked one by one, so each login (each
    device) gets its own; the first one keeps working (accounts/tests/test_api_tokens.py)."""
    creds = {"username": "supervisor", "password": "demo-pass-2026"}
    first = api_client.post("/api/v1/auth/token/", creds, format="json").json()["token"]
    second = api_client.post("/api/v1/auth/token/", creds, format="json").json()["token"]
    assert first != second
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.get(AGENTS).status_code == 200


def test_wrong_password_gives_400_json(api_client, world):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "district_admin", "password": "wrong-pass"},
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "token" not in response.json()
    assert response.json()["non_field_errors"]


def test_unauthenticated_request_is_refused(api_client, world):
    response = api_client.get(AGENTS)
    assert response.status_code in (401, 403)
    assert world.agent.code not in response.content.decode()


def test_bad_token_is_refused(api_client, world):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert api_client.get(AGENTS).status_code in (401, 403)


# -- agents ------------------------------------------------------------------------------------


def _agent_payload(world, **overrides):
    data = {
        "code": "C0000001",
        "name": "吴十一",
        "gender": "F",
        "id_number": make_id_number(),
        "mobile": "13655556666",
        "education": "college",
        "hire_date": _today(),
        "group": world.group_a1_2.pk,
        "rank": world.rank_probation.pk,
        "status": "probation",
    }
    data.update(overrides)
    return data


def test_create_agent_returns_masked_record_and_hire_rows(as_admin, world):
    payload = _agent_payload(world)
    response = as_admin.post(AGENTS, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "C0000001"
    assert body["id_number"] != payload["id_number"]
    assert body["id_number"].endswith(payload["id_number"][-4:])
    assert body["mobile"] == "136****6666"
    agent = Agent.objects.get(code="C0000001")
    assert agent.id_number == payload["id_number"]
    assert AgentTransfer.objects.filter(agent=agent, from_group=None).count() == 1
    assert AgentRankChange.objects.filter(agent=agent, from_rank=None).count() == 1


def test_bad_id_number_gives_field_error_and_writes_nothing(as_admin, world):
    good = make_id_number()
    bad = good[:17] + ("0" if good[-1] != "0" else "1")
    before = (Agent.objects.count(), AgentTransfer.objects.count(), AgentRankChange.objects.count())
    response = as_admin.post(AGENTS, _agent_payload(world, id_number=bad), format="json")
    assert response.status_code == 400
    assert response.json() == {"id_number": ["The check code (last character) is wrong."]}
    assert (
        Agent.objects.count(),
        AgentTransfer.objects.count(),
        AgentRankChange.objects.count(),
    ) == before


def test_errors_are_in_chinese_by_default(as_admin, world):
    del as_admin.defaults["HTTP_ACCEPT_LANGUAGE"]
    response = as_admin.post(AGENTS, _agent_payload(world, mobile="999"), format="json")
    assert response.status_code == 400
    message = response.json()["mobile"][0]
    assert message != "Must be an 11-digit mobile number starting with 1."
    assert any("\u4e00" <= char <= "\u9fff" for char in message)


def test_token_user_who_chose_english_gets_english_errors(api_client, world):
    del api_client.defaults["HTTP_ACCEPT_LANGUAGE"]
    world.district_admin.language = "en"
    world.district_admin.save(update_fields=["language"])
    token = api_client.post(
        "/api/v1/auth/token/",
        {"username": "district_admin", "password": "demo-pass-2026"},
        format="json",
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.post(AGENTS, _agent_payload(world, mobile="999"), format="json")
    assert response.status_code == 400
    assert response.json()["mobile"] == ["Must be an 11-digit mobile number starting with 1."]


def test_several_field_errors_come_back_together(as_admin, world):
    response = as_admin.post(
        AGENTS, _agent_payload(world, id_number="123", mobile="999"), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"id_number", "mobile"}
    assert not Agent.objects.filter(code="C0000001").exists()


def test_duplicate_code_gives_field_error(as_admin, world):
    response = as_admin.post(AGENTS, _agent_payload(world, code=world.agent.code), format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_missing_fields_are_reported(as_admin, world):
    response = as_admin.post(AGENTS, {"code": "C0000002"}, format="json")
    assert response.status_code == 400
    assert {"name", "hire_date", "group", "rank"} <= set(response.json())


def test_create_in_group_outside_scope_is_refused(as_admin, world):
    response = as_admin.post(
        AGENTS, _agent_payload(world, group=world.group_b1_1.pk), format="json"
    )
    assert response.status_code in (400, 403, 404)
    assert not Agent.objects.filter(code="C0000001").exists()


def test_supervisor_cannot_create_agents(api_client, world):
    api_client.force_authenticate(world.supervisor)
    response = api_client.post(
        AGENTS, _agent_payload(world, group=world.group_a1_1.pk), format="json"
    )
    assert response.status_code == 403
    assert not Agent.objects.filter(code="C0000001").exists()


def test_patch_changes_own_data_but_not_code_or_group(as_admin, world):
    url = f"{AGENTS}{world.agent.pk}/"
    response = as_admin.patch(
        url,
        {"name": "张三三", "code": "HACK", "group": world.group_a2_1.pk},
        format="json",
        HTTP_IF_MATCH=etag(world.agent.version),
    )
    assert response.status_code == 200, response.content
    world.agent.refresh_from_db()
    assert world.agent.name == "张三三"
    assert world.agent.code != "HACK"
    assert world.agent.group == world.group_a1_1


def test_patch_with_bad_mobile_is_refused(as_admin, world):
    old = world.agent.mobile
    response = as_admin.patch(
        f"{AGENTS}{world.agent.pk}/",
        {"mobile": "0211234"},
        format="json",
        HTTP_IF_MATCH=etag(world.agent.version),
    )
    assert response.status_code == 400
    assert "mobile" in response.json()
    world.agent.refresh_from_db()
    assert world.agent.mobile == old


def test_agents_are_never_deleted(as_admin, world):
    response = as_admin.delete(f"{AGENTS}{world.agent.pk}/")
    assert response.status_code == 405
    assert Agent.objects.filter(pk=world.agent.pk).exists()


def test_units_are_never_deleted(api_client, world):
    api_client.force_authenticate(world.admin)
    response = api_client.delete(f"{UNITS}{world.group_a1_2.pk}/")
    assert response.status_code == 405
    assert Unit.objects.filter(pk=world.group_a1_2.pk).exists()


# -- transfers, rank changes, history ----------------------------------------------------------


def test_transfer_endpoint_lists_and_creates(as_admin, world):
    url = f"{AGENTS}{world.agent.pk}/transfers/"
    assert as_admin.get(url).json() == []
    response = as_admin.post(
        url,
        {"to_group": world.group_a2_1.pk, "effective_date": _today(), "reason": "支援"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["from_group"], body["to_group"], body["effective_date"]) == (
        world.group_a1_1.pk,
        world.group_a2_1.pk,
        _today(),
    )
    assert body["created_by"] == world.district_admin.pk
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a2_1
    listed = as_admin.get(url).json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_transfer_with_future_date_is_scheduled(as_admin, world):
    """Issue 11 §4 (was: a field error): the API accepts a future date and says it is scheduled."""
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = as_admin.post(
        f"{AGENTS}{world.agent.pk}/transfers/",
        {"to_group": world.group_a2_1.pk, "effective_date": tomorrow},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["scheduled"] is True
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a1_1


def test_transfer_into_another_district_is_refused(as_admin, world):
    response = as_admin.post(
        f"{AGENTS}{world.agent.pk}/transfers/",
        {"to_group": world.group_b1_1.pk, "effective_date": _today()},
        format="json",
    )
    assert response.status_code in (400, 403, 404)
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a1_1


def test_supervisor_may_read_but_not_post_transfers(api_client, world):
    api_client.force_authenticate(world.supervisor)
    url = f"{AGENTS}{world.colleague.pk}/transfers/"
    assert api_client.get(url).status_code == 200
    response = api_client.post(
        url, {"to_group": world.group_a1_2.pk, "effective_date": _today()}, format="json"
    )
    assert response.status_code == 403
    assert not AgentTransfer.objects.exists()


def test_rank_change_endpoint_lists_and_creates(api_client, world):
    api_client.force_authenticate(world.dept_manager)
    url = f"{AGENTS}{world.colleague.pk}/rank-changes/"
    assert api_client.get(url).json() == []
    response = api_client.post(
        url,
        {"to_rank": world.rank_formal.pk, "effective_date": _today(), "reason": "转正"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["from_rank"], body["to_rank"], body["created_by"]) == (
        world.rank_probation.pk,
        world.rank_formal.pk,
        world.dept_manager.pk,
    )
    world.colleague.refresh_from_db()
    assert world.colleague.rank == world.rank_formal
    assert len(api_client.get(url).json()) == 1


def test_rank_change_to_current_rank_is_a_field_error(as_admin, world):
    response = as_admin.post(
        f"{AGENTS}{world.agent.pk}/rank-changes/",
        {"to_rank": world.rank_formal.pk, "effective_date": _today()},
        format="json",
    )
    assert response.status_code == 400
    assert "to_rank" in response.json()
    assert not AgentRankChange.objects.exists()


def test_history_endpoint_shows_the_change_and_who(as_admin, world):
    as_admin.post(
        f"{AGENTS}{world.agent.pk}/transfers/",
        {"to_group": world.group_a2_1.pk, "effective_date": _today()},
        format="json",
    )
    response = as_admin.get(f"{AGENTS}{world.agent.pk}/history/")
    assert response.status_code == 200
    latest = response.json()[0]
    assert latest["who"] == "district_admin"
    assert {"field": "group", "old": "东一部一组", "new": "东二部一组"} in latest["changes"]


def test_history_of_out_of_scope_agent_is_404(as_admin, world):
    assert as_admin.get(f"{AGENTS}{world.outside_agent.pk}/history/").status_code == 404


# -- units -------------------------------------------------------------------------------------


def test_unit_create_rename_close_round_trip(as_admin, world):
    response = as_admin.post(
        UNITS,
        {"parent": world.dept_a2.pk, "kind": "group", "name": "东二部二组", "code": "DA-2-2"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["district"] == world.district_a.pk

    response = as_admin.patch(
        f"{UNITS}{pk}/", {"name": "东二部新二组"}, format="json", HTTP_IF_MATCH=etag(1)
    )
    assert response.status_code == 200
    assert response.json()["name"] == "东二部新二组"

    history = as_admin.get(f"{UNITS}{pk}/history/").json()
    assert history[0]["who"] == "district_admin"
    assert {"field": "name", "old": "东二部二组", "new": "东二部新二组"} in history[0]["changes"]

    response = as_admin.post(f"{UNITS}{pk}/close/", {"closed_on": _today()}, format="json")
    assert response.status_code == 200
    assert response.json()["closed_on"] == _today()
    assert Unit.objects.get(pk=pk).closed_on is not None
    # still listed through the API, marked closed
    assert as_admin.get(f"{UNITS}{pk}/").json()["closed_on"] == _today()


def test_unit_of_wrong_kind_is_a_field_error(as_admin, world):
    response = as_admin.post(
        UNITS,
        {"parent": world.dept_a2.pk, "kind": "department", "name": "错层", "code": "BAD-1"},
        format="json",
    )
    assert response.status_code == 400
    assert "kind" in response.json()
    assert not Unit.objects.filter(code="BAD-1").exists()


def test_duplicate_unit_code_is_a_field_error(as_admin, world):
    response = as_admin.post(
        UNITS,
        {"parent": world.dept_a2.pk, "kind": "group", "name": "重复", "code": "DA-1-1"},
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_rename_to_blank_is_a_field_error(as_admin, world):
    response = as_admin.patch(
        f"{UNITS}{world.dept_a2.pk}/",
        {"name": ""},
        format="json",
        HTTP_IF_MATCH=etag(world.dept_a2.version),
    )
    assert response.status_code == 400
    assert "name" in response.json()
    world.dept_a2.refresh_from_db()
    assert world.dept_a2.name == "东二部"


def test_closing_a_group_with_agents_gives_json_error(as_admin, world):
    response = as_admin.post(f"{UNITS}{world.group_a1_1.pk}/close/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Transfer the agents of 东一部一组 to another group first."]
    }
    world.group_a1_1.refresh_from_db()
    assert world.group_a1_1.closed_on is None


def test_dept_manager_cannot_manage_units(api_client, world):
    api_client.force_authenticate(world.dept_manager)
    response = api_client.post(
        UNITS,
        {"parent": world.dept_a1.pk, "kind": "group", "name": "东一部三组", "code": "DA-1-3"},
        format="json",
    )
    assert response.status_code == 403
    assert (
        api_client.patch(f"{UNITS}{world.group_a1_2.pk}/", {"name": "x"}, format="json").status_code
        == 403
    )
    assert not Unit.objects.filter(code="DA-1-3").exists()


def test_units_of_another_district_are_404(as_admin, world):
    assert (
        as_admin.patch(f"{UNITS}{world.dept_b1.pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert (
        as_admin.post(f"{UNITS}{world.group_b1_1.pk}/close/", {}, format="json").status_code == 404
    )
    world.dept_b1.refresh_from_db()
    assert world.dept_b1.name == "西一部"


# -- schema and docs ---------------------------------------------------------------------------


def test_schema_is_openapi_3(client, world):
    client.force_login(world.district_admin)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    content = response.content.decode()
    if content.lstrip().startswith("{"):
        assert json.loads(content)["openapi"].startswith("3")
    else:
        assert "openapi: 3" in content
    assert "/api/v1/agents/" in content
    assert "/api/v1/calendar/workdays/" in content


def test_docs_page_uses_only_local_assets(client, world):
    client.force_login(world.district_admin)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode().lower()
    assert "swagger" in html
    for remote in ("cdn.", "unpkg", "jsdelivr", "cdnjs", "googleapis"):
        assert remote not in html, remote
