"""Agent and unit changes through org.services (spec §1, §10): validation, transfers, rank
changes, closing and renaming units, and the masking and logged reveal of personal data."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_agent, make_id_number, make_mobile
from core.history import history_rows
from core.masking import mask_id_number, mask_mobile
from org.models import (
    Agent,
    AgentPlacement,
    AgentRankChange,
    AgentStatus,
    AgentTransfer,
    PersonalDataAccess,
    Unit,
    UnitKind,
)
from org.services import agents as agent_services
from org.services import placements
from org.services import units as unit_services


@pytest.fixture(autouse=True)
def english():
    # Messages are compared in English whether or not the Chinese catalogue is compiled.
    with translation.override("en"):
        yield


def _new_agent_fields(**overrides):
    fields = {
        "code": "N0000001",
        "name": "孙八",
        "gender": "M",
        "id_number": make_id_number(),
        "mobile": make_mobile(),
        "education": "bachelor",
        "hire_date": date(2025, 1, 6),
        "status": AgentStatus.PROBATION,
    }
    fields.update(overrides)
    return fields


def _create(world, **overrides):
    return agent_services.agent_create(
        acting_user=world.district_admin,
        group=world.group_a1_1,
        rank=world.rank_probation,
        **_new_agent_fields(**overrides),
    )


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# -- agent_create / agent_update validation ----------------------------------------------------


def test_valid_agent_is_created_with_hire_rows(world):
    agent = _create(world)
    assert Agent.objects.filter(code="N0000001", group=world.group_a1_1).exists()
    assert agent.rank_changes.get().from_rank is None
    assert agent.transfers.get().to_group == world.group_a1_1


def test_bad_id_check_code_is_refused_on_id_number(world):
    good = make_id_number()
    bad_last = "0" if good[-1] != "0" else "1"
    with pytest.raises(ValidationError) as excinfo:
        _create(world, id_number=good[:17] + bad_last)
    assert _errors(excinfo)["id_number"] == ["The check code (last character) is wrong."]
    assert not Agent.objects.filter(code="N0000001").exists()


def test_id_number_of_wrong_shape_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        _create(world, id_number="33010619900101")
    assert _errors(excinfo)["id_number"] == ["Must be 18 characters: 17 digits and a digit or X."]


def test_lowercase_x_check_code_is_accepted_and_stored_upper(world):
    # find a serial whose check code is X
    for serial in range(1000):
        first17 = f"33010619900101{serial:03d}"
        if agent_services.id_number_check_code(first17) == "X":
            break
    agent = _create(world, id_number=first17 + "x")
    agent.refresh_from_db()
    assert agent.id_number == first17 + "X"


def test_bad_mobile_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        _create(world, mobile="12345")
    assert _errors(excinfo)["mobile"] == ["Must be an 11-digit mobile number starting with 1."]


def test_mobile_with_spaces_and_dashes_is_normalised(world):
    agent = _create(world, mobile="139-1234 5678")
    agent.refresh_from_db()
    assert agent.mobile == "13912345678"


def test_resigned_without_date_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        _create(world, status=AgentStatus.RESIGNED)
    assert _errors(excinfo)["resigned_on"] == ["A resigned agent needs a resignation date."]


def test_resignation_date_on_agent_in_service_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        _create(world, resigned_on=date(2025, 3, 1))
    assert "resigned_on" in _errors(excinfo)


def test_duplicate_agent_code_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        _create(world, code=world.agent.code)
    assert "code" in _errors(excinfo)
    assert Agent.objects.filter(code=world.agent.code).count() == 1


def test_agent_in_a_department_not_a_group_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        agent_services.agent_create(
            acting_user=world.district_admin,
            group=world.dept_a1,
            rank=world.rank_probation,
            **_new_agent_fields(),
        )
    assert "group" in _errors(excinfo)


def test_create_outside_editable_scope_is_forbidden(world):
    with pytest.raises(PermissionDenied):
        agent_services.agent_create(
            acting_user=world.dept_manager,
            group=world.group_a2_1,
            rank=world.rank_probation,
            **_new_agent_fields(),
        )
    with pytest.raises(PermissionDenied):
        agent_services.agent_create(
            acting_user=world.supervisor,
            group=world.group_a1_1,
            rank=world.rank_probation,
            **_new_agent_fields(),
        )
    assert not Agent.objects.filter(code="N0000001").exists()


def test_recruiter_loop_is_refused_on_update(world):
    # 张三 recruited 李四; making 李四 recruit 张三 would close a loop.
    with pytest.raises(ValidationError) as excinfo:
        agent_services.agent_update(
            acting_user=world.district_admin, agent=world.agent, recruiter=world.colleague
        )
    assert _errors(excinfo)["recruiter"] == ["This would make a loop in the recruitment tree."]
    world.agent.refresh_from_db()
    assert world.agent.recruiter_id is None


def test_own_recruiter_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        agent_services.agent_update(
            acting_user=world.district_admin, agent=world.agent, recruiter=world.agent
        )
    assert "recruiter" in _errors(excinfo)


def test_group_and_rank_cannot_be_edited_directly(world):
    with pytest.raises(ValidationError):
        agent_services.agent_update(
            acting_user=world.district_admin, agent=world.agent, group=world.group_a1_2
        )
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a1_1


# -- transfer ----------------------------------------------------------------------------------


def test_transfer_records_row_moves_agent_and_shows_in_history(world):
    day = timezone.localdate()
    transfer = agent_services.agent_transfer(
        acting_user=world.district_admin,
        agent=world.agent,
        to_group=world.group_a2_1,
        effective_date=day,
        reason="支援二部",
    )
    stored = AgentTransfer.objects.get(pk=transfer.pk)
    assert (stored.from_group, stored.to_group, stored.effective_date, stored.created_by) == (
        world.group_a1_1,
        world.group_a2_1,
        day,
        world.district_admin,
    )
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a2_1
    latest = history_rows(world.agent)[0]
    assert latest["who"] == world.district_admin
    assert latest["reason"] == "支援二部"
    assert {"field": "group", "old": "东一部一组", "new": "东二部一组"} in [
        {k: str(v) for k, v in change.items()} for change in latest["changes"]
    ]


def _transfer_error(world, agent=None, **kwargs):
    params = {"to_group": world.group_a1_2, "effective_date": timezone.localdate()}
    params.update(kwargs)
    with pytest.raises(ValidationError) as excinfo:
        agent_services.agent_transfer(
            acting_user=world.district_admin, agent=agent or world.agent, **params
        )
    return _errors(excinfo)


def test_transfer_with_future_effective_date_is_scheduled(world):
    """Issue 11 §4 (was: refused). Recorded now, placed from its date, applied on its date."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    transfer = agent_services.agent_transfer(
        acting_user=world.district_admin,
        agent=world.agent,
        to_group=world.group_a1_2,
        effective_date=tomorrow,
    )
    assert transfer.is_scheduled and transfer.from_group == world.group_a1_1
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a1_1
    assert list(
        AgentPlacement.objects.filter(agent=world.agent).values_list(
            "group_id", "valid_from", "valid_to"
        )
    ) == [
        (world.group_a1_1.pk, world.agent.hire_date, tomorrow),
        (world.group_a1_2.pk, tomorrow, None),
    ]
    assert Agent.objects.in_unit_on(world.group_a1_2, tomorrow).filter(pk=world.agent.pk).exists()
    assert placements.apply_due(timezone.localdate()) == []
    assert [a.pk for a in placements.apply_due(tomorrow)] == [world.agent.pk]
    assert placements.apply_due(tomorrow) == []  # idempotent
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a1_2
    assert history_rows(world.agent)[0]["reason"] == "Scheduled change took effect"


