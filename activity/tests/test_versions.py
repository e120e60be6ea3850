"""No lost updates on activity records (issue 20): cards, the scorecard, work logs and the weekly
check carry the version an edit was based on. Two saves from the same version: the second is
refused (page: the conflict and what the other person changed, nothing of it saved; API: 409
with the current version), and a normal save moves the version on."""

from datetime import date

from django.test import Client
from django.urls import reverse

from activity.models import ProspectCard, RecruitCard, Scorecard, WeeklyCheck, WorkLog
from activity.services.handover import cards_hand_over
from activity.services.logs import worklog_bulk_save, worklog_save
from activity.services.weekly_checks import weekly_check_save

MONDAY = date(2025, 3, 3)


def _opened(user, url):
    """A browser that opened the page: its client and the version its form carries."""
    browser = Client()
    browser.force_login(user)
    page = browser.get(url)
    assert page.status_code == 200
    return browser, page.context["form"]["version"].value()


def _refused(response, *fields):
    """The stale page: the user's input kept, the other person's changes listed by field."""
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_stale and form.non_field_errors()
    assert [str(change["field"]) for change in form.stale_changes] == [str(f) for f in fields]
    return form


def _label(model, name):
    return model._meta.get_field(name).verbose_name


# -- prospect and recruitment cards ---------------------------------------------------------------


def _card(world, model=ProspectCard):
    return model.objects.create(agent=world.agent, name="王先生", contact="13900001111")


def test_second_card_save_on_the_same_version_is_refused(world):
    card = _card(world)
    url = reverse("activity:card_edit", args=["prospects", card.pk])
    post = {"name": "王先生", "contact": "13900001111", "source": "relatives", "stage": "new"}
    phone, base = _opened(world.agent_user, url)
    laptop, _same = _opened(world.agent_user, url)

    assert phone.post(url, {**post, "notes": "周三见面", "version": base}).status_code == 302
    assert ProspectCard.objects.get(pk=card.pk).version == base + 1
    refused = laptop.post(url, {**post, "stage": "contacted", "version": base})

    form = _refused(refused, _label(ProspectCard, "notes"))
    assert "周三见面" in refused.content.decode()
    assert form["stage"].value() == "contacted"  # the user's input stays
    card.refresh_from_db()
    assert (card.notes, card.stage) == ("周三见面", "new")  # nothing of the second saved
    assert form["version"].value() == card.version
    # saving again on the page now is a deliberate overwrite
    again = laptop.post(url, {**post, "notes": "周三见面", "stage": "contacted", "version": 2})
    assert again.status_code == 302
    assert ProspectCard.objects.get(pk=card.pk).stage == "contacted"


