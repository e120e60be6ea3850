"""The assistant's bulk entry per group and date: one transaction, audited, scoped."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.models import LogState, WorkLog
from conftest import make_agent

MONDAY = date(2025, 3, 3)


def _url(world):
    return reverse("activity:bulk") + f"?group={world.group_a1_1.pk}&date={MONDAY}"


def _post(world, **cells):
    data = {"group": world.group_a1_1.pk, "date": MONDAY}
    data.update(cells)
    return data


def test_assistant_enters_the_groups_logs(client, world):
    WorkLog.objects.create(
        agent=world.colleague, date=MONDAY, state=LogState.RETURNED, first_visits=1
    )
    client.force_login(world.assistant)
    assert client.get(_url(world)).status_code == 200
    response = client.post(
        reverse("activity:bulk"),
        _post(
            world,
            **{
                f"a{world.agent.pk}-first_visits": "2",
                f"a{world.colleague.pk}-closing_visits": "1",
            },
        ),
    )
    assert response.status_code == 302
    mine = WorkLog.objects.get(agent=world.agent, date=MONDAY)
    assert (mine.first_visits, mine.points, mine.state) == (2, 6, LogState.SUBMITTED)
    theirs = WorkLog.objects.get(agent=world.colleague, date=MONDAY)
    assert (theirs.first_visits, theirs.closing_visits, theirs.points) == (0, 1, 5)
    assert theirs.state == LogState.SUBMITTED
    assert mine.history.get().history_user == world.assistant
    assert theirs.history.first().history_user == world.assistant


def test_a_bad_cell_writes_nothing(client, world):
    client.force_login(world.assistant)
    response = client.post(
        reverse("activity:bulk"),
        _post(
            world,
            **{
                f"a{world.agent.pk}-first_visits": "2",
                f"a{world.colleague.pk}-closing_visits": "x",
            },
        ),
    )
    assert response.status_code == 200
    assert "bulk-error" in response.content.decode()
    assert not WorkLog.objects.exists()


def test_supervisor_and_outsider_cannot_bulk_enter(client, world):
    client.force_login(world.supervisor)
    assert client.get(_url(world)).status_code == 403
    client.force_login(world.outsider)
    assert client.get(_url(world)).status_code == 404


def test_bulk_save_query_count_does_not_grow_with_agents(client, world):
    def count(agents):
        created = [make_agent(world.group_a1_1, world.rank_formal) for _ in range(agents)]
        client.force_login(world.assistant)
        cells = {f"a{a.pk}-first_visits": "1" for a in created}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(reverse("activity:bulk"), _post(world, **cells)).status_code == 302
        WorkLog.objects.all().delete()
        return len(queries)

    assert count(10) == count(30)
