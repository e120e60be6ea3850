"""No lost updates on the acceptance checklist, inspection issues and the calendar deadline
settings (issue 20): two edits from the same version, the second is refused (page: the conflict
and what the other person changed, the user's input kept, nothing of it saved; API: 409 with the
current version, 428 without a version); a normal edit moves the version."""

import pytest
from django.test import Client
from django.urls import reverse

from core.versioning import StaleVersion, stale_change_lines
from meetings.models import CalendarSettings, ChecklistItem, Issue, Visit, VisitState
from meetings.selectors import inspections as sel
from meetings.services import inspections as svc
from meetings.tests.test_inspections import fill, plan

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/inspections"


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _texts(changes) -> list[tuple[str, str]]:
    return [(str(change["field"]), str(change["value"])) for change in changes]


# -- the checklist --------------------------------------------------------------------------------
def _checklist_post(page) -> dict:
    """The checklist page's form as it was shown."""
    data = {}
    for item in page.context["items"]:
        data.update(
            {
                f"version-{item.pk}": item.version,
                f"order-{item.pk}": item.order,
                f"title-{item.pk}": item.title,
                f"guidance-{item.pk}": item.guidance,
                f"weight-{item.pk}": item.weight,
            }
        )
        if item.active:
            data[f"active-{item.pk}"] = "on"
    return data


def test_checklist_saved_on_a_stale_page_is_refused_with_the_other_persons_changes(world):
    url = reverse("meetings:inspection_checklist")
    first, second = _browser(world.district_manager), _browser(world.trainer)
    first_data, second_data = _checklist_post(first.get(url)), _checklist_post(second.get(url))
    on_time = ChecklistItem.objects.get(district=world.district_a, title="准时开始")
    ceremony = ChecklistItem.objects.get(district=world.district_a, title="晨会仪式")
    # The first moves 5 points from 准时开始 to 晨会仪式; the second renames 准时开始.
    first_data.update({f"weight-{on_time.pk}": 5, f"weight-{ceremony.pk}": 15})
    assert first.post(url, first_data).status_code == 302
    second_data[f"title-{on_time.pk}"] = "按时开始"
    refused = second.post(url, second_data)

    assert refused.status_code == 200
    body = refused.content.decode()
    assert "已有他人修改了此记录" in body
    assert _texts(refused.context["stale_changes"]) == [
        ("准时开始 · 权重", "5"),
        ("晨会仪式 · 权重", "15"),
    ]
    assert 'value="按时开始"' in body  # the user's input stays
    on_time.refresh_from_db()
    assert (on_time.title, on_time.weight, on_time.version) == ("准时开始", 5, 2)
    # The page now carries the current versions: saving again is a deliberate overwrite.
    assert f'name="version-{on_time.pk}" value="2"' in body
    assert second.post(url, {**second_data, f"version-{on_time.pk}": 2,
                             f"version-{ceremony.pk}": 2}).status_code == 302  # fmt: skip
    on_time.refresh_from_db()
    assert (on_time.title, on_time.weight, on_time.version) == ("按时开始", 10, 3)


def test_checklist_item_added_meanwhile_makes_the_page_stale(world):
    url = reverse("meetings:inspection_checklist")
    browser = _browser(world.district_manager)
    data = _checklist_post(browser.get(url))
    items = list(sel.checklist(world.district_a))
    rows = [{"id": i.pk, "title": i.title, "weight": i.weight, "version": i.version} for i in items]
    rows[0]["weight"] -= 5
    svc.checklist_save(
        acting_user=world.trainer,
        district=world.district_a,
        items=[*rows, {"title": "新人介绍", "weight": 5}],
    )
    refused = browser.post(url, data)
    assert refused.status_code == 200
    changes = _texts(refused.context["stale_changes"])
    assert ("新人介绍", "新增，权重 5") in changes
    assert ChecklistItem.objects.filter(district=world.district_a, active=True).count() == 9


def test_checklist_api_answers_409_when_an_item_is_stale_and_428_without_versions(
    world, api_client
):
    api_client.force_authenticate(world.district_admin)
    listed = api_client.get(f"{BASE}/checklist/").json()
    rows = [{k: row[k] for k in ("id", "title", "weight", "version")} for row in listed]
    body = {"district": world.district_a.pk, "items": rows}
    unversioned = {"district": world.district_a.pk, "items": [{**rows[0], "version": None}]}
    del unversioned["items"][0]["version"]
    missing = api_client.put(f"{BASE}/checklist/", unversioned, format="json")
    assert missing.status_code == 428
    rows[0]["title"] = "准点开始"
    ok = api_client.put(f"{BASE}/checklist/", body, format="json")
    assert ok.status_code == 200, ok.content
    saved = next(row for row in ok.json() if row["id"] == rows[0]["id"])
    assert saved["version"] == rows[0]["version"] + 1
    rows[0]["title"] = "开始时间"
    stale = api_client.put(f"{BASE}/checklist/", body, format="json")
    assert stale.status_code == 409
    data = stale.json()
    assert (data["item"], data["version"]) == (rows[0]["id"], saved["version"])
    assert next(r for r in data["current"] if r["id"] == rows[0]["id"])["title"] == "准点开始"
    assert ChecklistItem.objects.get(pk=rows[0]["id"]).title == "准点开始"


# -- issues ---------------------------------------------------------------------------------------
@pytest.fixture
def issue(world):
    items = [i for i in svc.checklist_ensure_default(district=world.district_a) if i.active]
    visit = plan(world)
    fill(world, visit, items, [5] * len(items), issues=[{"description": "推迟十五分钟开始"}])
    return Issue.objects.get()