def test_transfer_dated_before_the_latest_transfer_is_refused(world):
    later = timezone.localdate() + timedelta(days=10)
    agent_services.agent_transfer(
        acting_user=world.district_admin,
        agent=world.agent,
        to_group=world.group_a1_2,
        effective_date=later,
    )
    errors = _transfer_error(world, to_group=world.group_a2_1)
    assert "before the latest change" in errors["effective_date"][0]
    # the next transfer starts from the scheduled group
    assert "already in" in _transfer_error(world, effective_date=later)["to_group"][0]


def test_scheduled_transfer_cancel_is_audited_and_forgotten_by_the_history(world):
    later = timezone.localdate() + timedelta(days=3)
    transfer = agent_services.agent_transfer(
        acting_user=world.district_admin,
        agent=world.agent,
        to_group=world.group_a1_2,
        effective_date=later,
    )
    agent_services.agent_change_cancel(acting_user=world.district_admin, change=transfer)
    transfer.refresh_from_db()
    assert transfer.is_cancelled and transfer.cancelled_by == world.district_admin
    assert list(
        AgentPlacement.objects.filter(agent=world.agent).values_list("group_id", "valid_to")
    ) == [(world.group_a1_1.pk, None)]
    with pytest.raises(ValidationError):  # twice
        agent_services.agent_change_cancel(acting_user=world.district_admin, change=transfer)
    past = agent_services.agent_transfer(
        acting_user=world.district_admin,
        agent=world.agent,
        to_group=world.group_a1_2,
        effective_date=timezone.localdate(),
    )
    with pytest.raises(ValidationError):  # in effect already
        agent_services.agent_change_cancel(acting_user=world.district_admin, change=past)


