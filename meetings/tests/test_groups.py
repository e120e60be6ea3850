"""Function groups (功能组): forming them with a valid leader, members and duties (never
deleted), training sessions, peer reviews, and who sees and changes them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from conftest import make_user
from core.exceptions import ConflictError
from meetings.models import FunctionGroup, FunctionGroupMember, Meeting, MeetingLevel
from meetings.selectors.groups import function_groups_visible_to
from meetings.services import groups as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return services.function_group_create(
        acting_user=world.district_manager,
        district=world.district_a,
        name="营业区早会功能组",
        purpose="共同制定小组工作职责，明确成员分工",
        leader=world.trainer,
    )


def _today():
    return timezone.localdate()


def test_leader_is_the_district_manager_or_a_trainer(world):
    for leader in (world.district_manager, world.trainer):
        services.function_group_create(
            acting_user=world.district_admin,
            district=world.district_a,
            name="早会组",
            leader=leader,
        )
    for leader in (world.dept_manager, world.outsider, world.district_admin, world.agent_user):
        with pytest.raises(ValidationError) as error:
            services.function_group_create(
                acting_user=world.district_manager,
                district=world.district_a,
                name="早会组",
                leader=leader,
            )
        assert "leader" in error.value.message_dict
    assert FunctionGroup.objects.count() == 2


def test_update_validates_a_new_leader(world, group):
    with pytest.raises(ValidationError):
        services.function_group_update(
            acting_user=world.district_manager,
            group=group,
            name=group.name,
            leader=world.dept_manager,
        )
    services.function_group_update(
        acting_user=world.district_manager,
        group=group,
        name="早会功能组",
        leader=world.district_manager,
    )
    group.refresh_from_db()
    assert (group.name, group.leader) == ("早会功能组", world.district_manager)


@pytest.mark.parametrize("who", ["dept_manager", "agent_user", "outsider", "supervisor"])
def test_only_the_district_forms_groups(world, who):
    with pytest.raises(PermissionDenied):
        services.function_group_create(
            acting_user=getattr(world, who),
            district=world.district_a,
            name="早会组",
            leader=world.trainer,
        )


def test_member_duties_and_removal_keep_the_row(world, group):
    member = services.member_add(
        acting_user=world.district_manager, group=group, user=world.dept_manager, duties="主持"
    )
    with pytest.raises(ValidationError):  # already a member
        services.member_add(
            acting_user=world.district_manager, group=group, user=world.dept_manager
        )
    services.member_set_duties(acting_user=world.trainer, member=member, duties="主持、行事例编制")
    member.refresh_from_db()
    assert member.duties == "主持、行事例编制"

    services.member_remove(acting_user=world.district_manager, member=member)
    member.refresh_from_db()
    assert member.left_on == _today()
    assert FunctionGroupMember.objects.filter(pk=member.pk).exists()
    with pytest.raises(ConflictError):
        services.member_remove(acting_user=world.district_manager, member=member)
    with pytest.raises(ConflictError):
        services.member_set_duties(acting_user=world.district_manager, member=member, duties="x")
    # can join again later: a second row, the first kept
    services.member_add(acting_user=world.district_manager, group=group, user=world.dept_manager)
    assert group.members.filter(user=world.dept_manager).count() == 2
    assert member.history.count() == 3  # created, duties changed, left


def test_members_are_people_of_the_district(world, group):
    with pytest.raises(ValidationError):
        services.member_add(acting_user=world.district_manager, group=group, user=world.outsider)
    services.member_add(acting_user=world.district_manager, group=group, user=world.agent_user)
    with pytest.raises(PermissionDenied):
        services.member_add(acting_user=world.dept_manager, group=group, user=world.assistant)


def test_training_attendees_must_be_members(world, group):
    day = _today() - timedelta(days=1)
    services.member_add(
        acting_user=world.district_manager,
        group=group,
        user=world.dept_manager,
        joined_on=day - timedelta(days=10),
    )
    training = services.training_save(
        acting_user=world.trainer,
        group=group,
        day=day,
        content="早会主持技巧",
        trainer=world.district_manager,
        attendees=[world.dept_manager],
    )
    assert list(training.attendees.all()) == [world.dept_manager]
    with pytest.raises(ValidationError) as error:
        services.training_save(
            acting_user=world.trainer,
            group=group,
            day=day,
            content="早会主持技巧",
            trainer=world.trainer,
            attendees=[world.assistant],
        )
    assert "attendees" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.training_save(
            acting_user=world.trainer,
            group=group,
            day=_today() + timedelta(days=1),
            content="x",
            trainer=world.trainer,
            attendees=[],
        )


def test_peer_review_reviews_meetings_of_the_district_only(world, group):
    day = _today() - timedelta(days=1)
    services.member_add(
        acting_user=world.district_manager, group=group, user=world.assistant, joined_on=day
    )
    own = Meeting.objects.create(
        unit=world.dept_a1,
        level=MeetingLevel.DEPARTMENT,
        date=day,
        topic="开门红",
        recorded_by=world.dept_manager,
    )
    foreign = Meeting.objects.create(
        unit=world.dept_b1,
        level=MeetingLevel.DEPARTMENT,
        date=day,
        topic="西区",
        recorded_by=world.outsider,
    )
    review = services.peer_review_save(
        acting_user=world.district_manager,
        group=group,
        day=day,
        conclusions="流程紧凑，互动不足",
        follow_up_actions="下周增加典范分享",
        participants=[world.trainer, world.assistant],
        meetings=[own],
    )
    assert set(review.participants.all()) == {world.trainer, world.assistant}
    assert list(review.meetings.all()) == [own]
    with pytest.raises(ValidationError):
        services.peer_review_save(
            acting_user=world.district_manager,
            group=group,
            day=day,
            conclusions="x",
            participants=[],
            meetings=[foreign],
        )
    with pytest.raises(ValidationError):
        services.peer_review_save(
            acting_user=world.district_manager,
            group=group,
            day=day,
            conclusions="x",
            participants=[world.outsider],
        )


def test_who_reads_function_groups(world, group):
    services.member_add(acting_user=world.district_manager, group=group, user=world.agent_user)
    other = make_user("trainer_b", Role.TRAINER, world.district_b)
    services.function_group_create(
        acting_user=world.outsider, district=world.district_b, name="西区早会组", leader=other
    )
    for user in (world.district_manager, world.district_admin, world.trainer, world.agent_user):
        assert list(function_groups_visible_to(user)) == [group], user
    for user in (world.outsider, world.dept_manager, world.supervisor):
        assert group not in function_groups_visible_to(user), user
    # a member who left no longer reads the group
    member = group.members.get(user=world.agent_user)
    services.member_remove(acting_user=world.district_manager, member=member)
    assert not function_groups_visible_to(world.agent_user).exists()


# -- pages -------------------------------------------------------------------------------------


def test_form_a_group_and_add_a_member_through_the_pages(world, client):
    client.force_login(world.district_manager)
    response = client.post(
        reverse("meetings:function_group_create"),
        {"district": world.district_a.pk, "name": "早会功能组", "leader": world.trainer.pk},
    )
    group = FunctionGroup.objects.get()
    assert response.url == reverse("meetings:function_group_detail", args=[group.pk])
    response = client.post(
        response.url,
        {"user": world.assistant.pk, "duties": "行事例汇总", "joined_on": _today().isoformat()},
    )
    assert response.status_code == 302
    member = group.members.get()
    client.post(
        reverse("meetings:function_group_member_duties", args=[member.pk]),
        {"duties": "档案", "version": member.version},
    )
    client.post(
        reverse("meetings:function_group_member_remove", args=[member.pk]),
        {"version": member.version + 1},  # the duties saved above moved it
    )
    member.refresh_from_db()
    assert (member.duties, member.left_on) == ("档案", _today())

    # a leader who is not the district manager or a trainer is refused with a message
    response = client.post(
        reverse("meetings:function_group_create"),
        {"district": world.district_a.pk, "name": "x", "leader": world.dept_manager.pk},
    )
    assert response.status_code == 200 and FunctionGroup.objects.count() == 1

    day = (_today() - timedelta(days=2)).isoformat()
    response = client.post(
        reverse("meetings:function_group_training_create", args=[group.pk]),
        {"date": day, "content": "早会流程培训", "trainer": world.trainer.pk},
    )
    assert response.status_code == 302 and group.trainings.count() == 1
    response = client.post(
        reverse("meetings:function_group_review_create", args=[group.pk]),
        {"date": day, "conclusions": "准备充分", "participants": [world.trainer.pk]},
    )
    assert response.status_code == 302 and group.peer_reviews.count() == 1
    assert client.get(reverse("meetings:function_group_detail", args=[group.pk])).status_code == 200


def test_pages_refuse_readers_and_outsiders(world, group, client):
    services.member_add(acting_user=world.district_manager, group=group, user=world.agent_user)
    detail = reverse("meetings:function_group_detail", args=[group.pk])
    client.force_login(world.agent_user)  # a member reads, but does not write
    response = client.get(detail)
    assert response.status_code == 200 and "Add a member" not in response.content.decode()
    assert client.post(detail, {"user": world.assistant.pk}).status_code == 403
    assert (
        client.get(reverse("meetings:function_group_training_create", args=[group.pk])).status_code
        == 403
    )
    client.force_login(world.outsider)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("meetings:function_group_create")).status_code == 200  # own district
    client.force_login(world.dept_manager)
    assert client.get(reverse("meetings:function_group_create")).status_code == 403


def test_detail_page_queries_do_not_grow(world, group, client):
    client.force_login(world.district_manager)
    url = reverse("meetings:function_group_detail", args=[group.pk])
    day = _today() - timedelta(days=1)
    services.member_add(
        acting_user=world.district_manager, group=group, user=world.assistant, joined_on=day
    )
    services.training_save(
        acting_user=world.trainer,
        group=group,
        day=day,
        content="a",
        trainer=world.trainer,
        attendees=[world.assistant],
    )
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for user in (world.dept_manager, world.supervisor, world.agent_user):
        services.member_add(
            acting_user=world.district_manager, group=group, user=user, joined_on=day
        )
        services.training_save(
            acting_user=world.trainer,
            group=group,
            day=day,
            content="b",
            trainer=world.trainer,
            attendees=[user, world.assistant],
        )
        services.peer_review_save(
            acting_user=world.trainer,
            group=group,
            day=day,
            conclusions="c",
            participants=[user],
        )
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) <= len(first) + 2  # the review table's two prefetches appear once


# -- API ---------------------------------------------------------------------------------------


def test_api_groups_members_trainings_reviews(world, api_client, django_assert_max_num_queries):
    api_client.force_authenticate(world.district_manager)
    response = api_client.post(
        reverse("meetings-function-group-list"),
        {"district": world.district_a.pk, "name": "早会功能组", "leader": world.dept_manager.pk},
        format="json",
    )
    assert response.status_code == 400 and "leader" in response.data
    response = api_client.post(
        reverse("meetings-function-group-list"),
        {"district": world.district_a.pk, "name": "早会功能组", "leader": world.trainer.pk},
        format="json",
    )
    assert response.status_code == 201, response.data
    group_id = response.data["id"]
    response = api_client.post(
        reverse("meetings-function-group-members", args=[group_id]),
        {"user": world.assistant.pk, "duties": "资料"},
        format="json",
    )
    assert response.status_code == 201, response.data
    member_id = response.data["id"]
    response = api_client.patch(
        reverse("meetings-function-group-member-detail", args=[member_id]),
        {"duties": "资料、音响", "version": response.data["version"]},
        format="json",
    )
    assert response.data["duties"] == "资料、音响"
    member_version = response.data["version"]
    day = (_today() - timedelta(days=1)).isoformat()
    response = api_client.post(
        reverse("meetings-function-group-trainings", args=[group_id]),
        {
            "date": day,
            "content": "培训",
            "trainer": world.trainer.pk,
            "attendees": [world.assistant.pk],
        },
        format="json",
    )
    assert response.status_code == 400  # joined today, not a member yesterday
    response = api_client.post(
        reverse("meetings-function-group-trainings", args=[group_id]),
        {
            "date": _today().isoformat(),
            "content": "培训",
            "trainer": world.trainer.pk,
            "attendees": [world.assistant.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    response = api_client.post(
        reverse("meetings-function-group-peer-reviews", args=[group_id]),
        {"date": _today().isoformat(), "conclusions": "好", "participants": [world.trainer.pk]},
        format="json",
    )
    assert response.status_code == 201, response.data
    response = api_client.post(
        reverse("meetings-function-group-member-remove", args=[member_id]),
        {"version": member_version},
        format="json",
    )
    assert response.data["left_on"] == _today().isoformat()

    with django_assert_max_num_queries(12):
        detail = api_client.get(reverse("meetings-function-group-detail", args=[group_id]))
    assert len(detail.data["members"]) == 1 and len(detail.data["trainings"]) == 1

    api_client.force_authenticate(world.outsider)
    assert api_client.get(reverse("meetings-function-group-list")).data["count"] == 0
    assert (
        api_client.get(reverse("meetings-function-group-detail", args=[group_id])).status_code
        == 404
    )
    api_client.force_authenticate(world.dept_manager)
    assert api_client.post(
        reverse("meetings-function-group-list"),
        {"district": world.district_a.pk, "name": "x", "leader": world.trainer.pk},
        format="json",
    ).status_code in (403, 404)


def test_api_member_reads_but_cannot_write(world, group, api_client):
    services.member_add(acting_user=world.district_manager, group=group, user=world.agent_user)
    api_client.force_authenticate(world.agent_user)
    assert api_client.get(reverse("meetings-function-group-list")).data["count"] == 1
    response = api_client.post(
        reverse("meetings-function-group-members", args=[group.pk]),
        {"user": world.assistant.pk},
        format="json",
    )
    assert response.status_code == 403


def test_demo_seeds_the_district_function_group_once(world):
    from meetings.demo_parts import groups as demo

    demo.seed(seed=1, log=lambda _message: None)
    group = FunctionGroup.objects.get()
    assert (group.district, group.leader) == (world.district_a, world.district_manager)
    assert group.members.filter(left_on__isnull=True).count() == 4  # the world has no coach
    assert all(group.members.values_list("duties", flat=True))
    assert group.trainings.count() == 3 and group.peer_reviews.count() == 2
    demo.seed(seed=1, log=lambda _message: None)
    assert FunctionGroup.objects.count() == 1


def test_training_materials_are_checked_served_and_kept(
    world, group, client, api_client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import TrainingMaterial

    settings.MEDIA_ROOT = tmp_path
    training = services.training_save(
        acting_user=world.trainer,
        group=group,
        day=_today(),
        content="早会流程培训",
        trainer=world.trainer,
        attendees=[],
    )
    with pytest.raises(ValidationError, match="exe"):
        services.training_material_add(
            acting_user=world.trainer,
            training=training,
            file=SimpleUploadedFile("run.exe", b"MZ"),
        )
    big = SimpleUploadedFile("big.pdf", b"0" * (TrainingMaterial.MAX_SIZE + 1))
    with pytest.raises(ValidationError, match="big.pdf"):
        services.training_material_add(acting_user=world.trainer, training=training, file=big)
    with pytest.raises(PermissionDenied):
        services.training_material_add(
            acting_user=world.dept_manager,
            training=training,
            file=SimpleUploadedFile("a.pdf", b"%PDF"),
        )

    api_client.force_authenticate(world.district_manager)
    response = api_client.post(
        reverse("meetings-training-materials", args=[training.pk]),
        {"file": SimpleUploadedFile("流程.pdf", b"%PDF-1.4")},
        format="multipart",
    )
    assert response.status_code == 201, response.data
    material = TrainingMaterial.objects.get()
    client.force_login(world.trainer)
    response = client.get(reverse("meetings:function_group_material", args=[material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    client.force_login(world.outsider)
    assert (
        client.get(reverse("meetings:function_group_material", args=[material.pk])).status_code
        == 404
    )
    client.force_login(world.trainer)
    client.post(reverse("meetings:function_group_material_remove", args=[material.pk]))
    assert not training.materials.exists()
    assert TrainingMaterial._base_manager.get(pk=material.pk).removed_by == world.trainer
