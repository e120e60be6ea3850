"""No lost updates on agents and units (issue 20): every edit carries the version it was based
on; a stale save is refused, on the page with what the other person changed, in the API with 409."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.versioning import StaleVersion
from org.models import Agent
from org.services import agents as agent_services
from org.tests.test_agent_pages import _edit_post

AGENTS = "/api/v1/agents/"


@pytest.fixture(autouse=True)
def english(api_client):
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _loaded_form(user, agent) -> tuple[Client, dict]:
    """A browser that opened the edit page: its client and the form as the page rendered it."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(user)
    page = browser.get(reverse("org:agent_edit", args=[agent.pk]))
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == agent.version
    return browser, _edit_post(agent)


def test_second_save_on_the_same_page_version_is_refused_with_the_first_change_shown(world):
    url = reverse("org:agent_edit", args=[world.agent.pk])
    first, first_data = _loaded_form(world.district_admin, world.agent)
    second, second_data = _loaded_form(world.dept_manager, world.agent)

    saved = first.post(url, {**first_data, "name": "张三丰"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_data, "qualification_certificate_no": "QC-9"})

    assert refused.status_code == 200
    stored = Agent.objects.get(pk=world.agent.pk)
    assert stored.name == "张三丰"  # the first change is not reverted
    assert stored.qualification_certificate_no == ""  # nothing of the second was saved
    form = refused.context["form"]
    assert form.is_stale and form.non_field_errors()
    assert form["qualification_certificate_no"].value() == "QC-9"  # the user's input stays
    html = refused.content.decode()
    assert "张三丰" in html and str(world.district_admin) in html
    # the first person's save set the name and (as _edit_post does) the certificate number
    assert [c["field"] for c in form.stale_changes] == [
        Agent._meta.get_field("name").verbose_name,
        Agent._meta.get_field("practice_certificate_no").verbose_name,
    ]
    assert form.stale_changes[0]["value"] == "张三丰"
    assert form.stale_changes[0]["who"] == world.district_admin
    # The page now carries the current version: saving again is a deliberate overwrite.
    assert form["version"].value() == stored.version
    again = second.post(url, {**second_data, "version": stored.version, "name": "张三丰"})
    assert again.status_code == 302


def test_edit_without_version_is_refused_on_the_page(client, world):
    client.force_login(world.district_admin)
    data = _edit_post(world.agent, name="张无忌")
    del data["version"]
    response = client.post(reverse("org:agent_edit", args=[world.agent.pk]), data)
    assert response.status_code == 200
    assert Agent.objects.get(pk=world.agent.pk).name != "张无忌"


def test_history_does_not_list_the_version_as_a_change(client, world):
    client.force_login(world.district_admin)
    url = reverse("org:agent_edit", args=[world.agent.pk])
    client.post(url, _edit_post(world.agent, name="张三丰"))
    page = client.get(reverse("org:agent_detail", args=[world.agent.pk]))
    fields = [c["field"] for row in page.context["history"] for c in row["changes"]]
    assert "version" not in fields


# -- API ---------------------------------------------------------------------------------------


def test_detail_carries_version_and_etag(api_client, world):
    api_client.force_authenticate(world.district_admin)
    response = api_client.get(f"{AGENTS}{world.agent.pk}/")
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'