def test_stale_card_update_in_the_api_answers_409(api_client, world):
    card = _card(world)
    api_client.force_authenticate(world.agent_user)
    url = f"/api/v1/activity/prospect-cards/{card.pk}/"
    etag = api_client.get(url)["ETag"]
    assert etag == '"1"'
    ok = api_client.patch(url, {"notes": "周三见面"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert (ok.json()["version"], ok["ETag"]) == (2, '"2"')

    stale = api_client.patch(url, {"stage": "contacted"}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    assert stale.json()["current"]["notes"] == "周三见面"
    assert ProspectCard.objects.get(pk=card.pk).stage == "new"


def test_stale_recruit_card_put_with_a_version_field_answers_409(api_client, world):
    card = _card(world, RecruitCard)
    api_client.force_authenticate(world.agent_user)
    url = f"/api/v1/activity/recruit-cards/{card.pk}/"
    body = {"name": "王先生", "stage": "talked", "version": 1}
    assert api_client.put(url, body, format="json").status_code == 200
    stale = api_client.put(url, {**body, "stage": "dropped"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["stage"] == "talked"


# -- the scorecard --------------------------------------------------------------------------------

SCORES = {
    "new_prospect": 1,
    "first_visit": 3,
    "follow_up_visit": 2,
    "closing_visit": 5,
    "service_visit": 1,
    "recruiting_talk": 3,
    "policy_closed": 10,
    "weekly_target": 100,
}


def test_second_scorecard_save_on_the_same_version_is_refused(world):
    Scorecard.objects.create(district=world.district_a)
    url = reverse("activity:scorecard")
    first, base = _opened(world.district_admin, url)
    second, _same = _opened(world.district_manager, url)

    assert first.post(url, {**SCORES, "weekly_target": 120, "version": base}).status_code == 302
    refused = second.post(url, {**SCORES, "first_visit": 4, "version": base})

    _refused(refused, _label(Scorecard, "weekly_target"))
    scorecard = Scorecard.objects.get(district=world.district_a)
    assert (scorecard.weekly_target, scorecard.first_visit, scorecard.version) == (120, 3, 2)


def test_scorecard_saved_while_the_page_showed_the_defaults_is_not_overwritten(world):
    url = reverse("activity:scorecard")
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(world.district_admin)
        assert browser.get(url).context["form"]["version"].value() == 0  # no scorecard yet
    assert first.post(url, {**SCORES, "weekly_target": 120}).status_code == 302
    refused = second.post(url, {**SCORES, "first_visit": 4})
    assert refused.status_code == 200 and refused.context["form"].is_stale
    assert Scorecard.objects.get(district=world.district_a).weekly_target == 120


def test_stale_scorecard_update_in_the_api_answers_409(api_client, world):
    api_client.force_authenticate(world.district_admin)
    url = f"/api/v1/activity/scorecards/{world.district_a.pk}/"
    etag = api_client.get(url)["ETag"]
    assert etag == '"0"'  # the defaults: no scorecard saved yet
    ok = api_client.patch(url, {"weekly_target": 120}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["version"] == 1
    stale = api_client.patch(url, {"first_visit": 4}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["weekly_target"] == 120
    newer = api_client.patch(url, {"first_visit": 4}, format="json", HTTP_IF_MATCH=ok["ETag"])
    assert newer.status_code == 200 and newer.json()["version"] == 2
    scorecard = Scorecard.objects.get(district=world.district_a)
    assert (scorecard.weekly_target, scorecard.first_visit) == (120, 4)


# -- work logs ------------------------------------------------------------------------------------

COUNTS = {
    "new_prospects": 1,
    "first_visits": 2,
    "follow_up_visits": 0,
    "closing_visits": 0,
    "service_visits": 0,
    "recruiting_talks": 0,
    "accompanied_visits": 0,
    "policies_closed": 0,
}


def _draft(world):
    return worklog_save(acting_user=world.agent_user, agent=world.agent, day=MONDAY, data=COUNTS)


def test_second_work_log_save_on_the_same_version_is_refused(world):
    log = _draft(world)
    own = reverse("activity:mine") + f"?date={MONDAY.isoformat()}"
    staff = reverse("activity:log_edit", args=[world.agent.pk, MONDAY.isoformat()])
    agent, base = _opened(world.agent_user, own)
    assistant, _same = _opened(world.assistant, staff)

    saved = agent.post(own, {**COUNTS, "first_visits": 5, "save": "1", "version": base})
    assert saved.status_code == 302
    refused = assistant.post(staff, {**COUNTS, "policies_closed": 2, "save": "1", "version": base})

    _refused(refused, _label(WorkLog, "first_visits"))
    log.refresh_from_db()
    assert (log.first_visits, log.policies_closed, log.version) == (5, 0, 2)


def test_a_log_saved_while_the_page_showed_none_is_not_overwritten(world):
    url = reverse("activity:log_edit", args=[world.agent.pk, MONDAY.isoformat()])
    first, second = Client(), Client()
    for browser, user in ((first, world.assistant), (second, world.dept_manager)):
        browser.force_login(user)
        assert browser.get(url).context["form"]["version"].value() == 0  # no log yet
    assert first.post(url, {**COUNTS, "first_visits": 5, "save": "1"}).status_code == 302
    refused = second.post(url, {**COUNTS, "policies_closed": 2, "save": "1"})
    assert refused.status_code == 200 and refused.context["form"].is_stale
    log = WorkLog.objects.get(agent=world.agent, date=MONDAY)
    assert (log.first_visits, log.policies_closed) == (5, 0)


def test_stale_work_log_update_in_the_api_answers_409(api_client, world):
    log = _draft(world)
    api_client.force_authenticate(world.assistant)
    url = f"/api/v1/activity/logs/{log.pk}/"
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"first_visits": 5}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api_client.patch(url, {"policies_closed": 2}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert (stale.json()["version"], stale.json()["current"]["first_visits"]) == (2, 5)
    # the fill endpoint (POST of agent and date) takes the version in the body
    body = {"agent": world.agent.pk, "date": MONDAY.isoformat(), "policies_closed": 2}
    assert api_client.post("/api/v1/activity/logs/", {**body, "version": 1}).status_code == 409
    assert api_client.post("/api/v1/activity/logs/", {**body, "version": 2}).status_code == 200
    assert WorkLog.objects.get(pk=log.pk).policies_closed == 2


def test_review_moves_the_log_version_on(api_client, world):
    log = worklog_save(
        acting_user=world.agent_user, agent=world.agent, day=MONDAY, data=COUNTS, submit=True
    )
    api_client.force_authenticate(world.supervisor)
    returned = api_client.post(f"/api/v1/activity/logs/{log.pk}/return/", {"comment": "补充"})
    assert returned.json()["version"] == 2


# -- the weekly check (附件5) ---------------------------------------------------------------------


def _check(world):
    return weekly_check_save(
        acting_user=world.assistant,
        department=world.dept_a1,
        week_start=MONDAY,
        data={"measures": "每日跟进"},
    )


STATUSES = {
    "morning_meeting": "",
    "second_meeting": "",
    "work_element_table": "",
    "evening_meeting": "",
    "measures": "每日跟进",
}


def test_second_weekly_check_save_on_the_same_version_is_refused(world):
    _check(world)
    url = reverse("activity:weekly_check", args=[world.dept_a1.pk, MONDAY.isoformat()])
    first, base = _opened(world.assistant, url)
    second, _same = _opened(world.dept_manager, url)

    saved = first.post(url, {**STATUSES, "evening_meeting": "周五夕会", "action": "save",
                             "version": base})  # fmt: skip
    assert saved.status_code == 302
    refused = second.post(url, {**STATUSES, "measures": "加强陪访", "action": "save",
                                "version": base})  # fmt: skip

    _refused(refused, _label(WeeklyCheck, "evening_meeting"))
    assert "周五夕会" in refused.content.decode()
    check = WeeklyCheck.objects.get(department=world.dept_a1, week_start=MONDAY)
    assert (check.evening_meeting, check.measures, check.version) == ("周五夕会", "每日跟进", 2)


def test_a_submitted_weekly_check_shows_the_conflict_to_a_stale_page(world):
    _check(world)
    url = reverse("activity:weekly_check", args=[world.dept_a1.pk, MONDAY.isoformat()])
    first, base = _opened(world.assistant, url)
    second, _same = _opened(world.dept_manager, url)
    assert first.post(url, {**STATUSES, "action": "submit", "version": base}).status_code == 302
    refused = second.post(url, {**STATUSES, "measures": "加强陪访", "action": "save",
                                "version": base})  # fmt: skip
    assert refused.status_code == 200 and refused.context["form"].is_stale
    assert 'id="weekly-stale"' in refused.content.decode()
    assert WeeklyCheck.objects.get(department=world.dept_a1).measures == "每日跟进"


def test_stale_weekly_check_fill_in_the_api_answers_409(api_client, world):
    check = _check(world)
    api_client.force_authenticate(world.dept_manager)
    detail = api_client.get(f"/api/v1/activity/weekly-checks/{check.pk}/")
    assert detail["ETag"] == '"1"'
    body = {"department": world.dept_a1.pk, "week_start": MONDAY.isoformat()}
    url = "/api/v1/activity/weekly-checks/"
    ok = api_client.post(url, {**body, "evening_meeting": "周五夕会"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = api_client.post(url, {**body, "measures": "加强陪访", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current"]["evening_meeting"] == "周五夕会"
    assert WeeklyCheck.objects.get(pk=check.pk).measures == "每日跟进"


def test_handover_moves_the_card_versions_on(world):
    colleague = world.colleague
    colleague.status, colleague.resigned_on = "resigned", date(2025, 3, 3)
    colleague.save()
    card = ProspectCard.objects.create(agent=colleague, name="秘密客户")
    cards_hand_over(acting_user=world.district_admin, from_agent=colleague, to_agent=world.agent)
    assert ProspectCard.objects.get(pk=card.pk).version == 2


def test_bulk_entry_moves_the_log_version_on(world):
    log = _draft(world)
    worklog_bulk_save(
        acting_user=world.assistant,
        group=world.group_a1_1,
        day=MONDAY,
        rows={world.agent.pk: {**COUNTS, "first_visits": 7}},
    )
    log.refresh_from_db()
    assert (log.first_visits, log.version) == (7, 2)
    assert log.history.first().version == 2
