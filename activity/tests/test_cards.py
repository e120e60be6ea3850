"""Card privacy: details for the owning agent only, at the page and the API; managers see counts."""

from django.urls import reverse

from activity.models import ProspectCard, ProspectStage, RecruitCard
from activity.selectors.cards import card_counts
from org.models import Agent

SECRET = "客户甲13900001111"


def _cards(world):
    ProspectCard.objects.create(agent=world.agent, name=SECRET, contact="13900001111")
    RecruitCard.objects.create(agent=world.agent, name="候选人乙", contact="13900002222")


def test_agent_adds_and_sees_own_cards(client, world):
    client.force_login(world.agent_user)
    url = reverse("activity:cards", args=["prospects"])
    response = client.post(url, {"name": "王先生", "source": "referral", "stage": "new"})
    assert response.status_code == 302
    assert ProspectCard.objects.get(name="王先生").agent == world.agent
    assert "王先生" in client.get(url).content.decode()


def test_nobody_else_sees_card_details_on_pages(client, world):
    _cards(world)
    card = ProspectCard.objects.get()
    for user in (world.supervisor, world.dept_manager, world.district_manager, world.admin):
        client.force_login(user)
        assert client.get(reverse("activity:cards", args=["prospects"])).status_code == 403
        edit = reverse("activity:card_edit", args=["prospects", card.pk])
        assert client.get(edit).status_code in (403, 404)
        counts = client.get(reverse("activity:card_counts"))
        assert counts.status_code == 200
        assert SECRET not in counts.content.decode()
        assert "13900001111" not in counts.content.decode()
    client.force_login(world.outsider)
    assert client.get(reverse("activity:card_edit", args=["prospects", card.pk])).status_code in (
        403,
        404,
    )


def test_nobody_else_sees_card_details_in_the_api(api_client, world):
    _cards(world)
    card = ProspectCard.objects.get()
    for user in (world.supervisor, world.dept_manager, world.district_manager, world.admin):
        api_client.force_authenticate(user)
        listed = api_client.get("/api/v1/activity/prospect-cards/")
        assert SECRET not in listed.content.decode()
        assert api_client.get(f"/api/v1/activity/prospect-cards/{card.pk}/").status_code in (
            403,
            404,
        )
        assert "候选人乙" not in api_client.get("/api/v1/activity/recruit-cards/").content.decode()
    api_client.force_authenticate(world.agent_user)
    assert api_client.get(f"/api/v1/activity/prospect-cards/{card.pk}/").data["name"] == SECRET


def test_managers_see_counts_per_agent_and_stage(api_client, world):
    for n in range(31):
        ProspectCard.objects.create(agent=world.agent, name=f"客户{n}")
    ProspectCard.objects.create(agent=world.agent, name="已签", stage=ProspectStage.CLOSED)
    data = card_counts(Agent.objects.filter(group=world.group_a1_1))
    assert data["kinds"]["prospects"]["counts"][world.agent.pk] == {"new": 31, "closed": 1}
    assert data["thresholds"] == [(30, 1), (60, 0), (100, 0)]
    api_client.force_authenticate(world.supervisor)
    response = api_client.get("/api/v1/activity/card-counts/")
    assert response.status_code == 200
    row = next(r for r in response.data["agents"] if r["agent"] == world.agent.pk)
    assert row["prospects"] == {"new": 31, "closed": 1}
    assert "客户" not in response.content.decode()
