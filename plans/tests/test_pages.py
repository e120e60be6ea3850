"""The pages: list, new document, version page with its actions, edit, compare, attachments."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from approvals.tests.helpers import step_of
from conftest import make_user
from org.models import Unit, UnitKind
from plans import services
from plans.models import Attachment, Document, DocumentVersion, VersionState
from plans.tests.conftest import (
    department_plan,
    district_plan,
    district_regulation,
    published_district_plan,
    refresh,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_list_shows_documents_in_scope_only(client, pw):
    district_plan(pw)
    department_plan(pw)
    client.force_login(pw.dept_manager)
    response = client.get(reverse("plans:document_list"), {"period": "2026"})
    assert response.status_code == 200
    titles = [d.title for d in response.context["page"]]
    assert titles == ["东一部 2026-03 营业部活动量管理计划"]  # the draft district plan is hidden
    assert "草稿" in response.content.decode()  # the state's label
    client.force_login(pw.outsider)
    response = client.get(reverse("plans:document_list"), {"period": "2026"})
    assert list(response.context["page"]) == []


def test_list_filters_by_unit_kind_and_period(client, pw):
    district_plan(pw)
    department_plan(pw)
    department_plan(pw, day=date(2026, 4, 2))
    client.force_login(pw.district_manager)
    url = reverse("plans:document_list")

    def titles(**params):
        return sorted(d.title for d in client.get(url, params).context["page"])

    assert len(titles(period="2026")) == 3
    assert len(titles(period="2026-03")) == 2  # March's plan and the year's plan
    assert titles(period="2026-04", kind=pw.kinds.department_activity_plan.pk) == [
        "东一部 2026-04 营业部活动量管理计划"
    ]
    assert len(titles(period="2026", unit=pw.dept_a1.pk)) == 2
    assert titles(period="2025") == []


def test_list_query_count_does_not_grow_with_documents(client, pw):
    client.force_login(pw.district_manager)
    url = reverse("plans:document_list") + "?period=2026"

    def count():
        client.get(url)  # warm caches (content types, kind names)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for month in range(1, 4):
        department_plan(pw, day=date(2026, month, 1))
    few = count()
    for month in range(4, 13):
        department_plan(pw, day=date(2026, month, 1))
    assert Document.objects.count() == 12
    assert count() == few


def test_detail_query_count_does_not_grow_with_versions_and_units(client, pw):
    document, version = published_district_plan(pw)
    client.force_login(pw.district_manager)

    def count(version):
        url = reverse("plans:version_detail", args=[version.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count(version)
    for n in range(3):
        Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"新部{n}", code=f"N{n}", parent=pw.district_a
        )
    new = services.version_new(acting_user=pw.district_manager, document=document)
    services.version_submit(acting_user=pw.district_manager, version=new)
    services.version_approve(acting_user=pw.marketing, version=new, expected_step=step_of(new))
    services.version_publish(acting_user=pw.district_manager, version=refresh(new))
    assert refresh(new).acknowledgements.count() == 5
    assert count(refresh(new)) <= few + 1  # +1: the document now has a history of changes


def test_create_page_offers_the_authors_units_and_creates_a_draft(client, pw):
    client.force_login(pw.assistant)
    response = client.get(reverse("plans:document_create"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["unit"].queryset) == [pw.dept_a1]
    response = client.post(
        reverse("plans:document_create"),
        {
            "kind": pw.kinds.department_activity_plan.pk,
            "unit": pw.dept_a1.pk,
            "period_start": "2026-05-20",
            "due_date": "2026-05-05",
        },
    )
    version = DocumentVersion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plans:version_edit", args=[version.pk])
    assert version.document.period_start == date(2026, 5, 1)


def test_create_page_is_refused_to_those_who_write_no_documents(client, pw):
    client.force_login(pw.supervisor)
    assert client.get(reverse("plans:document_create")).status_code == 403
    client.force_login(pw.marketing)
    assert client.get(reverse("plans:document_create")).status_code == 403


def test_create_page_shows_the_duplicate_error_on_the_form(client, pw):
    department_plan(pw)
    client.force_login(pw.assistant)
    response = client.post(
        reverse("plans:document_create"),
        {
            "kind": pw.kinds.department_activity_plan.pk,
            "unit": pw.dept_a1.pk,
            "period_start": "2026-03-20",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["period_start"]


def test_edit_submit_approve_publish_acknowledge_through_the_pages(client, pw):
    _document, version = district_regulation(pw)
    client.force_login(pw.district_admin)
    edit = reverse("plans:version_edit", args=[version.pk])
    response = client.get(edit)
    assert response.status_code == 200
    assert b'data-richtext="1"' in response.content
    assert b"js/richtext.js" in response.content
    response = client.post(
        edit,
        {
            "title": "差勤管理规定（2026）",
            "body": "<p>一</p><p>二</p>",
            "effective_date": "",
            "version": refresh(version).version,
        },
    )
    assert response.status_code == 302
    assert refresh(version).title == "差勤管理规定（2026）"

    page = reverse("plans:version_detail", args=[version.pk])
    assert b"version_submit" not in client.get(page).content
    assert client.post(reverse("plans:version_submit", args=[version.pk])).status_code == 302
    assert refresh(version).state == VersionState.SUBMITTED

    client.force_login(pw.marketing)
    response = client.get(page)
    assert response.context["actions"].approve
    response = client.post(
        reverse("plans:version_approve", args=[version.pk]), {"comment": "同意", "step": 1}
    )
    assert response.status_code == 302
    assert refresh(version).state == VersionState.APPROVED

    client.force_login(pw.district_admin)
    assert client.get(page).context["actions"].publish
    assert client.post(reverse("plans:version_publish", args=[version.pk])).status_code == 302
    assert refresh(version).state == VersionState.PUBLISHED

    client.force_login(pw.dept_manager)
    response = client.get(page)
    assert [row.unit for row in response.context["actions"].acknowledge] == [pw.dept_a1]
    response = client.post(
        reverse("plans:version_acknowledge", args=[version.pk]), {"unit": pw.dept_a1.pk}
    )
    assert response.status_code == 302
    board = client.get(page).context["board"]
    assert (board.acknowledged, board.total) == (1, 2)
    trail = [row["action"] for row in client.get(page).context["trail"]]
    assert trail == ["submit", "approve", "publish", "acknowledge"]


def test_a_conflict_rerenders_the_page_with_a_warning(client, pw):
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)
    services.version_approve(
        acting_user=pw.marketing, version=version, expected_step=step_of(version)
    )
    second_marketing = make_user("marketing2", Role.MARKETING, pw.branch)
    client.force_login(second_marketing)
    response = client.post(
        reverse("plans:version_approve", args=[version.pk]), {"comment": "", "step": 1}
    )
    assert response.status_code == 409
    messages = [str(m) for m in response.context["messages"]]
    assert any("marketing" in m for m in messages), messages
    assert "alert-warning" in response.content.decode()


def test_return_without_a_reason_shows_the_error(client, pw):
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)
    client.force_login(pw.marketing)
    response = client.post(reverse("plans:version_return", args=[version.pk]), {"step": 1})
    assert response.status_code == 400
    assert response.context["return_form"].errors["comment"]
    assert refresh(version).state == VersionState.SUBMITTED
    client.post(
        reverse("plans:version_return", args=[version.pk]), {"comment": "补充细则", "step": 1}
    )
    client.force_login(pw.district_admin)
    response = client.get(reverse("plans:version_detail", args=[version.pk]))
    assert response.context["actions"].edit and response.context["actions"].submit
    assert "补充细则" in response.content.decode().split('id="returned-reason"')[1][:300]


def test_approve_by_someone_else_is_403_and_outside_scope_is_404(client, pw):
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)
    url = reverse("plans:version_approve", args=[version.pk])
    client.force_login(pw.assistant)
    assert client.post(url, {"step": 1}).status_code == 403
    client.force_login(pw.outsider)
    assert client.post(url, {"step": 1}).status_code == 404
    assert client.get(reverse("plans:version_detail", args=[version.pk])).status_code == 404
    # the supervisor sees their group, not the department's drafts
    client.force_login(pw.supervisor)
    assert client.post(url, {"step": 1}).status_code == 404
    assert refresh(version).state == VersionState.SUBMITTED


def test_published_version_cannot_be_edited_through_the_page(client, pw):
    _document, version = published_district_plan(pw)
    client.force_login(pw.district_manager)
    response = client.post(
        reverse("plans:version_edit", args=[version.pk]), {"title": "x", "body": "y"}
    )
    assert response.status_code == 302
    assert refresh(version).title != "x"


def test_readers_through_publication_see_published_versions_not_drafts(client, pw):
    document, v1 = published_district_plan(pw)
    v2 = services.version_new(acting_user=pw.district_manager, document=document)
    client.force_login(pw.assistant)  # department A1: a target of the district's plan
    response = client.get(reverse("plans:document_detail", args=[document.pk]))
    assert response.status_code == 200
    assert response.context["version"] == v1
    assert [v.number for v in response.context["versions"]] == [1]
    assert client.get(reverse("plans:version_detail", args=[v2.pk])).status_code == 404
    client.force_login(pw.supervisor)  # groups are not targets of a district document
    assert client.get(reverse("plans:document_detail", args=[document.pk])).status_code == 404


def test_compare_shows_both_versions_side_by_side(client, pw):
    document, _v1 = published_district_plan(pw)
    v2 = services.version_new(acting_user=pw.district_manager, document=document)
    services.version_update(
        acting_user=pw.district_manager,
        version=v2,
        body="<p>早会八点开始</p><ul><li>新增：点名</li></ul><p>&lt;注意&gt;</p>",
    )
    client.force_login(pw.district_manager)
    response = client.get(reverse("plans:document_compare", args=[document.pk]), {"a": 1, "b": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "早会八点<span" in html and "早会八点开始" in html  # 半 removed, marked inline
    assert "• 新增：点名" in html
    assert "&lt;注意&gt;" in html
    assert "bg-success-subtle" in html
    assert "nowrap" not in html
    url = reverse("plans:document_compare", args=[document.pk])
    for bad in ("abc", "99999999999999999999", "-1"):  # core/params.py: 400 naming it
        response = client.get(url, {"a": bad, "b": 2})
        assert (response.status_code, response.content.decode()[:3]) == (400, "a: "), bad


def test_attachments_upload_download_and_limits(client, pw):
    _document, version = district_plan(pw)
    client.force_login(pw.district_manager)
    url = reverse("plans:attachment_add", args=[version.pk])
    client.post(url, {"file": SimpleUploadedFile("计划.pdf", b"%PDF-1.4 test")})
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.size) == ("计划.pdf", 13)
    response = client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert any("exe" in str(m) for m in response.context["messages"])
    assert Attachment.objects.count() == 1

    download = client.get(reverse("plans:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    client.force_login(pw.outsider)
    assert client.get(reverse("plans:attachment_download", args=[attachment.pk])).status_code == 404


def test_attachment_size_limit(pw, settings):
    _document, version = district_plan(pw)
    big = SimpleUploadedFile("big.pdf", b"x")
    big.size = Attachment.MAX_SIZE + 1
    with pytest.raises(Exception) as exc:
        services.attachment_add(acting_user=pw.district_manager, version=version, file=big)
    assert "10" in str(exc.value)


def test_new_version_copies_attachments(client, pw):
    document, version = district_plan(pw)
    services.attachment_add(
        acting_user=pw.district_manager, version=version, file=SimpleUploadedFile("a.txt", b"hi")
    )
    services.version_submit(acting_user=pw.district_manager, version=version)
    services.version_approve(
        acting_user=pw.marketing, version=version, expected_step=step_of(version)
    )
    services.version_publish(acting_user=pw.district_manager, version=refresh(version))
    client.force_login(pw.district_manager)
    response = client.post(reverse("plans:version_new", args=[version.pk]))
    v2 = document.versions.get(number=2)
    assert response.url == reverse("plans:version_edit", args=[v2.pk])
    assert [a.original_name for a in v2.attachments.all()] == ["a.txt"]


def test_pages_render_for_a_reader(client, pw):
    document, version = published_district_plan(pw)
    client.force_login(pw.marketing)
    for url in [
        reverse("plans:document_list"),
        reverse("plans:document_detail", args=[document.pk]),
        reverse("plans:version_detail", args=[version.pk]),
        reverse("plans:document_compare", args=[document.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("plans:version_edit", args=[version.pk])).status_code == 403


def test_agents_have_no_plans_pages(client, pw):
    client.force_login(pw.agent_user)
    assert client.get(reverse("plans:document_list")).status_code == 403


def test_removed_attachment_is_kept_but_off_the_version(world):
    from plans.models import DocumentKind

    kind = DocumentKind.objects.get(code="department_activity_plan")
    document = services.document_create(
        acting_user=world.assistant,
        kind=kind,
        unit=world.dept_a1,
        period_start=date(2026, 3, 1),
        title="三月计划",
    )
    version = document.versions.get()
    attachment = services.attachment_add(
        acting_user=world.assistant,
        version=version,
        file=SimpleUploadedFile("预算.txt", "预算".encode(), content_type="text/plain"),
    )
    services.attachment_remove(acting_user=world.assistant, attachment=attachment)
    assert not version.attachments.exists()
    kept = Attachment._base_manager.get(pk=attachment.pk)
    assert kept.removed_by == world.assistant and kept.removed_at is not None