def test_issue_resolved_on_a_stale_page_is_refused_with_the_other_persons_resolution(world, issue):
    url = reverse("meetings:inspection_issues")
    first, second = _browser(world.dept_manager), _browser(world.assistant)
    version = first.get(url).context["page"][0].version
    assert second.get(url).context["page"][0].version == version
    resolve = reverse("meetings:inspection_issue_resolve", args=[issue.pk])
    post = {"next": "issues", "version": version}
    assert first.post(resolve, {**post, "resolution": "提前十分钟到场"}).status_code == 302
    refused = second.post(resolve, {**post, "resolution": "改为八点开始"}, follow=True)

    messages = [str(m) for m in refused.context["messages"]]
    assert any("已有他人修改了此记录" in m for m in messages), messages
    assert any("解决方式" in m and "提前十分钟到场" in m for m in messages), messages
    resolved_at = next(m for m in messages if m.startswith("解决时间"))
    assert "+00:00" not in resolved_at and "年" in resolved_at  # local time, as pages show it
    issue.refresh_from_db()
    assert (issue.resolution, issue.resolved_by, issue.version) == (
        "提前十分钟到场",
        world.dept_manager,
        version + 1,
    )


def test_issue_resolve_api_answers_409_when_stale_and_428_without_a_version(
    world, api_client, issue
):
    url = f"{BASE}/issues/{issue.pk}/"
    api_client.force_authenticate(world.dept_manager)
    etag = api_client.get(url)["ETag"]
    assert etag == f'"{issue.version}"'
    missing = api_client.post(f"{url}resolve/", {"resolution": "x"}, format="json")
    assert missing.status_code == 428
    ok = api_client.post(f"{url}resolve/", {"resolution": "已整改"}, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["version"] == issue.version + 1
    api_client.force_authenticate(world.assistant)
    stale = api_client.post(f"{url}resolve/", {"resolution": "另行整改"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["version"] == issue.version + 1
    assert stale.json()["current"]["resolution"] == "已整改"
    assert Issue.objects.get(pk=issue.pk).resolution == "已整改"


# -- calendar deadline settings -------------------------------------------------------------------
def _settings_post(page, **values) -> dict:
    return {
        "district": page.context["district"].pk,
        "version": page.context["version"],
        "deadline_day": page.context["settings"].deadline_day,
        "remind_days_before": page.context["settings"].remind_days_before,
        **values,
    }


@pytest.mark.parametrize("saved_before", [False, True], ids=["first-save", "saved"])
def test_settings_saved_on_a_stale_page_are_refused_with_the_other_persons_values(
    world, saved_before
):
    if saved_before:
        CalendarSettings.objects.create(district=world.district_a)
    url = f"{reverse('meetings:calendar_settings')}?district={world.district_a.pk}"
    first, second = _browser(world.district_manager), _browser(world.district_admin)
    first_page, second_page = first.get(url), second.get(url)
    assert first_page.context["version"] == (1 if saved_before else 0)
    assert first.post(url, _settings_post(first_page, deadline_day=20)).status_code == 302
    refused = second.post(url, _settings_post(second_page, remind_days_before=5))

    assert refused.status_code == 200
    body = refused.content.decode()
    assert "已有他人修改了此记录" in body
    assert _texts(refused.context["stale_changes"]) == [("截止日（上月几号）", "20")]
    assert 'value="5"' in body  # the user's input stays
    settings = CalendarSettings.objects.get(district=world.district_a)
    assert (settings.deadline_day, settings.remind_days_before) == (20, 3)
    assert refused.context["version"] == settings.version  # saving again overwrites
    again = second.post(url, _settings_post(refused, remind_days_before=5))
    assert again.status_code == 302
    settings.refresh_from_db()
    assert (settings.deadline_day, settings.remind_days_before) == (25, 5)


def test_settings_api_answers_409_when_stale_and_428_without_a_version(world, api_client):
    url = f"/api/v1/meetings/calendars/settings/{world.district_a.pk}/"
    api_client.force_authenticate(world.district_manager)
    read = api_client.get(url)
    assert (read.json()["version"], read["ETag"]) == (0, '"0"')  # the defaults, nothing saved
    body = {"deadline_day": 20, "remind_days_before": 2}
    assert api_client.put(url, body, format="json").status_code == 428
    assert not CalendarSettings.objects.exists()
    ok = api_client.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == f'"{ok.json()["version"]}"'
    api_client.force_authenticate(world.district_admin)
    stale = api_client.put(url, {**body, "deadline_day": 22, "version": 0}, format="json")
    assert stale.status_code == 409
    assert stale.json()["version"] == ok.json()["version"]
    assert stale.json()["current"]["deadline_day"] == 20
    assert CalendarSettings.objects.get().deadline_day == 20


def test_a_stale_edit_of_a_seeded_visit_lists_the_other_persons_change(world):
    """Demo visits and issues are seeded with their history, so that a stale edit of one lists
    what was changed since the version it was based on."""
    from meetings.demo_parts import inspections as demo

    demo.seed(seed=1, log=lambda message: None)
    visit = Visit.objects.filter(district=world.district_a, state=VisitState.PLANNED).first()
    assert Issue.history.count() == Issue.objects.count() > 0
    svc.visit_cancel(acting_user=world.district_manager, visit=visit, reason="改期", base_version=1)
    with pytest.raises(StaleVersion) as refused:
        svc.visit_cancel(acting_user=world.trainer, visit=visit, reason="撞期", base_version=1)
    lines = stale_change_lines(refused.value)
    assert any("改期" in line for line in lines), lines
