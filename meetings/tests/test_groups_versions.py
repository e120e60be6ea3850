"""No lost updates on function groups, their members, trainings and peer reviews (issue 20): two
edits from the same version, the second is refused (page: the conflict and the other person's
change, nothing of it saved; API: 409 with the current version); a normal edit moves the version."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import FunctionGroup, FunctionGroupMember, PeerReview, TrainingSession
from meetings.services import groups as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return services.function_group_create(
        acting_user=world.district_manager,
        district=world.district_a,
        name="营业区早会功能组",
        purpose="明确成员分工",
        leader=world.trainer,
    )


@pytest.fixture
def member(world, group):
    return services.member_add(
        acting_user=world.district_manager, group=group, user=world.assistant, duties="资料"
    )


def _yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def training(world, group):
    return services.training_save(
        acting_user=world.district_manager,
        group=group,
        day=_yesterday(),
        content="早会主持培训",
        trainer=world.trainer,
        attendees=[],
    )


@pytest.fixture
def review(world, group):
    return services.peer_review_save(
        acting_user=world.district_manager,
        group=group,
        day=_yesterday(),
        conclusions="节奏偏慢",
        participants=[world.trainer],
    )


def _open(url, *users):
    """Each user opens the edit page in their own browser: (browser, version on the page)."""
    pages = []
    for user in users:
        browser = Client()
        browser.force_login(user)
        pages.append((browser, browser.get(url).context["form"]["version"].value()))
    return pages


def _refused_on_the_page(response, their_value):
    assert response.status_code == 200
    assert response.context["form"].is_stale
    assert their_value in response.content.decode()


def test_function_group_second_save_on_the_same_version_is_refused(world, group):
    url = reverse("meetings:function_group_edit", args=[group.pk])
    (first, base), (second, _same) = _open(url, world.district_manager, world.district_admin)
    post = {"name": group.name, "leader": world.trainer.pk, "version": base}

    assert first.post(url, {**post, "purpose": "共同制定工作职责"}).status_code == 302
    refused = second.post(url, {**post, "purpose": "每月复盘"})

    _refused_on_the_page(refused, "共同制定工作职责")
    assert refused.context["form"]["purpose"].value() == "每月复盘"  # the user's input stays
    group.refresh_from_db()
    assert (group.purpose, group.version) == ("共同制定工作职责", base + 1)


def test_function_group_api_answers_409_when_stale(api_client, world, group):
    api_client.force_authenticate(world.district_manager)
    url = reverse("meetings-function-group-detail", args=[group.pk])
    etag = api_client.get(url)["ETag"]
    body = {"name": group.name, "leader": world.trainer.pk}
    ok = api_client.put(url, {**body, "purpose": "一"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == group.version + 1
    assert ok["ETag"] == f'"{group.version + 1}"'
    stale = api_client.put(url, {**body, "purpose": "二"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["version"] == group.version + 1
    assert stale.json()["current"]["purpose"] == "一"
    assert FunctionGroup.objects.get(pk=group.pk).purpose == "一"


def test_member_duties_on_a_stale_page_are_refused_with_the_other_persons_duties(
    world, group, member
):
    url = reverse("meetings:function_group_member_duties", args=[member.pk])
    first, second = Client(), Client()
    first.force_login(world.district_manager)
    second.force_login(world.district_admin)
    detail = reverse("meetings:function_group_detail", args=[group.pk])
    assert f'name="version" value="{member.version}"' in first.get(detail).content.decode()

    first.post(url, {"duties": "行事例汇总", "version": member.version})
    response = second.post(url, {"duties": "音响", "version": member.version}, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 2  # the refusal, and the change with who made it
    assert "行事例汇总" in shown[1] and str(world.district_manager) in shown[1]
    member.refresh_from_db()
    assert (member.duties, member.version) == ("行事例汇总", 2)


def test_member_api_answers_409_when_stale(api_client, world, member):
    api_client.force_authenticate(world.district_manager)
    url = reverse("meetings-function-group-member-detail", args=[member.pk])
    etag = api_client.get(url)["ETag"]
    ok = api_client.patch(url, {"duties": "一"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == 2
    stale = api_client.patch(url, {"duties": "二"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409 and stale.json()["current"]["duties"] == "一"
    leave = reverse("meetings-function-group-member-remove", args=[member.pk])
    assert api_client.post(leave, {"version": 1}, format="json").status_code == 409
    assert FunctionGroupMember.objects.get(pk=member.pk).left_on is None
    assert api_client.post(leave, {"version": 2}, format="json").status_code == 200


def test_training_second_save_on_the_same_version_is_refused(world, group, training):
    url = reverse("meetings:function_group_training_edit", args=[group.pk, training.pk])
    (first, base), (second, _same) = _open(url, world.district_manager, world.district_admin)
    post = {"date": _yesterday().isoformat(), "trainer": world.trainer.pk, "version": base}

    assert first.post(url, {**post, "content": "话术演练"}).status_code == 302
    refused = second.post(url, {**post, "content": "主持技巧"})

    _refused_on_the_page(refused, "话术演练")
    training.refresh_from_db()
    assert (training.content, training.version) == ("话术演练", base + 1)


def test_training_api_answers_409_when_stale(api_client, world, training):
    api_client.force_authenticate(world.district_manager)
    url = reverse("meetings-training-detail", args=[training.pk])
    etag = api_client.get(url)["ETag"]
    body = {"date": _yesterday().isoformat(), "trainer": world.trainer.pk}
    ok = api_client.put(url, {**body, "content": "一"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == 2
    stale = api_client.put(url, {**body, "content": "二", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["content"] == "一"
    assert TrainingSession.objects.get(pk=training.pk).content == "一"


def test_peer_review_second_save_on_the_same_version_is_refused(world, group, review):
    url = reverse("meetings:function_group_review_edit", args=[group.pk, review.pk])
    (first, base), (second, _same) = _open(url, world.district_manager, world.district_admin)
    post = {"date": _yesterday().isoformat(), "participants": [world.trainer.pk], "version": base}

    assert first.post(url, {**post, "conclusions": "开场更紧凑"}).status_code == 302
    refused = second.post(url, {**post, "conclusions": "多些互动"})

    _refused_on_the_page(refused, "开场更紧凑")
    review.refresh_from_db()
    assert (review.conclusions, review.version) == ("开场更紧凑", base + 1)


def test_peer_review_api_answers_409_when_stale(api_client, world, review):
    api_client.force_authenticate(world.district_manager)
    url = reverse("meetings-peer-review-detail", args=[review.pk])
    etag = api_client.get(url)["ETag"]
    body = {"date": _yesterday().isoformat(), "participants": [world.trainer.pk]}
    ok = api_client.put(url, {**body, "conclusions": "一"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.data["version"] == 2
    stale = api_client.put(url, {**body, "conclusions": "二"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409 and stale.json()["current"]["conclusions"] == "一"
    assert PeerReview.objects.get(pk=review.pk).conclusions == "一"