def test_patch_with_if_match_saves_and_answers_the_new_etag(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    etag = api_client.get(url)["ETag"]
    response = api_client.patch(url, {"name": "张三丰"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'


def test_stale_if_match_gets_409_with_the_current_version(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    etag = api_client.get(url)["ETag"]
    first = api_client.patch(url, {"name": "张三丰"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200

    stale = api_client.patch(url, {"name": "张无忌"}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 409
    body = stale.json()
    assert body["version"] == 2
    assert body["current"]["name"] == "张三丰"
    assert body["current"]["version"] == 2
    assert stale["ETag"] == '"2"'
    assert Agent.objects.get(pk=world.agent.pk).name == "张三丰"


def test_stale_version_field_gets_409_on_put_too(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    assert api_client.patch(url, {"name": "张三丰", "version": 1}, format="json").status_code == 200
    stale = api_client.put(url, {"name": "张无忌", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == 2


@pytest.mark.parametrize("method", ["patch", "put"])
def test_edit_without_version_answers_428_and_saves_nothing(api_client, world, method):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    response = getattr(api_client, method)(url, {"name": "张三丰"}, format="json")
    assert response.status_code == 428
    assert response.json() == {
        "detail": "Send the version you based your edit on: an If-Match header with the ETag "
        "or a version field."
    }
    stored = Agent.objects.get(pk=world.agent.pk)
    assert (stored.name, stored.version) == ("张三", 1)


def test_if_match_star_is_no_version(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    response = api_client.patch(url, {"name": "张三丰"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 428
    assert Agent.objects.get(pk=world.agent.pk).name == "张三"


def test_version_field_instead_of_if_match_saves(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    response = api_client.patch(url, {"name": "张三丰", "version": 1}, format="json")
    assert response.status_code == 200
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize(
    "headers, body, field",
    [
        ({"HTTP_IF_MATCH": '"99999999999999999999"'}, {}, "If-Match"),
        ({}, {"version": "99999999999999999999"}, "version"),
        ({}, {"version": -1}, "version"),
        ({}, {"version": True}, "version"),
        ({}, {"version": "abc"}, "version"),
    ],
)
def test_unusable_version_is_a_400_naming_it(api_client, world, headers, body, field):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    response = api_client.patch(url, {"name": "张三丰", **body}, format="json", **headers)
    assert response.status_code == 400
    assert field in response.json()
    assert Agent.objects.get(pk=world.agent.pk).name == "张三"


def test_malformed_if_match_is_a_400(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"{AGENTS}{world.agent.pk}/"
    response = api_client.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH="abc")
    assert response.status_code == 400
    assert "If-Match" in response.json()


def test_out_of_scope_stale_edit_is_404_not_409(api_client, world):
    api_client.force_authenticate(world.outsider)
    url = f"{AGENTS}{world.agent.pk}/"
    response = api_client.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH='"99"')
    assert response.status_code in (403, 404)


# -- service -----------------------------------------------------------------------------------


def test_two_saves_on_the_same_base_version_only_one_wins(world):
    one = Agent.objects.get(pk=world.agent.pk)
    two = Agent.objects.get(pk=world.agent.pk)
    agent_services.agent_update(
        acting_user=world.district_admin, agent=one, base_version=one.version, name="张三丰"
    )
    with pytest.raises(StaleVersion) as refused:
        agent_services.agent_update(
            acting_user=world.dept_manager, agent=two, base_version=two.version, name="张无忌"
        )
    assert refused.value.current.version == 2
    assert Agent.objects.get(pk=world.agent.pk).name == "张三丰"


def test_the_conditional_update_refuses_a_base_that_moved_under_the_check(world):
    """The guard after the read: even when the row was read at the base version, the write
    matches only if it is still there (the case two concurrent transactions meet)."""
    from core.versioning import claim_version  # noqa: PLC0415

    agent = Agent.objects.get(pk=world.agent.pk)
    Agent.objects.filter(pk=agent.pk).update(version=2)  # the other transaction committed
    with pytest.raises(StaleVersion):
        claim_version(agent, 1)
    claim_version(agent, 2)
    assert agent.version == 3 == Agent.objects.get(pk=agent.pk).version


def test_transfer_moves_the_version_on(world):
    from django.utils import timezone  # noqa: PLC0415

    agent_services.agent_transfer(
        acting_user=world.district_admin,
        agent=world.agent,
        to_group=world.group_a1_2,
        effective_date=timezone.localdate(),
    )
    assert Agent.objects.get(pk=world.agent.pk).version == 2


# -- units -------------------------------------------------------------------------------------


def test_unit_rename_on_a_stale_page_is_refused_with_the_other_name(client, world):
    unit = world.group_a1_2
    client.force_login(world.district_admin)
    page = client.get(reverse("org:unit_detail", args=[unit.pk]))
    version = page.context["rename_form"]["version"].value()
    url = reverse("org:unit_rename", args=[unit.pk])
    assert client.post(url, {"name": "新一组", "version": version}).status_code == 302

    response = client.post(url, {"name": "新二组", "version": version}, follow=True)

    unit.refresh_from_db()
    assert unit.name == "新一组"
    shown = [str(m) for m in response.context["messages"]]
    # after the first save's "renamed": the refusal, and the change with the other person's name
    assert len(shown) == 3
    assert "新一组" in shown[2] and str(world.district_admin) in shown[2]


def test_unit_rename_in_the_api_answers_409_when_stale(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"/api/v1/units/{world.group_a1_2.pk}/"
    etag = api_client.get(url)["ETag"]
    assert (
        api_client.patch(url, {"name": "新一组"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    stale = api_client.patch(url, {"name": "新二组"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["name"] == "新一组"


def test_unit_rename_without_a_version_answers_428(api_client, world):
    unit = world.group_a1_2
    name = unit.name
    api_client.force_authenticate(world.district_admin)
    response = api_client.patch(f"/api/v1/units/{unit.pk}/", {"name": "新一组"}, format="json")
    assert response.status_code == 428
    unit.refresh_from_db()
    assert (unit.name, unit.version) == (name, 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_saves_on_the_same_base_version_only_one_wins(world):
    """Two transactions at once, each with its own connection: never both win."""
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, name):
        try:
            barrier.wait(timeout=30)
            agent_services.agent_update(
                acting_user=user, agent=world.agent, base_version=1, name=name
            )
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(world.district_admin, "张三丰")),
        threading.Thread(target=save, args=(world.dept_manager, "张无忌")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["saved", "stale"]
    assert Agent.objects.get(pk=world.agent.pk).version == 2
