"""No lost updates on improvement measures (issue 20): a stale edit is refused, page and API."""

from django.test import Client
from django.urls import reverse

from attendance.models import ImprovementMeasure


def _measure(world):
    return ImprovementMeasure.objects.create(
        department=world.dept_a1,
        district=world.district_a,
        month="2026-05-01",
        measure="每周两次晨会点名复盘",
        owner=world.assistant,
        created_by=world.assistant,
    )


def _post(measure, **values):
    return {
        "department": measure.department_id,
        "month": "2026-05",
        "measure": measure.measure,
        "owner": measure.owner_id,
        "status": "open",
        "follow_up": "",
        **values,
    }


def test_second_save_of_a_measure_on_the_same_version_is_refused(world):
    measure = _measure(world)
    url = reverse("attendance:measure_edit", args=[measure.pk])
    browsers = []
    for user in (world.dept_manager, world.district_admin):
        browser = Client()
        browser.force_login(user)
        version = browser.get(url).context["form"]["version"].value()
        browsers.append((browser, version))
    (first, version), (second, _same) = browsers

    assert (
        first.post(url, _post(measure, follow_up="已执行两周", version=version)).status_code == 302
    )
    refused = second.post(url, _post(measure, status="done", version=version))

    assert refused.status_code == 200
    assert refused.context["form"].is_stale
    assert "已执行两周" in refused.content.decode()
    measure.refresh_from_db()
    assert (measure.follow_up, measure.status) == ("已执行两周", "open")


def test_stale_measure_patch_answers_409(api_client, world):
    measure = _measure(world)
    api_client.force_authenticate(world.assistant)
    url = f"/api/v1/attendance/improvement-measures/{measure.pk}/"
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"status": "in_progress"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert (etag, ok["ETag"]) == ('"1"', '"2"')
    stale = api_client.patch(url, {"status": "done"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["current"]["status"] == "in_progress"


def test_measure_edit_without_a_version_answers_428_and_saves_nothing(api_client, world):
    measure = _measure(world)
    api_client.force_authenticate(world.assistant)
    url = f"/api/v1/attendance/improvement-measures/{measure.pk}/"
    patched = api_client.patch(url, {"status": "done"}, format="json")
    put = api_client.put(url, {**_post(measure, status="done"), "month": "2026-05"}, format="json")
    assert (patched.status_code, put.status_code) == (428, 428)
    assert "If-Match" in patched.json()["detail"]
    measure.refresh_from_db()
    assert (measure.status, measure.version) == ("open", 1)


def test_measure_edit_by_a_reader_is_403_before_the_version_is_asked(api_client, world):
    measure = _measure(world)
    api_client.force_authenticate(world.supervisor)
    url = f"/api/v1/attendance/improvement-measures/{measure.pk}/"
    assert api_client.get(url).status_code == 200
    assert api_client.patch(url, {"status": "done"}, format="json").status_code == 403
