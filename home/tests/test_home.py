"""The home page each role lands on, with the figures of its own world (spec §1, §10).

Worked numbers from the shared world: district A has 张三 and 李四 (group A1-1), 王五 (group
A1-2) and 赵六 (group A2-1) in service = 4; department A1 has 3 of them; group A1-1 has 2.
District B has 钱七 only; the branch has 5.
"""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_agent, make_user
from org.models import AgentStatus

HOME = reverse("home:index")


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def _figure(html, name) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', html).group(1))


def _by_unit(html) -> dict[str, int]:
    """Unit name → in-service count from the head-count-by-unit table."""
    table = html.split('id="headcount-by-unit"')[1].split("</table>")[0]
    rows = re.findall(
        r'<a href="/org/units/\d+/">([^<]+)</a></td><td class="text-end">(\d+)<', table
    )
    return {name: int(count) for name, count in rows}


def _all_agents(world):
    return [
        world.agent,
        world.colleague,
        world.other_group_agent,
        world.other_dept_agent,
        world.outside_agent,
    ]


def test_district_manager_sees_district_head_count_and_departments(client, world):
    html = _home(client, world.district_manager)
    assert _figure(html, "in_service") == 4
    assert _by_unit(html) == {"东一部": 3, "东二部": 1}


def test_dept_manager_sees_department_head_count_and_groups(client, world):
    html = _home(client, world.dept_manager)
    assert _figure(html, "in_service") == 3
    assert _by_unit(html) == {"东一部一组": 2, "东一部二组": 1}


def test_supervisor_sees_group_head_count(client, world):
    html = _home(client, world.supervisor)
    assert _figure(html, "in_service") == 2
    assert world.other_group_agent.name not in html


def test_outsider_sees_only_district_b(client, world):
    html = _home(client, world.outsider)
    assert _figure(html, "in_service") == 1
    assert _by_unit(html) == {"西一部": 1}
    assert "东一部" not in html


def test_marketing_sees_the_whole_branch(client, world):
    html = _home(client, world.marketing)
    assert _figure(html, "in_service") == 5
    by_unit = _by_unit(html)
    assert (by_unit["东区"], by_unit["西区"]) == (4, 1)


def test_resigned_agents_are_not_counted_in_service(client, world):
    make_agent(
        world.group_a2_1,
        world.rank_formal,
        status=AgentStatus.RESIGNED,
        resigned_on=date(2025, 1, 31),
    )
    html = _home(client, world.district_manager)
    assert _figure(html, "in_service") == 4
    assert _by_unit(html)["东二部"] == 1


def test_new_hire_today_adds_one_to_new_hires_this_month(client, world):
    before = _figure(_home(client, world.district_manager), "new_hires")
    hired = make_agent(
        world.group_a2_1,
        world.rank_probation,
        name="郑新",
        status=AgentStatus.PROBATION,
        hire_date=timezone.localdate(),
    )
    html = _home(client, world.district_manager)
    assert _figure(html, "new_hires") == before + 1
    assert _figure(html, "in_service") == 5
    recent = html.split('id="recent-hires"')[1].split("</ul>")[0]
    assert hired.name in recent


def test_new_hire_in_another_district_does_not_count(client, world):
    before = _figure(_home(client, world.district_manager), "new_hires")
    make_agent(world.group_b1_1, world.rank_probation, hire_date=timezone.localdate())
    assert _figure(_home(client, world.district_manager), "new_hires") == before


def test_agent_home_shows_own_record_and_no_other_agent(client, world):
    html = _home(client, world.agent_user)
    assert world.agent.code in html
    assert world.agent.name in html
    for other in _all_agents(world)[1:]:
        assert other.code not in html
        assert other.name not in html
    assert 'id="summary-cards"' not in html


def test_agent_home_counts_group_colleagues_and_recruits(client, world):
    client.force_login(world.agent_user)
    context = client.get(HOME).context
    # 李四 is both 张三's only colleague in group A1-1 and his only recruit
    assert (context["group_size"], context["recruit_count"]) == (1, 1)


def test_service_post_home_shows_no_agent_data(client, world):
    html = _home(client, world.service)
    for agent in _all_agents(world):
        assert agent.code not in html
        assert agent.name not in html
    assert 'id="summary-cards"' not in html
    assert 'id="headcount-by-unit"' not in html


def test_user_without_role_gets_a_plain_home(client, world):
    html = _home(client, make_user("nobody"))
    assert 'id="summary-cards"' not in html
    assert world.agent.code not in html


@pytest.mark.parametrize("who", ["district_manager", "dept_manager", "supervisor"])
def test_home_lists_the_users_roles(client, world, who):
    html = _home(client, getattr(world, who))
    roles = html.split('id="my-roles"')[1].split("</p>")[0]
    unit = {"district_manager": "东区", "dept_manager": "东一部", "supervisor": "东一部一组"}[who]
    assert unit in roles


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
