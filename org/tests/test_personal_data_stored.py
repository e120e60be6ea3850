"""Personal data stored protected (issue 11 §5): ID numbers, mobiles and card contacts are
encrypted at rest, history rows too; exact-match search goes through a keyed hash that every
write path keeps in step; reveal and masking work as before."""

import io

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from activity.models import ProspectCard, RecruitCard
from conftest import make_id_number
from core.fields import (
    ProtectedFieldsMixin,
    ProtectedQuerySet,
    check_protected_models,
    search_hash,
)
from core.masking import mask_mobile
from org.models import Agent, PersonalDataAccess
from org.services import agents as agent_services


def _raw(table, columns, where_column, value):
    quote = connection.ops.quote_name
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608 - fixed names
        ", ".join(quote(c) for c in columns), quote(table), quote(where_column)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        return cursor.fetchall()


def _text(rows):
    return repr(rows)


def test_the_agent_row_holds_no_clear_id_number_or_mobile(world):
    agent = world.agent
    rows = _raw(
        "org_agent", ["id_number", "mobile", "id_number_hash", "mobile_hash"], "id", agent.pk
    )
    assert len(rows) == 1
    id_number, mobile, id_hash, mobile_hash = rows[0]
    assert agent.id_number not in _text(rows) and agent.mobile not in _text(rows)
    assert agent.mobile[-8:] not in _text(rows)
    assert id_number.startswith("gAAAA") and mobile.startswith("gAAAA")  # Fernet tokens
    assert mobile_hash == search_hash(agent.mobile, Agent._meta.get_field("mobile_hash").normalize)
    assert len(id_hash) == 64
    fresh = Agent.objects.get(pk=agent.pk)
    assert (fresh.id_number, fresh.mobile) == (agent.id_number, agent.mobile)


def test_history_rows_hold_no_clear_value(world):
    old_mobile = world.agent.mobile
    new_id = make_id_number("19850505")
    agent_services.agent_update(
        acting_user=world.district_admin,
        agent=world.agent,
        id_number=new_id,
        mobile="13799998888",
    )
    rows = _raw("org_historicalagent", ["id_number", "mobile"], "id", world.agent.pk)
    assert len(rows) >= 2
    for value in (old_mobile, "13799998888", new_id, world.agent.id_number):
        assert value not in _text(rows)
    history = Agent.objects.get(pk=world.agent.pk).history.order_by("history_id")
    assert [h.mobile for h in history][-2:] == [old_mobile, "13799998888"]


def test_search_by_full_mobile_finds_the_agent_after_every_write_path(world, client):
    agent = world.agent
    # save(update_fields=...) through the service
    agent_services.agent_update(
        acting_user=world.district_admin, agent=agent, mobile="137 0000 1111"
    )
    assert list(Agent.objects.matching(mobile="13700001111")) == [agent]
    # QuerySet.update
    Agent.objects.filter(pk=agent.pk).update(mobile="13700002222")
    assert list(Agent.objects.matching(mobile="13700002222")) == [agent]
    assert not Agent.objects.matching(mobile="13700001111").exists()
    # bulk_update
    agent.refresh_from_db()
    agent.mobile = "13700003333"
    Agent.objects.bulk_update([agent], ["mobile"])
    assert list(Agent.objects.matching(mobile="13700003333")) == [agent]
    # bulk_create
    copy = Agent.objects.get(pk=world.colleague.pk)
    copy.pk, copy.code, copy.user = None, "BULK0001", None
    copy.mobile, copy.id_number = "13700004444", make_id_number("19770707")
    Agent.objects.bulk_create([copy])
    created = Agent.objects.get(code="BULK0001")
    assert list(Agent.objects.matching(mobile="13700004444")) == [created]
    assert list(Agent.objects.matching(id_number=created.id_number.lower())) == [created]
    # the list page and the API filter
    client.force_login(world.district_manager)
    html = client.get(reverse("org:agent_list"), {"q": "13700003333"}).content.decode()
    assert agent.code in html
    client.force_login(world.district_admin)
    data = client.get("/api/v1/agents/", {"q": "13700003333"}).json()
    assert [row["code"] for row in data["results"]] == [agent.code]
    assert "13700003333" not in repr(data)