def test_transfer_dated_before_hire_is_refused(world):
    errors = _transfer_error(world, effective_date=world.agent.hire_date - timedelta(days=1))
    assert "effective_date" in errors
    assert "before the hire date" in errors["effective_date"][0]


def test_transfer_to_the_same_group_is_refused(world):
    errors = _transfer_error(world, to_group=world.group_a1_1)
    assert errors["to_group"] == ["The agent is already in 东一部一组."]


def test_transfer_to_a_department_is_refused(world):
    assert "to_group" in _transfer_error(world, to_group=world.dept_a2)


def test_transfer_of_resigned_agent_is_refused(world):
    gone = make_agent(
        world.group_a1_1,
        world.rank_formal,
        status=AgentStatus.RESIGNED,
        resigned_on=date(2025, 6, 30),
    )
    errors = _transfer_error(world, agent=gone)
    assert errors["agent"] == ["A resigned agent cannot be transferred."]
    gone.refresh_from_db()
    assert gone.group == world.group_a1_1


def test_dept_manager_cannot_transfer_out_of_their_department(world):
    with pytest.raises(ValidationError) as excinfo:
        agent_services.agent_transfer(
            acting_user=world.dept_manager,
            agent=world.agent,
            to_group=world.group_a2_1,
            effective_date=timezone.localdate(),
        )
    assert "to_group" in _errors(excinfo)
    world.agent.refresh_from_db()
    assert world.agent.group == world.group_a1_1


# -- rank change -------------------------------------------------------------------------------


def test_rank_change_records_row_changes_rank_and_shows_in_history(world):
    day = timezone.localdate()
    change = agent_services.agent_change_rank(
        acting_user=world.dept_manager,
        agent=world.colleague,
        to_rank=world.rank_formal,
        effective_date=day,
        reason="转正",
    )
    stored = AgentRankChange.objects.get(pk=change.pk)
    assert (stored.from_rank, stored.to_rank, stored.effective_date, stored.created_by) == (
        world.rank_probation,
        world.rank_formal,
        day,
        world.dept_manager,
    )
    world.colleague.refresh_from_db()
    assert world.colleague.rank == world.rank_formal
    latest = history_rows(world.colleague)[0]
    assert latest["who"] == world.dept_manager
    assert {"field": "rank", "old": "试用业务员", "new": "正式业务员"} in [
        {k: str(v) for k, v in c.items()} for c in latest["changes"]
    ]


def _rank_error(world, agent=None, **kwargs):
    params = {"to_rank": world.rank_supervisor, "effective_date": timezone.localdate()}
    params.update(kwargs)
    with pytest.raises(ValidationError) as excinfo:
        agent_services.agent_change_rank(
            acting_user=world.district_admin, agent=agent or world.agent, **params
        )
    return _errors(excinfo)


