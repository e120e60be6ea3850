"""The meeting archive: search filters, the share of planned meetings held, export, bounded
queries."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from meetings.models import MeetingLevel
from meetings.selectors import records as selectors
from meetings.tests.test_records_helpers import days_ago, give_feedback, make_entry, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_world(world):
    """东一部 planned 4 department meetings (plus one cancelled) and held 3 of them:
    two linked to their entry, one recorded on the planned date without the link; it also held
    one unplanned meeting. 东二部 planned 2 and held none. Total 3 / 6 = 50%."""
    d = [days_ago(n) for n in (10, 9, 8, 7, 6)]
    e = [
        make_entry(world.dept_a1, "department", day, topic=f"计划{n}", created_by=world.assistant)
        for n, day in enumerate(d[:4])
    ]
    make_entry(world.dept_a1, "department", d[4], created_by=world.assistant, cancelled=True)
    make_entry(world.dept_a2, "department", d[0], created_by=world.assistant)
    make_entry(world.dept_a2, "department", d[1], created_by=world.assistant)
    meetings = [
        make_meeting(
            world.dept_a1,
            "department",
            d[0],
            recorded_by=world.assistant,
            entry=e[0],
            topic="增员政策宣导",
            host=world.dept_manager,
        ),
        make_meeting(
            world.dept_a1,
            "department",
            d[1],
            recorded_by=world.assistant,
            entry=e[1],
            topic="开门红启动",
            host_name="王讲师",
        ),
        make_meeting(
            world.dept_a1,
            "department",
            d[2],
            recorded_by=world.assistant,
            topic="客户服务技巧",
            host_name="王讲师",
        ),
        make_meeting(
            world.dept_a1,
            "department",
            d[4],
            recorded_by=world.assistant,
            topic="临时会议",
            host_name="李主任",
        ),  # the planned one was cancelled
        make_meeting(
            world.group_a1_1,
            MeetingLevel.GROUP,
            d[0],
            recorded_by=world.supervisor,
            topic="二早：拜访计划",
            host=world.supervisor,
        ),
        make_meeting(
            world.dept_b1,
            "department",
            d[0],
            recorded_by=world.outsider,
            topic="增员西区",
            host_name="王讲师",
        ),
    ]
    return meetings


def _criteria(**kwargs):
    kwargs.setdefault("start", days_ago(30))
    kwargs.setdefault("end", days_ago(0))
    return selectors.ArchiveFilter(**kwargs)


def test_share_of_planned_meetings_held_hand_worked(world, archive_world):
    rows = selectors.share_held(world.district_manager, _criteria(level="department"))
    by_unit = {row["unit_id"]: row for row in rows}
    assert (by_unit[world.dept_a1.pk]["planned"], by_unit[world.dept_a1.pk]["held"]) == (4, 3)
    assert by_unit[world.dept_a1.pk]["share"] == 75.0
    assert (by_unit[world.dept_a2.pk]["planned"], by_unit[world.dept_a2.pk]["held"]) == (2, 0)
    assert by_unit[world.dept_a2.pk]["share"] == 0.0
    assert world.dept_b1.pk not in by_unit  # another district
    # a shorter period: only the first two planned days, both held
    two = selectors.share_held(
        world.district_manager, _criteria(start=days_ago(10), end=days_ago(9), unit=world.dept_a1)
    )
    assert [(row["planned"], row["held"]) for row in two] == [(2, 2)]


def test_archive_search_filters(world, archive_world):
    def topics(user=world.district_manager, **kwargs):
        return {m.topic for m in selectors.archive_search(user, _criteria(**kwargs))}

    assert topics() == {"增员政策宣导", "开门红启动", "客户服务技巧", "临时会议", "二早：拜访计划"}
    assert topics(unit=world.group_a1_1) == {"二早：拜访计划"}
    assert topics(level="group") == {"二早：拜访计划"}
    assert topics(speaker="王讲师") == {"开门红启动", "客户服务技巧"}
    assert topics(speaker=world.dept_manager.full_name) == {"增员政策宣导"}
    assert topics(topic="增员") == {"增员政策宣导"}
    assert topics(start=days_ago(8), end=days_ago(7)) == {"客户服务技巧"}
    assert topics(user=world.outsider) == {"增员西区"}
    assert topics(user=world.agent_user) == topics() - set()  # own group, department
    assert topics(user=world.supervisor) == {"二早：拜访计划"}


def test_archive_page_and_export(client, world, archive_world):
    give_feedback(archive_world[0], world.agent_user, traits=["well_prepared"])
    client.force_login(world.district_manager)
    url = reverse("meetings:archive")
    response = client.get(url, {"speaker": "王讲师", "start": days_ago(30).isoformat()})
    assert response.status_code == 200
    assert [m.topic for m in response.context["page"]] == ["客户服务技巧", "开门红启动"]
    assert response.context["total"] == {"planned": 6, "held": 3, "share": 50.0}
    export = client.get(reverse("meetings:archive_export"), {"topic": "增员"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][3] == "增员政策宣导" and rows[1][10] == 1 and rows[1][11] == 1.0
    client.force_login(world.outsider)
    response = client.get(url, {"start": days_ago(30).isoformat()})
    assert [m.topic for m in response.context["page"]] == ["增员西区"]
    assert response.context["shares"] == []


def test_archive_query_count_does_not_grow_with_rows(
    client, world, archive_world, django_assert_max_num_queries
):
    client.force_login(world.district_manager)
    url = reverse("meetings:archive")
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for n in range(20):
        day = days_ago(40 + n)
        entry = make_entry(world.dept_a2, "department", day, created_by=world.assistant)
        meeting = make_meeting(
            world.dept_a2, "department", day, recorded_by=world.assistant, entry=entry
        )
        give_feedback(meeting, world.agent_user, traits=["fluent"])
    with django_assert_max_num_queries(len(first)):
        response = client.get(url, {"start": days_ago(90).isoformat()})
    assert len(response.context["page"]) == 25


def test_default_period_is_the_last_three_months():
    start, end = selectors.default_period(days_ago(0))
    assert end == days_ago(0) and start.day == 1
    assert (end - start) < timedelta(days=93)
