"""No lost updates on calendar entries, template drafts and inspection visits (issue 20): two
edits from the same version, the second is refused (page: the conflict and what the other person
changed, nothing of it saved; API: 409 with the current version); a normal edit moves the
version."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import AcceptanceForm, CalendarEntry, FlowItem, MeetingLevel, Visit
from meetings.services import calendars as calendar_services
from meetings.services import inspections as inspection_services
from meetings.services import templates as template_services
from meetings.services.templates import default_flow_template

pytestmark = pytest.mark.django_db

JUNE = date(2026, 6, 1)


def _browsers(*users):
    browsers = []
    for user in users:
        browser = Client()
        browser.force_login(user)
        browsers.append(browser)
    return browsers


# -- calendar entries -----------------------------------------------------------------------------
@pytest.fixture
def calendar(world):
    return calendar_services.calendar_create(
        acting_user=world.dept_manager, unit=world.dept_a1, level="department", month=JUNE
    )


def test_calendar_month_saved_on_a_stale_page_is_refused_with_the_other_persons_days(
    world, calendar
):
    url = reverse("meetings:calendar_edit", args=[calendar.pk])
    first, second = _browsers(world.dept_manager, world.dept_manager)
    base = first.get(url).context["version"]
    assert second.get(url).context["version"] == base
    # the second page shows both days empty: saving it as it is would take the first's day off
    saved = first.post(url, {"topic-2026-06-01": "考勤与业绩通报", "version": base})
    assert saved.status_code == 302
    refused = second.post(
        url, {"topic-2026-06-01": "", "topic-2026-06-02": "话术演练", "version": base}
    )

    assert refused.status_code == 200
    changes = refused.context["stale_changes"]
    assert [change["field"] for change in changes] == ["2026-06-01"]
    assert "考勤与业绩通报" in changes[0]["value"]
    assert 'value="话术演练"' in refused.content.decode()  # the user's input stays
    active = CalendarEntry.objects.filter(calendar=calendar, cancelled_at__isnull=True)
    assert list(active.values_list("topic", flat=True)) == ["考勤与业绩通报"]
    calendar.refresh_from_db()
    assert calendar.version == base + 1
    assert refused.context["version"] == base + 1  # saving again is a deliberate overwrite


def test_calendar_entries_api_answers_409_when_stale(api_client, world, calendar):
    api_client.force_authenticate(world.dept_manager)
    detail = f"/api/v1/meetings/calendars/{calendar.pk}/"
    etag = api_client.get(detail)["ETag"]
    url = f"{detail}entries/"
    ok = api_client.put(
        url, {"entries": [{"date": "2026-06-01", "topic": "一"}]}, format="json", HTTP_IF_MATCH=etag
    )
    assert ok.status_code == 200 and ok.json()["version"] == calendar.version + 1
    stale = api_client.put(
        url, {"entries": [{"date": "2026-06-01", "topic": "二"}]}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == calendar.version + 1
    assert [e["topic"] for e in stale.json()["current"]["entries"]] == ["一"]


# -- template drafts -----------------------------------------------------------------------------
@pytest.fixture
def draft(world):
    default = default_flow_template(district=world.district_a, acting_user=world.district_manager)
    copy = template_services.template_copy(
        acting_user=world.dept_manager,
        source=default.versions.get(),
        unit=world.dept_a1,
        name="东一部早会流程",
        level=MeetingLevel.DEPARTMENT,
    )
    return copy.versions.get()


def _content(title):
    return {
        "sections": "1",
        "s0-title": "晨会仪式",
        "s0-items": "1",
        "s0-0-title": title,
        "s0-0-required": "on",
        "s0-0-minutes": "2",
    }


def test_template_draft_saved_on_a_stale_page_is_refused_with_the_other_persons_rows(world, draft):
    url = reverse("meetings:template_version_edit", args=[draft.pk])
    first, second = _browsers(world.dept_manager, world.dept_manager)
    base = first.get(url).context["base_version"]
    assert second.get(url).context["base_version"] == base

    saved = first.post(url, {**_content("平安颂"), "op": "save", "version": base})
    assert saved.status_code == 302
    refused = second.post(url, {**_content("文化理念"), "op": "publish", "version": base})

    assert refused.status_code == 409
    changes = refused.context["stale_changes"]
    assert any("平安颂" in change["value"] for change in changes)
    assert 'value="文化理念"' in refused.content.decode()  # the user's rows stay
    draft.refresh_from_db()
    assert draft.published_at is None and draft.version == base + 1
    titles = FlowItem.objects.filter(section__version=draft).values_list("title", flat=True)
    assert list(titles) == ["平安颂"]


def test_template_draft_api_answers_409_when_stale(api_client, world, draft):
    api_client.force_authenticate(world.dept_manager)
    etag = api_client.get(reverse("meetings-template-version-detail", args=[draft.pk]))["ETag"]
    url = reverse("meetings-template-version-content", args=[draft.pk])
    item = {"title": "一", "required": True, "planned_minutes": 2}
    body = {"sections": [{"title": "晨会仪式", "items": [item]}]}
    ok = api_client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == draft.version + 1
    body["sections"][0]["items"][0]["title"] = "二"
    stale = api_client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["sections"][0]["items"][0]["title"] == "一"
    publish = reverse("meetings-template-version-publish", args=[draft.pk])
    assert api_client.post(publish, HTTP_IF_MATCH=etag).status_code == 409
    draft.refresh_from_db()
    assert draft.published_at is None
    assert api_client.post(publish, HTTP_IF_MATCH=ok["ETag"]).status_code == 200


# -- inspection visits ---------------------------------------------------------------------------
@pytest.fixture
def visit(world):
    return inspection_services.visit_plan(
        acting_user=world.district_manager,
        inspector=world.district_manager,
        unit=world.dept_a1,
        date=date(2026, 3, 10),
    )


def _ratings(visit, rating=5):
    items = inspection_services.checklist_ensure_default(district=visit.district)
    return {f"rating-{item.pk}": rating for item in items if item.active}


def test_visit_form_filled_on_a_stale_page_is_refused_with_the_other_persons_change(world, visit):
    fill = reverse("meetings:inspection_fill", args=[visit.pk])
    first, second = _browsers(world.district_manager, world.district_admin)
    assert f'name="version" value="{visit.version}"' in second.get(fill).content.decode()
    cancel = reverse("meetings:inspection_cancel", args=[visit.pk])
    assert first.post(cancel, {"reason": "改期", "version": visit.version}).status_code == 302

    response = second.post(fill, {**_ratings(visit), "version": visit.version}, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) >= 2  # the refusal, and the other person's changes with their name
    assert any(str(world.district_manager) in line for line in shown[1:])
    assert not AcceptanceForm.objects.exists()
    assert Visit.objects.get(pk=visit.pk).version == visit.version + 1


def test_visit_api_answers_409_when_stale(api_client, world, visit):
    api_client.force_authenticate(world.district_manager)
    url = f"/api/v1/meetings/inspections/visits/{visit.pk}/"
    etag = api_client.get(url)["ETag"]
    ok = api_client.post(f"{url}cancel/", {"reason": "改期"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == visit.version + 1
    ratings = [{"item": int(key[7:]), "rating": 5} for key in _ratings(visit)]
    stale = api_client.post(f"{url}form/", {"ratings": ratings}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["version"] == visit.version + 1
    assert stale.json()["current"]["state"] == "cancelled"
    assert not AcceptanceForm.objects.exists()