def test_rank_change_with_future_date_is_scheduled(world):
    """Issue 11 §4 (was: refused): a promotion on the 1st of next month is scheduled."""
    today = timezone.localdate()
    first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    change = agent_services.agent_change_rank(
        acting_user=world.district_admin,
        agent=world.agent,
        to_rank=world.rank_supervisor,
        effective_date=first,
    )
    assert change.is_scheduled
    world.agent.refresh_from_db()
    assert world.agent.rank == world.rank_formal
    assert placements.placement_on(world.agent, first).rank == world.rank_supervisor
    assert placements.placement_on(world.agent, today).rank == world.rank_formal
    placements.apply_due(first)
    world.agent.refresh_from_db()
    assert world.agent.rank == world.rank_supervisor


def test_rank_change_dated_before_hire_is_refused(world):
    errors = _rank_error(world, effective_date=date(2024, 2, 29))
    assert "before the hire date" in errors["effective_date"][0]


def test_rank_change_to_the_same_rank_is_refused(world):
    errors = _rank_error(world, to_rank=world.rank_formal)
    assert errors["to_rank"] == ["The agent already holds the rank 正式业务员."]


def test_rank_change_of_resigned_agent_is_refused(world):
    gone = make_agent(
        world.group_a1_1,
        world.rank_formal,
        status=AgentStatus.RESIGNED,
        resigned_on=date(2025, 6, 30),
    )
    errors = _rank_error(world, agent=gone)
    assert errors["agent"] == ["A resigned agent's rank cannot change."]


def test_supervisor_cannot_change_rank(world):
    with pytest.raises(PermissionDenied):
        agent_services.agent_change_rank(
            acting_user=world.supervisor,
            agent=world.colleague,
            to_rank=world.rank_formal,
            effective_date=timezone.localdate(),
        )


# -- units -------------------------------------------------------------------------------------


def test_group_with_agents_in_service_cannot_close(world):
    with pytest.raises(ValidationError) as excinfo:
        unit_services.unit_close(acting_user=world.district_admin, unit=world.group_a1_1)
    assert excinfo.value.messages == ["Transfer the agents of 东一部一组 to another group first."]
    world.group_a1_1.refresh_from_db()
    assert world.group_a1_1.closed_on is None


def test_department_with_open_groups_cannot_close(world):
    with pytest.raises(ValidationError) as excinfo:
        unit_services.unit_close(acting_user=world.district_admin, unit=world.dept_a1)
    assert excinfo.value.messages == ["Close or move the open units under 东一部 first."]


def test_empty_group_closes_and_stays_in_the_tree(client, world):
    group = unit_services.unit_create(
        acting_user=world.district_admin,
        parent=world.dept_a2,
        kind=UnitKind.GROUP,
        name="东二部二组",
        code="DA-2-2",
        opened_on=date(2024, 1, 2),
    )
    # a resigned agent does not keep a group open
    make_agent(group, world.rank_formal, status=AgentStatus.RESIGNED, resigned_on=date(2025, 1, 31))
    unit_services.unit_close(
        acting_user=world.district_admin, unit=group, closed_on=date(2025, 9, 30)
    )
    group = Unit.objects.get(pk=group.pk)
    assert group.closed_on == date(2025, 9, 30)
    assert not group.is_open

    client.force_login(world.district_admin)
    assert "东二部二组" not in client.get(reverse("org:unit_list")).content.decode()
    html = client.get(reverse("org:unit_list"), {"closed": "1"}).content.decode()
    assert "东二部二组" in html
    assert "2025-09-30" in html


def test_closing_a_closed_unit_is_refused(world):
    group = unit_services.unit_create(
        acting_user=world.district_admin,
        parent=world.dept_a2,
        kind=UnitKind.GROUP,
        name="东二部二组",
        code="DA-2-2",
    )
    unit_services.unit_close(acting_user=world.district_admin, unit=group)
    with pytest.raises(ValidationError):
        unit_services.unit_close(acting_user=world.district_admin, unit=group)


