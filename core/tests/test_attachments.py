"""One attachment model (core.models.AttachmentBase), one upload check (the type decided by the
content, not only the extension) and one scoped download view behind every app's URL."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.attachments import attachment_for_user, attachment_models, visible_owners
from core.models import AttachmentBase
from core.tests.files import ooxml, upload
from core.uploads import check_upload
from meetings import access as meetings_access
from meetings.models import MeetingMaterial, TrainingMaterial
from meetings.services import groups as group_services
from meetings.services import records as record_services
from meetings.tests.test_records_helpers import dept_meeting
from plans import services as plan_services
from plans.models import Attachment
from plans.tests.conftest import district_plan, kinds, pw

__all__ = ["dept_meeting", "kinds", "pw"]

ALL = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "txt")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# -- the upload check ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [f"file.{ext}" for ext in ALL])
def test_real_files_of_each_type_are_accepted_with_their_content_type(name):
    content_type = check_upload(upload(name), extensions=ALL, max_size=1024 * 1024)
    assert content_type and "/" in content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),  # a Windows program renamed
        ("report.pdf", b"\x7fELF\x02\x01\x01\x00"),  # a Linux program renamed
        ("photo.png", b"%PDF-1.4"),  # a PDF is not a PNG
        ("photo.jpg", b"\x89PNG\r\n\x1a\n"),
        ("plan.docx", ooxml("xlsx")),  # a workbook is not a document
        ("plan.docx", b"PK\x03\x04not really a zip"),
        ("sheet.xlsx", b"just text"),
        ("old.doc", b"%PDF-1.4"),
        ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00"),  # binary
        ("empty.pdf", b""),
    ],
)
def test_content_of_another_type_is_refused_whatever_the_name(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content), extensions=ALL, max_size=1024 * 1024)
    assert name in " ".join(refused.value.messages)


def test_an_executable_renamed_pdf_is_refused_on_every_upload(pw, world, dept_meeting):
    fake = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    _document, version = district_plan(pw)
    with pytest.raises(ValidationError):
        plan_services.attachment_add(
            acting_user=pw.district_manager,
            version=version,
            file=SimpleUploadedFile("计划.pdf", fake),
        )
    with pytest.raises(ValidationError):
        record_services.material_add(
            acting_user=world.assistant,
            meeting=dept_meeting,
            upload=SimpleUploadedFile("slides.pdf", fake),
        )
    assert not Attachment.objects.exists() and not MeetingMaterial.objects.exists()


# -- the model -----------------------------------------------------------------------------------


def test_the_three_attachment_models_share_one_base():
    assert set(attachment_models()) == {"plans", "meeting", "training"}
    for model in (Attachment, MeetingMaterial, TrainingMaterial):
        assert issubclass(model, AttachmentBase)
        names = {f.name for f in model._meta.get_fields()}
        assert {
            "file",
            "original_name",
            "size",
            "content_type",
            "uploaded_by",
            "uploaded_at",
            "removed_at",
            "removed_by",
        } <= names


def test_uploads_record_their_content_type_and_removal_keeps_the_row(world, dept_meeting):
    material = record_services.material_add(
        acting_user=world.assistant, meeting=dept_meeting, upload=upload("议程.docx")
    )
    assert material.content_type.endswith("wordprocessingml.document")
    assert material.file.name.startswith(f"meetings/{timezone.now():%Y/%m}/")
    record_services.material_remove(acting_user=world.assistant, material=material)
    material.refresh_from_db()
    assert (material.removed_by, material.removed_at is not None) == (world.assistant, True)
    assert MeetingMaterial.objects.filter(pk=material.pk).exists()


# -- the one download view -------------------------------------------------------------------------


def _training_material(world):
    group = group_services.function_group_create(
        acting_user=world.district_manager,
        district=world.district_a,
        name="早会功能组",
        purpose="制定职责",
        leader=world.trainer,
    )
    training = group_services.training_save(
        acting_user=world.trainer,
        group=group,
        day=timezone.localdate(),
        content="早会流程培训",
        trainer=world.trainer,
        attendees=[],
    )
    return group_services.training_material_add(
        acting_user=world.trainer, training=training, file=upload("流程.pdf")
    )


def test_every_apps_url_is_served_by_the_one_scoped_view(client, pw, dept_meeting):
    world = pw
    _document, version = district_plan(pw)
    attachment = plan_services.attachment_add(
        acting_user=pw.district_manager, version=version, file=upload("计划.xlsx")
    )
    material = record_services.material_add(
        acting_user=world.assistant, meeting=dept_meeting, upload=upload("slides.pptx")
    )
    training_material = _training_material(world)
    urls = {
        reverse("plans:attachment_download", args=[attachment.pk]): pw.district_manager,
        reverse(
            "meetings:meeting_material_download", args=[dept_meeting.pk, material.pk]
        ): world.assistant,
        reverse("meetings:function_group_material", args=[training_material.pk]): world.trainer,
    }
    for url, reader in urls.items():
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment")
        client.force_login(world.outsider)
        assert client.get(url).status_code == 404, url
    client.force_login(pw.district_manager)
    response = client.get(reverse("plans:attachment_download", args=[attachment.pk]))
    assert response["Content-Type"].endswith("spreadsheetml.sheet")

    # the meeting's id in the URL must be the material's meeting
    client.force_login(world.assistant)
    wrong = reverse("meetings:meeting_material_download", args=[dept_meeting.pk + 1, material.pk])
    assert client.get(wrong).status_code == 404


def test_removed_files_are_served_only_where_the_app_says(client, pw, dept_meeting):
    world = pw
    _document, version = district_plan(pw)
    attachment = plan_services.attachment_add(
        acting_user=pw.district_manager, version=version, file=upload("计划.pdf")
    )
    plan_services.attachment_remove(acting_user=pw.district_manager, attachment=attachment)
    client.force_login(pw.district_manager)
    assert client.get(reverse("plans:attachment_download", args=[attachment.pk])).status_code == 404

    material = record_services.material_add(
        acting_user=world.assistant, meeting=dept_meeting, upload=upload("slides.pdf")
    )
    record_services.material_remove(acting_user=world.assistant, material=material)
    url = reverse("meetings:meeting_material_download", args=[dept_meeting.pk, material.pk])
    client.force_login(world.assistant)  # writes the meeting: still sees removed files
    assert client.get(url).status_code == 200
    client.force_login(world.agent_user)  # reads it only
    assert client.get(url).status_code == 404


def test_visibility_comes_from_the_owner(pw, dept_meeting):
    world = pw
    # plan versions have visible_to(user): it is used
    from plans.models import DocumentVersion

    _document, version = district_plan(pw)
    assert set(visible_owners(Attachment, pw.outsider)) == set(
        DocumentVersion.objects.visible_to(pw.outsider)
    )
    # meetings have no visible_to yet: the app's own check is used
    readable = meetings_access.readable(dept_meeting.__class__.objects.all(), world.agent_user)
    assert set(visible_owners(MeetingMaterial, world.agent_user)) == set(readable)
    with pytest.raises(Http404):
        attachment_for_user("nonsense", world.assistant, 1)
