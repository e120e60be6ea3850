"""Issue 20, "text stays text": the agent list export writes stored text as text (web and API),
survives a control character stored before input refused it, and agent input refuses control
characters on the page and in the API alike."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.tests.xlsx_checks import DDE, HYPERLINK, assert_written_as_text
from core.versioning import etag
from org.models import Agent, Unit
from org.tests.test_agent_pages import _edit_post

AGENTS = "/api/v1/agents/"


@pytest.fixture
def hostile(world):
    """Text stored before input refused it (written around the services)."""
    Agent.objects.filter(pk=world.agent.pk).update(name=HYPERLINK)
    Agent.objects.filter(pk=world.colleague.pk).update(name=DDE)
    Unit.objects.filter(pk=world.group_a1_2.pk).update(name="@SUM(1+1)")
    return world


def test_web_agent_export_writes_formula_like_text_as_text(client, hostile):
    client.force_login(hostile.district_admin)
    response = client.get(reverse("org:agent_export"))
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, DDE, "@SUM(1+1)")


def test_api_agent_export_writes_formula_like_text_as_text(api_client, hostile):
    api_client.force_authenticate(hostile.district_admin)
    response = api_client.get(reverse("api-agent-export"))
    assert response.status_code == 200
    assert_written_as_text(response.content, HYPERLINK, DDE, "@SUM(1+1)")


def test_a_stored_control_character_does_not_break_the_export(client, api_client, world):
    Agent.objects.filter(pk=world.agent.pk).update(name="张\u0001三")
    client.force_login(world.district_admin)
    api_client.force_authenticate(world.district_admin)
    for response in (
        client.get(reverse("org:agent_export")),
        api_client.get(reverse("api-agent-export")),
    ):
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
        assert world.agent.code in {row[0] for row in rows}
        assert next(row[1] for row in rows if row[0] == world.agent.code) == "张三"


@pytest.mark.parametrize("name", ["张\u0001三", "张\n三", "张\t三", "张\u007f三"])
def test_api_patch_with_a_control_character_is_refused(api_client, world, name):
    api_client.force_authenticate(world.admin)
    response = api_client.patch(
        f"{AGENTS}{world.agent.pk}/",
        {"name": name},
        format="json",
        HTTP_IF_MATCH=etag(world.agent.version),
    )
    assert response.status_code == 400
    message = response.json()["name"][0]
    assert "名称" in message and "控制字符" in message  # names the field, says what is wrong
    world.agent.refresh_from_db()
    assert world.agent.name == "张三"


def test_web_agent_edit_with_a_control_character_shows_a_form_error(client, world):
    client.force_login(world.district_admin)
    response = client.post(
        reverse("org:agent_edit", args=[world.agent.pk]),
        _edit_post(world.agent, name="张\u0001三", practice_certificate_no="PC\u00019"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "控制字符" in errors["name"][0] and "姓名" in errors["name"][0]
    assert "控制字符" in errors["practice_certificate_no"][0]
    stored = Agent.objects.get(pk=world.agent.pk)
    assert (stored.name, stored.practice_certificate_no) == (
        "张三",
        world.agent.practice_certificate_no,
    )