def test_unit_cannot_be_closed_with_a_future_date(world):
    group = unit_services.unit_create(
        acting_user=world.district_admin,
        parent=world.dept_a2,
        kind=UnitKind.GROUP,
        name="东二部二组",
        code="DA-2-2",
    )
    with pytest.raises(ValidationError) as excinfo:
        unit_services.unit_close(
            acting_user=world.district_admin,
            unit=group,
            closed_on=timezone.localdate() + timedelta(days=30),
        )
    assert "closed_on" in _errors(excinfo)
    group.refresh_from_db()
    assert group.is_open


def test_dept_manager_cannot_close_units(world):
    with pytest.raises(PermissionDenied):
        unit_services.unit_close(acting_user=world.dept_manager, unit=world.group_a1_2)


def test_unit_rename_records_before_and_after_with_who(world):
    unit_services.unit_rename(
        acting_user=world.district_manager, unit=world.dept_a2, name=" 东区二部 "
    )
    world.dept_a2.refresh_from_db()
    assert world.dept_a2.name == "东区二部"
    latest = history_rows(world.dept_a2)[0]
    assert latest["who"] == world.district_manager
    assert [{k: str(v) for k, v in c.items()} for c in latest["changes"]] == [
        {"field": "name", "old": "东二部", "new": "东区二部"}
    ]


def test_unit_rename_to_blank_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        unit_services.unit_rename(acting_user=world.district_manager, unit=world.dept_a2, name="  ")
    assert "name" in _errors(excinfo)


def test_unit_of_wrong_kind_under_parent_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        unit_services.unit_create(
            acting_user=world.district_admin,
            parent=world.dept_a2,
            kind=UnitKind.DEPARTMENT,
            name="错层",
            code="BAD",
        )
    assert "kind" in _errors(excinfo)


# -- masking and reveal ------------------------------------------------------------------------


def test_id_number_is_masked_to_region_and_last_four():
    assert mask_id_number("110101199001011234") == "110***********1234"


def test_mobile_is_masked_to_prefix_and_last_four():
    assert mask_mobile("13812345678") == "138****5678"


def test_masking_empty_values_gives_empty():
    assert mask_id_number("") == ""
    assert mask_mobile("") == ""


def test_district_admin_reveal_returns_full_values_and_logs_once(world):
    data = agent_services.personal_data_reveal(acting_user=world.district_admin, agent=world.agent)
    assert data == {"id_number": world.agent.id_number, "mobile": world.agent.mobile}
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.agent, log.purpose) == (
        world.district_admin,
        world.agent,
        PersonalDataAccess.Purpose.VIEW,
    )
    agent_services.personal_data_reveal(acting_user=world.district_admin, agent=world.agent)
    assert PersonalDataAccess.objects.count() == 2


def test_dept_manager_reveal_is_denied_and_not_logged(world):
    with pytest.raises(PermissionDenied):
        agent_services.personal_data_reveal(acting_user=world.dept_manager, agent=world.agent)
    assert not PersonalDataAccess.objects.exists()


def test_district_admin_cannot_reveal_outside_their_district(world):
    with pytest.raises(PermissionDenied):
        agent_services.personal_data_reveal(
            acting_user=world.district_admin, agent=world.outside_agent
        )
    assert not PersonalDataAccess.objects.exists()


def test_agent_may_reveal_their_own_data_but_not_a_colleagues(world):
    data = agent_services.personal_data_reveal(acting_user=world.agent_user, agent=world.agent)
    assert data["id_number"] == world.agent.id_number
    assert PersonalDataAccess.objects.filter(user=world.agent_user).count() == 1
    with pytest.raises(PermissionDenied):
        agent_services.personal_data_reveal(acting_user=world.agent_user, agent=world.colleague)


ROLES_SEEING_AGENT = [
    "admin",
    "marketing",
    "district_manager",
    "district_admin",
    "trainer",
    "dept_manager",
    "assistant",
    "supervisor",
    "agent_user",
]