def test_filtering_on_the_encrypted_column_is_refused(world):
    with pytest.raises(FieldError, match="stored encrypted"):
        list(Agent.objects.filter(mobile=world.agent.mobile))
    with pytest.raises(FieldError, match="stored encrypted"):
        list(Agent.objects.filter(id_number__contains="3301"))


def test_reveal_still_works_and_is_logged_for_allowed_roles(client, world):
    client.force_login(world.district_admin)
    response = client.post(
        reverse("org:agent_reveal", args=[world.agent.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert world.agent.id_number in html and world.agent.mobile in html
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.agent, log.purpose) == (world.district_admin, world.agent, "view")
    client.force_login(world.dept_manager)
    response = client.post(
        reverse("org:agent_reveal", args=[world.agent.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert PersonalDataAccess.objects.count() == 1


def test_the_history_page_hides_the_hash_columns(client, world):
    agent_services.agent_update(
        acting_user=world.district_admin, agent=world.agent, mobile="13600001111"
    )
    client.force_login(world.district_admin)
    html = client.get(reverse("org:agent_detail", args=[world.agent.pk])).content.decode()
    assert "13600001111" not in html
    assert mask_mobile("13600001111") in html
    assert search_hash("13600001111") not in html
    assert "mobile_hash" not in html and "mobile hash" not in html.lower()


def test_card_contacts_are_stored_encrypted(client, world):
    prospect = ProspectCard.objects.create(agent=world.agent, name="王先生", contact="13911112222")
    recruit = RecruitCard.objects.create(agent=world.agent, name="李女士", contact="13933334444")
    blank = ProspectCard.objects.create(agent=world.agent, name="无号码")
    for card, table in ((prospect, "activity_prospectcard"), (recruit, "activity_recruitcard")):
        rows = _raw(table, ["contact"], "id", card.pk)
        assert card.contact not in _text(rows)
        assert rows[0][0].startswith("gAAAA")
    assert _raw("activity_prospectcard", ["contact"], "id", blank.pk) == [("",)]
    client.force_login(world.agent_user)
    html = client.get(reverse("activity:cards", args=["prospects"])).content.decode()
    assert "13911112222" in html  # the owner sees their own customer's number


def test_rotate_field_keys_re_encrypts_with_the_new_key(settings, world):
    from cryptography.fernet import Fernet

    old_token = _raw("org_agent", ["mobile"], "id", world.agent.pk)[0][0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_field_keys", stdout=io.StringIO())
    new_token = _raw("org_agent", ["mobile"], "id", world.agent.pk)[0][0]
    assert new_token != old_token
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key dropped
    assert Agent.objects.get(pk=world.agent.pk).mobile == world.agent.mobile
    assert Agent.objects.get(pk=world.agent.pk).history.first().mobile == world.agent.mobile
    assert list(Agent.objects.matching(mobile=world.agent.mobile)) == [world.agent]


def test_models_with_search_hashes_keep_them_in_step_on_every_write_path():
    # The system check: hash source is protected, model and queryset carry the mixins.
    assert check_protected_models() == []
    assert isinstance(Agent.objects.all(), ProtectedQuerySet)
    assert issubclass(Agent, ProtectedFieldsMixin)


def test_full_export_by_a_searched_mobile_logs_it_masked(client, world):
    client.force_login(world.district_admin)
    response = client.get(reverse("org:agent_export"), {"full": "1", "q": world.agent.mobile})
    assert response.status_code == 200
    log = PersonalDataAccess.objects.get()
    assert world.agent.mobile not in log.detail
    assert world.agent.mobile[-4:] in log.detail
