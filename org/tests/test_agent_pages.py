"""The agent pages (spec §1): list search, filters, sorting, paging and their query counts;
creating and editing agents, transfers and rank changes through the forms; the recruitment tree."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_agent, make_id_number
from org.models import Agent, AgentRankChange, AgentStatus, AgentTransfer

LIST = reverse("org:agent_list")
ROW = re.compile(r'<td><a href="/org/agents/\d+/">([^<]+)</a></td>')


def _codes(response) -> list[str]:
    """Agent codes of the table rows, in page order (first link of each row is the code)."""
    assert response.status_code == 200
    return ROW.findall(response.content.decode())[::2]


def _listed(client, **params) -> list[str]:
    return _codes(client.get(LIST, params))


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_agents(world, n, **kwargs):
    groups = [world.group_a1_1, world.group_a1_2, world.group_a2_1]
    return [make_agent(groups[i % 3], world.rank_formal, **kwargs) for i in range(n)]


@pytest.fixture
def manager(client, world):
    client.force_login(world.district_manager)
    return client


# -- list: search, filters, ordering, pages -----------------------------------------------------


def test_search_by_name_finds_the_agent(manager, world):
    assert _listed(manager, q="张三") == [world.agent.code]


def test_search_by_part_of_name(manager, world):
    make_agent(world.group_a1_2, world.rank_formal, name="张三丰", code="Z0000001")
    assert set(_listed(manager, q="张三")) == {world.agent.code, "Z0000001"}


def test_search_by_code_prefix(manager, world):
    make_agent(world.group_a1_1, world.rank_formal, code="ZX1001")
    make_agent(world.group_a1_2, world.rank_formal, code="ZX1002")
    make_agent(world.group_a2_1, world.rank_formal, code="ZY2001")
    make_agent(world.group_a2_1, world.rank_formal, code="QZX1003")  # contains, doesn't start
    assert _listed(manager, q="zx") == ["ZX1001", "ZX1002"]


def test_search_by_full_mobile(manager, world):
    # Mobiles are stored encrypted (issue 11 §5): they match in full, through their keyed hash;
    # a fragment no longer does.
    Agent.objects.filter(pk=world.other_group_agent.pk).update(mobile="13912345678")
    assert _listed(manager, q="13912345678") == [world.other_group_agent.code]
    assert _listed(manager, q="139 1234 5678") == [world.other_group_agent.code]
    assert _listed(manager, q="2345") == []


def test_search_by_full_id_number(manager, world):
    id_number = world.other_group_agent.id_number
    assert _listed(manager, q=id_number) == [world.other_group_agent.code]
    assert _listed(manager, q=id_number.lower()) == [world.other_group_agent.code]


def test_search_does_not_reach_outside_scope(manager, world):
    assert _listed(manager, q="钱七") == []


def test_filter_by_unit(manager, world):
    assert _listed(manager, unit=world.dept_a2.pk) == [world.other_dept_agent.code]
    assert set(_listed(manager, unit=world.group_a1_1.pk)) == {
        world.agent.code,
        world.colleague.code,
    }


def test_filter_by_out_of_scope_unit_shows_nobody_from_it(manager, world):
    codes = _listed(manager, unit=world.district_b.pk)
    assert world.outside_agent.code not in codes


def test_filter_by_rank(manager, world):
    assert _listed(manager, rank=world.rank_probation.pk) == [world.colleague.code]


def test_filter_by_status(manager, world):
    gone = make_agent(
        world.group_a1_1,
        world.rank_formal,
        status=AgentStatus.RESIGNED,
        resigned_on=date(2025, 6, 30),
    )
    assert _listed(manager, status="resigned") == [gone.code]
    assert gone.code not in _listed(manager, status="formal")


def test_ordering_by_hire_date_descending(manager, world):
    late = make_agent(world.group_a1_1, world.rank_formal, hire_date=date(2025, 5, 1))
    early = make_agent(world.group_a1_1, world.rank_formal, hire_date=date(2020, 5, 1))
    codes = _listed(manager, ordering="-hire_date")
    assert codes[0] == late.code
    assert codes[-1] == early.code
    assert _listed(manager, ordering="hire_date")[0] == early.code


def test_default_order_is_by_code(manager, world):
    codes = _listed(manager)
    assert codes == sorted(codes)


def test_sixty_agents_make_two_pages(manager, world):
    _more_agents(world, 60)
    first = _listed(manager)
    second = _listed(manager, page=2)
    assert len(first) == 50
    assert len(second) == 64 - 50
    assert not set(first) & set(second)
    assert "page=2" in manager.get(LIST).content.decode()


def test_page_links_keep_the_filters(manager, world):
    _more_agents(world, 60)
    html = manager.get(LIST, {"status": "formal"}).content.decode()
    assert re.search(r"status=formal[^\"]*page=2|page=2[^\"]*status=formal", html)


# -- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params", [{}, {"q": "业务员", "status": "formal", "ordering": "-hire_date"}]
)
def test_agent_list_page_query_count_does_not_grow_with_agents(manager, world, params):
    _more_agents(world, 10)
    few = _queries(manager, LIST, params)
    _more_agents(world, 50)
    many = _queries(manager, LIST, params)
    assert few == many
    assert many <= 17  # +2 on a cold page: navigation figures read and stored


def test_agent_api_list_query_count_does_not_grow_with_agents(api_client, world):
    # a session login loads the user afresh per request, as for a real client
    api_client.force_login(world.district_manager)
    _more_agents(world, 10, recruiter=world.agent)
    few = _queries(api_client, "/api/v1/agents/")
    _more_agents(world, 50, recruiter=world.colleague)
    many = _queries(api_client, "/api/v1/agents/")
    assert few == many
    assert many <= 10


def test_home_page_query_count_does_not_grow_with_agents(manager, world):
    _more_agents(world, 10, hire_date=timezone.localdate())
    few = _queries(manager, reverse("home:index"))
    _more_agents(world, 50, hire_date=timezone.localdate())
    many = _queries(manager, reverse("home:index"))
    assert few == many
    assert many <= 20


def _recruits_under(world, recruiter, per_level):
    """`per_level` recruits under `recruiter`, each with one recruit, who has one recruit."""
    for child in _more_agents(world, per_level, recruiter=recruiter):
        for grandchild in _more_agents(world, 1, recruiter=child):
            _more_agents(world, 1, recruiter=grandchild)


def test_agent_detail_query_count_is_bounded_with_many_recruits(manager, world):
    url = world.agent.get_absolute_url()
    _recruits_under(world, world.agent, 1)
    few = _queries(manager, url)
    _recruits_under(world, world.agent, 30)
    many = _queries(manager, url)
    assert few == many
    assert many <= 24  # the page, plus the nav counts (cold: one query per 待办 provider)


# -- create, edit, transfer, rank change through the pages -------------------------------------


def _agent_post(world, **overrides):
    data = {
        "code": "B0000001",
        "name": "周九",
        "gender": "M",
        "id_number": make_id_number(),
        "mobile": "13711112222",
        "education": "bachelor",
        "hire_date": timezone.localdate().isoformat(),
        "group": world.group_a1_2.pk,
        "rank": world.rank_probation.pk,
        "status": "probation",
        "resigned_on": "",
        "practice_certificate_no": "",
        "practice_certificate_valid_until": "",
        "qualification_certificate_no": "",
        "deposit_paid": "500.00",
        "recruiter_code": world.agent.code,
    }
    data.update(overrides)
    return data


def test_assistant_creates_agent_through_the_page(client, world):
    client.force_login(world.assistant)
    assert client.get(reverse("org:agent_create")).status_code == 200
    response = client.post(reverse("org:agent_create"), _agent_post(world))
    agent = Agent.objects.get(code="B0000001")
    assert response.status_code == 302
    assert response.url == agent.get_absolute_url()
    assert agent.group == world.group_a1_2
    assert agent.recruiter == world.agent
    hired_rank = AgentRankChange.objects.get(agent=agent)
    assert (hired_rank.from_rank, hired_rank.to_rank, hired_rank.created_by) == (
        None,
        world.rank_probation,
        world.assistant,
    )
    hired_move = AgentTransfer.objects.get(agent=agent)
    assert (hired_move.from_group, hired_move.to_group, hired_move.effective_date) == (
        None,
        world.group_a1_2,
        agent.hire_date,
    )
    assert hired_rank.reason == hired_move.reason
    assert hired_rank.reason in {"Hired", "入司"}


def test_create_form_shows_service_errors_on_the_field(client, world):
    client.force_login(world.assistant)
    bad = make_id_number()
    bad = bad[:17] + ("0" if bad[-1] != "0" else "1")
    response = client.post(reverse("org:agent_create"), _agent_post(world, id_number=bad))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert not Agent.objects.filter(code="B0000001").exists()


def test_assistant_cannot_create_agent_in_another_department(client, world):
    client.force_login(world.assistant)
    response = client.post(
        reverse("org:agent_create"), _agent_post(world, group=world.group_a2_1.pk)
    )
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not Agent.objects.filter(code="B0000001").exists()


def test_supervisor_cannot_open_the_create_page(client, world):
    client.force_login(world.supervisor)
    assert client.get(reverse("org:agent_create")).status_code == 403


def _edit_post(agent, **overrides):
    data = {
        "name": agent.name,
        "gender": agent.gender,
        "id_number": "",
        "mobile": "",
        "education": agent.education,
        "hire_date": agent.hire_date.isoformat(),
        "status": agent.status,
        "resigned_on": "",
        "practice_certificate_no": "PC-001",
        "practice_certificate_valid_until": "",
        "qualification_certificate_no": "",
        "deposit_paid": str(agent.deposit_paid),
        "recruiter_code": "",
        "version": agent.version,
    }
    data.update(overrides)
    return data


def test_edit_page_keeps_id_number_and_mobile_when_left_blank(client, world):
    agent = world.agent
    client.force_login(world.district_admin)
    page = client.get(reverse("org:agent_edit", args=[agent.pk]))
    assert page.status_code == 200
    assert agent.id_number not in page.content.decode()
    response = client.post(reverse("org:agent_edit", args=[agent.pk]), _edit_post(agent))
    assert response.status_code == 302
    stored = Agent.objects.get(pk=agent.pk)
    assert stored.id_number == agent.id_number
    assert stored.mobile == agent.mobile
    assert stored.practice_certificate_no == "PC-001"


def test_edit_page_changes_the_id_number_when_given(client, world):
    new_id = make_id_number("19881212")
    client.force_login(world.district_admin)
    client.post(
        reverse("org:agent_edit", args=[world.agent.pk]), _edit_post(world.agent, id_number=new_id)
    )
    assert Agent.objects.get(pk=world.agent.pk).id_number == new_id


def test_edit_page_resigns_an_agent_with_date(client, world):
    client.force_login(world.dept_manager)
    response = client.post(
        reverse("org:agent_edit", args=[world.colleague.pk]),
        _edit_post(world.colleague, status="resigned", resigned_on="2025-06-30"),
    )
    assert response.status_code == 302
    stored = Agent.objects.get(pk=world.colleague.pk)
    assert (stored.status, stored.resigned_on) == ("resigned", date(2025, 6, 30))


def test_supervisor_cannot_edit(client, world):
    client.force_login(world.supervisor)
    assert client.get(reverse("org:agent_edit", args=[world.colleague.pk])).status_code == 403


def test_transfer_page_moves_the_agent(client, world):
    client.force_login(world.dept_manager)
    url = reverse("org:agent_transfer", args=[world.colleague.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "东一部二组" in page.content.decode()
    assert "东二部一组" not in page.content.decode()  # not the dept manager's to move into
    day = timezone.localdate()
    response = client.post(
        url, {"to_group": world.group_a1_2.pk, "effective_date": day.isoformat(), "reason": "调整"}
    )
    assert response.status_code == 302
    world.colleague.refresh_from_db()
    assert world.colleague.group == world.group_a1_2
    transfer = AgentTransfer.objects.get(agent=world.colleague)
    assert (transfer.from_group, transfer.effective_date, transfer.created_by) == (
        world.group_a1_1,
        day,
        world.dept_manager,
    )


def test_transfer_page_schedules_a_future_transfer_and_it_can_be_cancelled(client, world):
    """Issue 11 §4: a future date is no longer refused; the transfer is scheduled, shown as such
    on the agent page, and cancelled from there (who and when are kept)."""
    client.force_login(world.dept_manager)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("org:agent_transfer", args=[world.colleague.pk]),
        {"to_group": world.group_a1_2.pk, "effective_date": tomorrow.isoformat()},
    )
    assert response.status_code == 302
    world.colleague.refresh_from_db()
    assert world.colleague.group == world.group_a1_1  # not yet
    page = client.get(reverse("org:agent_detail", args=[world.colleague.pk]))
    transfer = world.colleague.transfers.get()
    cancel = reverse("org:agent_transfer_cancel", args=[world.colleague.pk, transfer.pk])
    assert "text-bg-info" in page.content.decode() and cancel in page.content.decode()
    assert client.post(cancel).status_code == 302
    transfer.refresh_from_db()
    assert transfer.cancelled_by == world.dept_manager and transfer.cancelled_at
    assert (
        cancel
        not in client.get(reverse("org:agent_detail", args=[world.colleague.pk])).content.decode()
    )


def test_rank_page_changes_the_rank(client, world):
    client.force_login(world.district_admin)
    url = reverse("org:agent_change_rank", args=[world.colleague.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate()
    response = client.post(
        url, {"to_rank": world.rank_formal.pk, "effective_date": day.isoformat(), "reason": "转正"}
    )
    assert response.status_code == 302
    world.colleague.refresh_from_db()
    assert world.colleague.rank == world.rank_formal
    change = AgentRankChange.objects.get(agent=world.colleague)
    assert (change.from_rank, change.to_rank, change.reason) == (
        world.rank_probation,
        world.rank_formal,
        "转正",
    )
    html = client.get(world.colleague.get_absolute_url()).content.decode()
    rank_history = html.split('id="rank-history"')[1].split("</table>")[0]
    assert "转正" in rank_history


# -- detail: recruitment tree ------------------------------------------------------------------


def _tree(client, agent) -> str:
    html = client.get(agent.get_absolute_url()).content.decode()
    return html.split('id="recruiter-tree"')[1].split('<div class="card mb-3">')[0]


def test_detail_shows_recruiter_chain(manager, world):
    grandchild = make_agent(
        world.group_a1_1, world.rank_probation, name="孙十", recruiter=world.colleague
    )
    tree = _tree(manager, grandchild)
    assert tree.index("张三") < tree.index("李四") < tree.index("孙十")


def test_detail_shows_recruits_two_levels_down(manager, world):
    make_agent(world.group_a1_1, world.rank_probation, name="孙十", recruiter=world.colleague)
    tree = _tree(manager, world.agent)
    assert "李四" in tree
    assert "孙十" in tree


def test_agent_without_recruiter_or_recruits(manager, world):
    tree = _tree(manager, world.other_dept_agent)
    assert "张三" not in tree
    assert "李四" not in tree