@pytest.mark.parametrize("who", ROLES_SEEING_AGENT)
def test_detail_page_and_api_never_show_full_personal_data(client, api_client, world, who):
    user = getattr(world, who)
    full_id, full_mobile = world.agent.id_number, world.agent.mobile
    client.force_login(user)
    response = client.get(reverse("org:agent_detail", args=[world.agent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.agent.id_number_masked in html
    assert full_id not in html
    assert full_mobile not in html

    api_client.force_authenticate(user)
    for url in (
        f"/api/v1/agents/{world.agent.pk}/",
        "/api/v1/agents/",
        f"/api/v1/agents/{world.agent.pk}/history/",
    ):
        body = api_client.get(url).content.decode()
        assert full_id not in body, url
        assert full_mobile not in body, url
    assert not PersonalDataAccess.objects.exists()


def test_history_of_an_id_number_change_stays_masked(client, world):
    old_id = world.agent.id_number
    new_id = make_id_number("19850505")
    agent_services.agent_update(
        acting_user=world.district_admin, agent=world.agent, id_number=new_id
    )
    client.force_login(world.district_admin)
    html = client.get(reverse("org:agent_detail", args=[world.agent.pk])).content.decode()
    assert old_id not in html
    assert new_id not in html
    assert mask_id_number(new_id) in html


def test_reveal_endpoint_gives_full_values_to_district_admin(client, world):
    client.force_login(world.district_admin)
    response = client.post(
        reverse("org:agent_reveal", args=[world.agent.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert world.agent.id_number in response.content.decode()
    assert (
        PersonalDataAccess.objects.filter(user=world.district_admin, agent=world.agent).count() == 1
    )


def test_reveal_endpoint_is_forbidden_to_dept_manager(client, world):
    client.force_login(world.dept_manager)
    response = client.post(
        reverse("org:agent_reveal", args=[world.agent.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert world.agent.id_number not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_reveal_endpoint_refuses_get(client, world):
    client.force_login(world.district_admin)
    assert client.get(reverse("org:agent_reveal", args=[world.agent.pk])).status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_personal_data_api_for_district_admin_and_dept_manager(api_client, world):
    url = f"/api/v1/agents/{world.agent.pk}/personal-data/"
    api_client.force_authenticate(world.district_admin)
    response = api_client.get(url)
    assert response.status_code == 200
    assert response.json() == {"id_number": world.agent.id_number, "mobile": world.agent.mobile}
    assert PersonalDataAccess.objects.count() == 1

    api_client.force_authenticate(world.dept_manager)
    response = api_client.get(url)
    assert response.status_code == 403
    assert world.agent.id_number not in response.content.decode()
    assert PersonalDataAccess.objects.count() == 1


def test_detail_page_offers_reveal_button_only_to_those_allowed(client, world):
    reveal_url = reverse("org:agent_reveal", args=[world.agent.pk])
    client.force_login(world.district_admin)
    assert reveal_url in client.get(world.agent.get_absolute_url()).content.decode()
    client.force_login(world.dept_manager)
    assert reveal_url not in client.get(world.agent.get_absolute_url()).content.decode()


def test_resigned_agent_stays_correctable_after_their_group_closed(world):
    group = unit_services.unit_create(
        acting_user=world.district_admin,
        parent=world.dept_a2,
        kind=UnitKind.GROUP,
        name="东二部三组",
        code="DA-2-3",
        opened_on=date(2024, 1, 2),
    )
    agent = make_agent(
        group, world.rank_formal, status=AgentStatus.RESIGNED, resigned_on=date(2025, 1, 31)
    )
    unit_services.unit_close(
        acting_user=world.district_admin, unit=group, closed_on=date(2025, 9, 30)
    )
    agent_services.agent_update(acting_user=world.district_admin, agent=agent, name="改正的姓名")
    agent.refresh_from_db()
    assert agent.name == "改正的姓名"
    with pytest.raises(ValidationError):
        agent_services.agent_update(
            acting_user=world.district_admin, agent=agent, status="formal", resigned_on=None
        )
