"""No lost updates on the work calendar (issue 20): a day's change carries the version of the
date's row it was based on (0: the page or client saw no row); a stale one is refused and names
what the other person changed."""

from datetime import date

from django.contrib.messages import get_messages
from django.urls import reverse

from workcalendar.models import CalendarDay
from workcalendar.services import calendar_day_set

DAYS_API = "/api/v1/calendar/days/"
DAY = date(2025, 10, 1)


def _mark(world, note="国庆节", base_version=0):
    return calendar_day_set(
        acting_user=world.district_manager,
        district=world.district_a,
        day=DAY,
        is_workday=False,
        note=note,
        base_version=base_version,
    )


def _month_versions(client, world) -> str:
    html = client.get(
        reverse("workcalendar:month"), {"district": world.district_a.pk, "year": 2025, "month": 10}
    ).content.decode()
    return html.split('name="versions" value="')[1].split('"')[0]


def test_stale_page_save_is_refused_and_names_the_other_change(client, world):
    _mark(world)
    client.force_login(world.district_admin)
    versions = _month_versions(client, world)
    assert versions == "2025-10-01:1"
    _mark(world, note="National Day", base_version=1)  # someone else, after the page loaded
    response = client.post(
        reverse("workcalendar:set_day", args=[world.district_a.pk]),
        {"day": "2025-10-01", "is_workday": "1", "note": "", "versions": versions},
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0].startswith("在您打开之后，已有他人修改了此记录"), texts  # StaleVersion
    assert texts[1].startswith("备注 现为“National Day”（district_manager，"), texts  # who, what
    row = CalendarDay.objects.get(district=world.district_a, date=DAY)
    assert (row.is_workday, row.note, row.version) == (False, "National Day", 2)


def test_page_save_of_a_date_marked_meanwhile_is_refused(client, world):
    client.force_login(world.district_admin)
    versions = _month_versions(client, world)
    assert versions == ""  # the page saw no row: version 0
    _mark(world)
    response = client.post(
        reverse("workcalendar:set_day", args=[world.district_a.pk]),
        {"day": "2025-10-01", "is_workday": "1", "note": "", "versions": versions},
    )
    row = CalendarDay.objects.get(district=world.district_a, date=DAY)
    assert (row.is_workday, row.note, row.version) == (False, "国庆节", 1)
    # what the other person created is what they changed: the day off and its note
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0].startswith("在您打开之后，已有他人修改了此记录"), texts
    assert any(t.startswith("备注 现为“国庆节”（district_manager，") for t in texts), texts
    assert any(t.startswith("工作日 现为“否”") for t in texts), texts


def test_page_save_on_the_seen_version_moves_it(client, world):
    _mark(world)
    client.force_login(world.district_admin)
    client.post(
        reverse("workcalendar:set_day", args=[world.district_a.pk]),
        {
            "day": "2025-10-01",
            "is_workday": "1",
            "note": "",
            "versions": _month_versions(client, world),
        },
    )
    row = CalendarDay.objects.get(district=world.district_a, date=DAY)
    assert (row.is_workday, row.version) == (True, 2)
    assert _month_versions(client, world) == "2025-10-01:2"


def _post(api_client, world, **extra):
    headers = {"HTTP_IF_MATCH": extra.pop("if_match")} if "if_match" in extra else {}
    return api_client.post(
        DAYS_API,
        {"district": world.district_a.pk, "date": "2025-10-01", "is_workday": True, **extra},
        format="json",
        **headers,
    )


def test_api_stale_version_is_409_with_the_current_row(api_client, world):
    _mark(world)
    _mark(world, note="National Day", base_version=1)
    api_client.force_authenticate(world.district_admin)
    response = _post(api_client, world, version=1)
    assert response.status_code == 409, response.content
    assert response.json()["version"] == 2
    assert response.json()["current"]["note"] == "National Day"
    assert response["ETag"] == '"2"'
    assert CalendarDay.objects.get(district=world.district_a, date=DAY).is_workday is False


def test_api_without_version_on_a_row_created_meanwhile_is_409(api_client, world):
    _mark(world)
    api_client.force_authenticate(world.district_admin)
    response = _post(api_client, world)  # no version: the client saw no row
    assert response.status_code == 409, response.content
    assert response.json()["version"] == 1
    assert CalendarDay.objects.get(district=world.district_a, date=DAY).is_workday is False


def test_api_success_moves_the_version(api_client, world):
    api_client.force_authenticate(world.district_admin)
    created = _post(api_client, world, note="x")
    assert created.status_code == 200, created.content
    assert created.json()["version"] == 1
    assert created["ETag"] == '"1"'
    changed = _post(api_client, world, note="y", if_match='"1"')
    assert changed.status_code == 200, changed.content
    assert (changed.json()["note"], changed.json()["version"]) == ("y", 2)
    again = _post(api_client, world, note="z", version=2)
    assert (again.status_code, again.json()["version"]) == (200, 3)
    listed = api_client.get(DAYS_API, {"district": world.district_a.pk}).json()
    assert [(r["note"], r["version"]) for r in listed] == [("z", 3)]
