"""§6.4: a resigned agent's cards are handed over; the one who hands over sees counts only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from activity.models import CardHandover, ProspectCard, RecruitCard
from activity.services.handover import cards_hand_over
from conftest import make_agent

API = "/api/v1/activity/card-handovers/"


@pytest.fixture
def resigned(world):
    colleague = world.colleague
    colleague.status = "resigned"
    colleague.resigned_on = date(2025, 3, 3)
    colleague.save()
    ProspectCard.objects.create(agent=colleague, name="秘密客户", contact="13900000001")
    ProspectCard.objects.create(agent=colleague, name="另一客户")
    RecruitCard.objects.create(agent=colleague, name="秘密候选")
    return colleague


def test_page_shows_counts_only_and_hands_over(world, resigned, client):
    client.force_login(world.district_admin)
    page = client.get("/activity/handover/").content.decode()
    assert "李四" in page and "秘密客户" not in page and "秘密候选" not in page
    assert "张三" in page  # an active agent of the same department to choose
    assert "赵六" not in page  # another department's agent is not offered
    response = client.post(f"/activity/handover/{resigned.pk}/", {"to_agent": world.agent.pk})
    assert response.status_code == 302
    page = client.get("/activity/handover/").content.decode()
    assert "秘密客户" not in page
    done = CardHandover.objects.get()
    assert (done.prospect_cards, done.recruit_cards, done.handed_over_by) == (
        2,
        1,
        world.district_admin,
    )
    card = ProspectCard.objects.get(name="秘密客户")
    assert (card.agent, card.handed_over_from) == (world.agent, resigned)
    # The new owner sees the cards as their own, by page and API.
    client.force_login(world.agent_user)
    assert "秘密客户" in client.get("/activity/cards/prospects/").content.decode()
    # Nobody else does, the district staff who handed over included.
    client.force_login(world.district_admin)
    assert "秘密客户" not in client.get("/activity/cards/prospects/").content.decode()


def test_refused_for_a_non_resigned_agent_or_another_department(world, resigned):
    with pytest.raises(ValidationError):
        cards_hand_over(
            acting_user=world.district_admin, from_agent=world.agent, to_agent=world.colleague
        )
    with pytest.raises(ValidationError):
        cards_hand_over(
            acting_user=world.district_admin,
            from_agent=resigned,
            to_agent=world.other_dept_agent,
        )
    gone = make_agent(
        world.group_a1_2, world.rank_formal, status="resigned", resigned_on=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        cards_hand_over(acting_user=world.district_admin, from_agent=resigned, to_agent=gone)
    assert not CardHandover.objects.exists()
    assert ProspectCard.objects.filter(agent=resigned).count() == 2


def test_api_hand_over_and_privacy(world, resigned, api_client):
    api_client.force_authenticate(world.outsider)
    response = api_client.post(
        API, {"from_agent": resigned.pk, "to_agent": world.agent.pk}, format="json"
    )
    assert response.status_code == 404
    api_client.force_authenticate(world.supervisor)
    response = api_client.post(
        API, {"from_agent": resigned.pk, "to_agent": world.agent.pk}, format="json"
    )
    assert response.status_code == 404
    api_client.force_authenticate(world.dept_manager)
    response = api_client.post(
        API, {"from_agent": resigned.pk, "to_agent": world.other_group_agent.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.data["prospect_cards"], response.data["recruit_cards"]) == (2, 1)
    assert "秘密客户" not in response.content.decode()
    assert api_client.get("/api/v1/activity/prospect-cards/").data["results"] == []
    assert len(api_client.get(API).data["results"]) == 1
    api_client.force_authenticate(world.outsider)
    assert api_client.get(API).data["results"] == []
    # The new owner (王五 has no login here) is the only one whose card list holds them.
    assert ProspectCard.objects.filter(agent=world.other_group_agent).count() == 2
    # A second handover finds nothing left.
    api_client.force_authenticate(world.dept_manager)
    response = api_client.post(
        API, {"from_agent": resigned.pk, "to_agent": world.agent.pk}, format="json"
    )
    assert response.status_code == 400


def test_supervisor_cannot_open_the_page(world, resigned, client):
    client.force_login(world.supervisor)
    assert client.get("/activity/handover/").status_code == 403
    client.force_login(world.agent_user)
    assert client.get("/activity/handover/").status_code == 403
