"""Execution flow templates (附件1): the default, copies adapted by a department, drafts,
publishing, immutability of published versions, and who may see and change them."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from conftest import make_user
from core.exceptions import ConflictError
from meetings.models import FlowItem, FlowTemplate, FlowTemplateVersion, Meeting, MeetingLevel
from meetings.selectors.templates import versions_for
from meetings.services import templates as services
from meetings.services.templates import default_flow_template

pytestmark = pytest.mark.django_db

ADAPTED = [
    {
        "title": "晨会仪式",
        "items": [
            {"title": "平安颂", "required": True, "planned_minutes": 2},
            {"title": "文化理念", "required": False, "planned_minutes": 3},
        ],
    },
    {"title": "考勤通报", "items": [{"title": "考勤通报", "required": True, "planned_minutes": 2}]},
]


@pytest.fixture
def default(world):
    return default_flow_template(district=world.district_a, acting_user=world.district_manager)


def _copy_for_dept(world, default):
    return services.template_copy(
        acting_user=world.dept_manager,
        source=default.versions.get(),
        unit=world.dept_a1,
        name="东一部早会流程",
        level=MeetingLevel.DEPARTMENT,
    )


def test_default_template_is_attachment_1_and_idempotent(world):
    template = default_flow_template(district=world.district_a, acting_user=world.district_manager)
    again = default_flow_template(district=world.district_a, acting_user=world.trainer)
    assert again == template
    assert FlowTemplate.objects.filter(unit=world.district_a).count() == 1
    assert (template.is_default, template.level) == (True, MeetingLevel.DISTRICT)
    version = template.versions.get()
    assert version.number == 1 and version.published_at is not None
    sections = list(version.sections.values_list("order", "title"))
    assert [t for _o, t in sections][:4] == ["会前准备", "晨会仪式", "考勤通报", "业绩通报"]
    assert sections[4][1].startswith("主题活动")
    items = FlowItem.objects.filter(section__version=version)
    assert items.count() == 17
    assert list(items.filter(section__order=2).values_list("title", flat=True)) == [
        "平安颂",
        "公司训导",
        "文化理念",
        "天气预报或时事新闻及公司动态",
    ]
    assert list(items.filter(section__order=5).values_list("order", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    # 主题活动 items are chosen freely (以下活动可任选); all the others are required.
    assert not items.filter(section__order=5, required=True).exists()
    assert not items.filter(section__order__lt=5, required=False).exists()
    assert all(minutes > 0 for minutes in items.values_list("planned_minutes", flat=True))


def test_versions_for_offers_own_and_parents_latest_published(world, default):
    default_flow_template(district=world.district_b, acting_user=world.outsider)
    versions = list(versions_for(world.dept_a1, MeetingLevel.DEPARTMENT))
    assert [v.template for v in versions] == [default]
    assert versions_for(world.group_a1_1, MeetingLevel.GROUP).get().template == default

    copy = _copy_for_dept(world, default)
    # a draft is not usable yet
    assert [v.template for v in versions_for(world.dept_a1, MeetingLevel.DEPARTMENT)] == [default]
    services.version_publish(acting_user=world.dept_manager, version=copy.versions.get())
    usable = list(versions_for(world.dept_a1, MeetingLevel.DEPARTMENT))
    assert [v.template for v in usable] == [copy, default]  # the level's own template first
    # another department does not see dept_a1's copy; the district's level keeps the default
    assert [v.template for v in versions_for(world.dept_a2, MeetingLevel.DEPARTMENT)] == [default]
    assert [v.template for v in versions_for(world.district_a, MeetingLevel.DISTRICT)] == [default]

    services.template_archive(acting_user=world.dept_manager, template=copy)
    assert [v.template for v in versions_for(world.dept_a1, MeetingLevel.DEPARTMENT)] == [default]


def test_meeting_keeps_its_version_after_a_new_one_is_published(world, default):
    v1 = default.versions.get()
    meeting = Meeting.objects.create(
        unit=world.district_a,
        level=MeetingLevel.DISTRICT,
        date=date(2026, 11, 2),
        topic="十一月启动",
        template_version=v1,
        recorded_by=world.district_manager,
    )
    draft = services.version_create_draft(
        acting_user=world.district_manager, template=default, note="精简"
    )
    assert draft.number == 2 and draft.published_at is None
    # the draft starts with the latest content
    assert FlowItem.objects.filter(section__version=draft).count() == 17
    services.version_update_content(
        acting_user=world.district_manager, version=draft, sections=ADAPTED
    )
    services.version_publish(acting_user=world.district_manager, version=draft)

    meeting.refresh_from_db()
    assert meeting.template_version_id == v1.pk
    assert FlowItem.objects.filter(section__version=v1).count() == 17
    assert versions_for(world.district_a, MeetingLevel.DISTRICT).get() == draft


def test_published_version_never_changes(world, default, api_client):
    v1 = default.versions.get()
    with pytest.raises(ConflictError, match="已发布，会议正在使用，不能再修改"):
        services.version_update_content(
            acting_user=world.district_manager, version=v1, sections=ADAPTED
        )
    with pytest.raises(ConflictError):
        services.version_publish(acting_user=world.district_manager, version=v1)
    api_client.force_authenticate(world.district_manager)
    url = reverse("meetings-template-version-content", args=[v1.pk])
    etag = api_client.get(reverse("meetings-template-version-detail", args=[v1.pk]))["ETag"]
    response = api_client.put(url, {"sections": ADAPTED}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert "已发布，会议正在使用，不能再修改" in str(response.data)
    assert FlowItem.objects.filter(section__version=v1).count() == 17


def test_department_copies_and_adapts_the_district_default(world, default):
    copy = _copy_for_dept(world, default)
    assert copy.unit == world.dept_a1 and copy.copied_from == default.versions.get()
    draft = copy.versions.get()
    assert draft.published_at is None
    services.version_update_content(
        acting_user=world.assistant, version=draft, sections=ADAPTED, note="部早会版"
    )
    services.version_publish(acting_user=world.assistant, version=draft)
    rows = list(
        FlowItem.objects.filter(section__version=draft).values_list(
            "section__order", "order", "title", "required", "planned_minutes"
        )
    )
    assert rows == [
        (1, 1, "平安颂", True, 2),
        (1, 2, "文化理念", False, 3),
        (2, 1, "考勤通报", True, 2),
    ]
    # the district's default is untouched
    assert FlowItem.objects.filter(section__version__template=default).count() == 17
    # one draft at a time
    services.version_create_draft(acting_user=world.dept_manager, template=copy)
    with pytest.raises(ConflictError):
        services.version_create_draft(acting_user=world.dept_manager, template=copy)


@pytest.mark.parametrize("who", ["other_dept_manager", "agent_user", "outsider", "supervisor"])
def test_others_cannot_change_a_departments_template(world, default, who):
    other = make_user("other_dept_manager", Role.DEPT_MANAGER, world.dept_a2)
    user = other if who == "other_dept_manager" else getattr(world, who)
    copy = _copy_for_dept(world, default)
    draft = copy.versions.get()
    with pytest.raises(PermissionDenied):
        services.version_update_content(acting_user=user, version=draft, sections=ADAPTED)
    with pytest.raises(PermissionDenied):
        services.version_publish(acting_user=user, version=draft)
    with pytest.raises(PermissionDenied):
        services.template_copy(acting_user=user, source=default.versions.get(), unit=world.dept_a1)


def test_department_cannot_edit_the_district_default(world, default):
    with pytest.raises(PermissionDenied):
        services.version_create_draft(acting_user=world.dept_manager, template=default)
    with pytest.raises(PermissionDenied):
        services.version_create_draft(acting_user=world.agent_user, template=default)


def test_publish_refuses_an_empty_section(world, default):
    draft = services.version_create_draft(acting_user=world.trainer, template=default)
    services.version_update_content(
        acting_user=world.trainer, version=draft, sections=[{"title": "会前准备", "items": []}]
    )
    with pytest.raises(Exception, match="板块“会前准备”没有环节"):
        services.version_publish(acting_user=world.trainer, version=draft)


# -- pages -------------------------------------------------------------------------------------


def test_template_list_is_scoped(world, default, client, django_assert_max_num_queries):
    copy = _copy_for_dept(world, default)
    other = default_flow_template(district=world.district_b, acting_user=world.outsider)
    client.force_login(world.dept_manager)
    with django_assert_max_num_queries(25):  # the base page (badges, to-dos) takes ~15
        response = client.get(reverse("meetings:template_list"))
    body = response.content.decode()
    assert f'data-template="{default.pk}"' in body and f'data-template="{copy.pk}"' in body
    assert f'data-template="{other.pk}"' not in body

    client.force_login(world.outsider)
    body = client.get(reverse("meetings:template_list")).content.decode()
    assert f'data-template="{other.pk}"' in body and f'data-template="{default.pk}"' not in body
    assert client.get(reverse("meetings:template_detail", args=[copy.pk])).status_code == 404
    assert (
        client.get(
            reverse("meetings:template_version", args=[default.versions.get().pk])
        ).status_code
        == 404
    )


def test_template_list_queries_do_not_grow(world, default, client):
    client.force_login(world.district_manager)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("meetings:template_list"))
    for unit in (world.dept_a1, world.group_a1_1):
        services.template_copy(
            acting_user=world.dept_manager, source=default.versions.get(), unit=unit
        )
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("meetings:template_list"))
    assert len(second) == len(first)


def test_print_page_shows_attachment_1(world, default, client):
    client.force_login(world.agent_user)  # an agent reads their district's template
    response = client.get(reverse("meetings:template_version", args=[default.versions.get().pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "营业区早会执行流程" in body and "平安颂" in body and "KPI指标分析" in body
    # The print style is a static file (no inline <style> under the CSP): the forms' own.
    assert "/static/css/print/paperform.css" in body
    assert "@page { size: A4" in Path(finders.find("css/print/paperform.css")).read_text()


def test_copy_edit_and_publish_through_the_pages(world, default, client):
    client.force_login(world.dept_manager)
    source = default.versions.get()
    response = client.post(
        reverse("meetings:template_copy", args=[source.pk]),
        {"unit": world.dept_a1.pk, "name": "东一部早会流程", "level": MeetingLevel.DEPARTMENT},
    )
    copy = FlowTemplate.objects.get(unit=world.dept_a1)
    draft = copy.versions.get()
    assert response.url == reverse("meetings:template_version_edit", args=[draft.pk])
    url = response.url
    assert client.get(url).status_code == 200

    post = {
        "sections": "1",
        "s0-title": "晨会仪式",
        "s0-items": "2",
        "s0-0-title": "平安颂",
        "s0-0-required": "on",
        "s0-0-minutes": "2",
        "s0-1-title": "文化理念",
        "s0-1-minutes": "3",
        "note": "部早会版",
        "version": draft.version,
    }
    # a row operation re-renders the form without saving
    response = client.post(url, {**post, "op": "add_item:0"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().count('name="s0-2-title"') == 1
    assert FlowItem.objects.filter(section__version=draft).count() == 17
    response = client.post(url, {**post, "op": "up_item:0:1"})
    body = response.content.decode()
    assert body.index('value="文化理念"') < body.index('value="平安颂"')

    # a blank title is refused with a message, nothing saved
    response = client.post(url, {**post, "s0-1-title": "", "op": "save"})
    assert response.status_code == 422 and "需要标题" in response.content.decode()

    response = client.post(url, {**post, "op": "publish"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("meetings:template_detail", args=[copy.pk])
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.note == "部早会版"
    assert list(
        FlowItem.objects.filter(section__version=draft).values_list("title", "required")
    ) == [("平安颂", True), ("文化理念", False)]
    # the published version's editor sends back to the template
    assert client.get(url).status_code == 302

    # a new draft from the detail page, then the compare page
    response = client.post(
        reverse("meetings:template_detail", args=[copy.pk]), {"action": "draft", "note": "v2"}
    )
    v2 = copy.versions.get(number=2)
    assert response.url == reverse("meetings:template_version_edit", args=[v2.pk])
    compare = client.get(reverse("meetings:template_compare", args=[copy.pk]) + "?a=1&b=2")
    assert compare.status_code == 200
    for bad in ("abc", "99999999999999999999"):  # core/params.py: 400 naming it, never 500
        compare = client.get(reverse("meetings:template_compare", args=[copy.pk]), {"b": bad})
        assert (compare.status_code, compare.content.decode()[:3]) == (400, "b: "), bad


def test_other_department_gets_403_on_the_editor(world, default, client):
    copy = _copy_for_dept(world, default)
    draft = copy.versions.get()
    other = make_user("other_dept_manager", Role.DEPT_MANAGER, world.dept_a2)
    client.force_login(other)
    # dept_a2 does not even see dept_a1's template
    assert client.get(reverse("meetings:template_version_edit", args=[draft.pk])).status_code == 404
    client.force_login(world.district_manager)  # reads it, but it is the department's own
    assert client.get(reverse("meetings:template_version_edit", args=[draft.pk])).status_code == 403
    client.force_login(world.agent_user)
    assert client.get(reverse("meetings:template_version_edit", args=[draft.pk])).status_code == 403


# -- API ---------------------------------------------------------------------------------------


def test_api_lists_scoped_templates_with_nested_detail(
    world, default, api_client, django_assert_max_num_queries
):
    copy = _copy_for_dept(world, default)
    default_flow_template(district=world.district_b, acting_user=world.outsider)
    api_client.force_authenticate(world.dept_manager)
    with django_assert_max_num_queries(6):
        response = api_client.get(reverse("meetings-template-list"))
    assert response.status_code == 200
    assert {row["id"] for row in response.data["results"]} == {default.pk, copy.pk}
    version = default.versions.get()
    with django_assert_max_num_queries(8):
        detail = api_client.get(reverse("meetings-template-version-detail", args=[version.pk]))
    assert [s["title"] for s in detail.data["sections"]][:2] == ["会前准备", "晨会仪式"]
    assert detail.data["sections"][0]["items"][0]["title"] == "播放激励歌曲、散文"

    api_client.force_authenticate(world.outsider)
    assert api_client.get(reverse("meetings-template-detail", args=[copy.pk])).status_code == 404


def test_api_copy_draft_content_publish(world, default, api_client):
    api_client.force_authenticate(world.dept_manager)
    response = api_client.post(
        reverse("meetings-template-version-copy", args=[default.versions.get().pk]),
        {"unit": world.dept_a1.pk, "name": "东一部早会流程", "level": "department"},
        format="json",
    )
    assert response.status_code == 201, response.data
    draft_id = response.data["draft_version"]
    etag = api_client.get(reverse("meetings-template-version-detail", args=[draft_id]))["ETag"]
    response = api_client.put(
        reverse("meetings-template-version-content", args=[draft_id]),
        {"sections": ADAPTED, "note": "部早会版"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.data
    assert [i["title"] for i in response.data["sections"][0]["items"]] == ["平安颂", "文化理念"]
    response = api_client.post(
        reverse("meetings-template-version-publish", args=[draft_id]),
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 200 and response.data["published_at"]
    template_id = response.data["template"]
    response = api_client.post(
        reverse("meetings-template-drafts", args=[template_id]), {"note": "v2"}, format="json"
    )
    assert response.status_code == 201 and response.data["number"] == 2
    usable = api_client.get(
        reverse("meetings-template-usable"), {"unit": world.dept_a1.pk, "level": "department"}
    )
    assert [v["template"] for v in usable.data] == [template_id, default.pk]

    # an agent or the outsider cannot change it
    api_client.force_authenticate(world.agent_user)
    response = api_client.put(
        reverse("meetings-template-version-content", args=[response.data["id"]]),
        {"sections": ADAPTED, "version": response.data["version"]},
        format="json",
    )
    assert response.status_code in (403, 404)
    api_client.force_authenticate(world.outsider)
    response = api_client.post(
        reverse("meetings-template-version-copy", args=[default.versions.get().pk]),
        {"unit": world.dept_b1.pk},
        format="json",
    )
    assert response.status_code == 404


def test_api_default_needs_the_district(world, api_client):
    api_client.force_authenticate(world.dept_manager)
    url = reverse("meetings-template-default")
    assert api_client.post(url, {"district": world.district_a.pk}).status_code in (403, 404)
    api_client.force_authenticate(world.trainer)
    response = api_client.post(url, {"district": world.district_a.pk})
    assert response.status_code == 200 and response.data["is_default"]
    assert FlowTemplateVersion.objects.filter(template__unit=world.district_a).count() == 1


def test_demo_seeds_defaults_and_an_adapted_copy_once(world):
    from meetings.demo_parts import templates as demo

    demo.seed(seed=1, log=lambda _message: None)
    assert FlowTemplate.objects.filter(is_default=True).count() == 2  # both districts
    copy = FlowTemplate.objects.get(unit=world.dept_a1)
    assert list(copy.versions.values_list("number", flat=True)) == [1, 2]
    assert not copy.versions.filter(published_at__isnull=True).exists()
    assert versions_for(world.dept_a1, MeetingLevel.DEPARTMENT).first().number == 2
    demo.seed(seed=1, log=lambda _message: None)
    assert FlowTemplate.objects.count() == 3


def test_a_supervisor_adapts_a_copy_for_the_group_and_the_department_may_too(world, default):
    copy = services.template_copy(
        acting_user=world.supervisor,
        source=default.versions.get(),
        unit=world.group_a1_1,
        name="一组二早流程",
        level=MeetingLevel.GROUP,
    )
    draft = copy.versions.get()
    services.version_update_content(acting_user=world.supervisor, version=draft, sections=ADAPTED)
    services.version_publish(acting_user=world.dept_manager, version=draft)  # the group's dept
    assert versions_for(world.group_a1_1, MeetingLevel.GROUP).first() == draft
    assert versions_for(world.group_a1_2, MeetingLevel.GROUP).first().template == default
    with pytest.raises(PermissionDenied):  # not the supervisor's group
        services.template_copy(
            acting_user=world.supervisor, source=default.versions.get(), unit=world.group_a1_2
        )
