"""Web and API hygiene (issue 20): the API schema and docs behind log-in, request bodies bounded
with a clear 413/400 (never 500), and every upload route deciding the file type by content."""

from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.services import api_token_create
from core.hygiene import permissions_policy
from core.imports import Importer
from meetings.models import MeetingMaterial, TrainingMaterial
from meetings.services import groups as group_services
from meetings.tests.test_records_helpers import dept_meeting
from plans.models import Attachment
from plans.tests.conftest import district_plan, kinds, pw

__all__ = ["dept_meeting", "kinds", "pw"]

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# -- /api/schema/ and /api/docs/ -----------------------------------------------------------------


def test_schema_and_docs_need_a_signed_in_user(client, world):
    schema = client.get("/api/schema/")
    assert schema.status_code in (401, 403)
    assert b"openapi" not in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("accounts:login"))
    assert client.get("/api/docs/?script=").status_code == 302

    _token, key = api_token_create(user=world.agent_user)
    schema = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {key}")
    assert schema.status_code == 200 and b"openapi" in schema.content

    client.force_login(world.agent_user)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    script = client.get("/api/docs/?script=")  # the start-up script, not inline (the CSP)
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert b"SwaggerUIBundle" in script.content


def test_a_setting_opens_schema_and_docs(client, world, settings):
    assert django_settings.API_SCHEMA_PUBLIC is False  # closed unless opened
    settings.API_SCHEMA_PUBLIC = True
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


# -- request body limits -------------------------------------------------------------------------


def test_the_body_limit_admits_the_largest_upload():
    largest = max(
        [Attachment.MAX_SIZE, MeetingMaterial.MAX_SIZE, TrainingMaterial.MAX_SIZE]
        + [Importer.max_upload_bytes]
        + [importer.max_upload_bytes for importer in Importer.__subclasses__()]
    )
    assert largest < django_settings.MAX_REQUEST_BODY_SIZE <= largest + 10 * 1024 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024


def test_an_oversized_upload_is_refused_with_413_before_it_is_read(
    client, api_client, pw, settings
):
    settings.MAX_REQUEST_BODY_SIZE = 4096
    _document, version = district_plan(pw)
    client.force_login(pw.district_manager)
    big = SimpleUploadedFile("plan.pdf", PDF + b"0" * 8192)
    response = client.post(reverse("plans:attachment_add", args=[version.pk]), {"file": big})
    assert response.status_code == 413
    assert "0.0 MB" not in response.content.decode()
    assert "MB" in response.content.decode()

    api_client.force_authenticate(pw.district_manager)
    big.seek(0)
    response = api_client.post(
        reverse("document-version-attachments", args=[version.pk]),
        {"file": big},
        format="multipart",
    )
    assert response.status_code == 413 and "MB" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_oversized_forms_and_json_get_413_and_big_form_fields_400(client, api_client, pw, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    _document, version = district_plan(pw)
    client.force_login(pw.district_manager)
    edit = reverse("plans:version_edit", args=[version.pk])
    form = urlencode({"title": "x", "body": "<p>" + "长" * 2000 + "</p>"})
    response = client.post(edit, form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    version.refresh_from_db()
    assert version.title != "x"

    api_client.force_authenticate(pw.district_manager)
    response = api_client.patch(
        reverse("document-version-detail", args=[version.pk]),
        {"body": "x" * 5000},
        format="json",
    )
    assert response.status_code == 413

    # A file upload whose form fields alone are too big: Django's own check answers 400.
    response = client.post(
        reverse("plans:attachment_add", args=[version.pk]),
        {"file": SimpleUploadedFile("plan.pdf", PDF), "note": "x" * 5000},
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()


# -- upload type by content, on every upload route -----------------------------------------------


def _training(world):
    group = group_services.function_group_create(
        acting_user=world.district_manager,
        district=world.district_a,
        name="营业区早会功能组",
        purpose="共同制定小组工作职责",
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
    return group, training


def _routes(pw, world, meeting):
    _document, version = district_plan(pw)
    group, training = _training(world)
    training_page = reverse("meetings:function_group_material_add", args=[group.pk, training.pk])
    return [
        # (route, page or API, who may upload there, URL, the model it would create)
        (
            "plans page",
            "web",
            pw.district_manager,
            reverse("plans:attachment_add", args=[version.pk]),
            Attachment,
        ),
        (
            "plans API",
            "api",
            pw.district_manager,
            reverse("document-version-attachments", args=[version.pk]),
            Attachment,
        ),
        (
            "meeting page",
            "web",
            world.assistant,
            reverse("meetings:meeting_material_add", args=[meeting.pk]),
            MeetingMaterial,
        ),
        (
            "meeting API",
            "api",
            world.assistant,
            reverse("meetings-record-materials", args=[meeting.pk]),
            MeetingMaterial,
        ),
        ("training page", "web", world.trainer, training_page, TrainingMaterial),
        (
            "training API",
            "api",
            world.district_manager,
            reverse("meetings-training-materials", args=[training.pk]),
            TrainingMaterial,
        ),
    ]


def test_an_executable_renamed_pdf_is_refused_on_every_upload_route(
    client, api_client, pw, world, dept_meeting
):
    for name, kind, user, url, model in _routes(pw, world, dept_meeting):
        if kind == "web":
            client.force_login(user)
            response = client.post(
                url, {"file": SimpleUploadedFile("报告.pdf", EXECUTABLE)}, follow=True
            )
            shown = " ".join(str(m) for m in response.context["messages"])
            assert "报告.pdf" in shown and "pdf" in shown, (name, shown)
        else:
            api_client.force_authenticate(user)
            response = api_client.post(
                url, {"file": SimpleUploadedFile("报告.pdf", EXECUTABLE)}, format="multipart"
            )
            assert response.status_code == 400, (name, response.status_code)
            assert "报告.pdf" in str(response.json()), name
        assert not model.objects.exists(), name
        # The same route takes a real PDF: the refusal was for the content.
        if kind == "web":
            client.post(url, {"file": SimpleUploadedFile("报告.pdf", PDF)})
        else:
            response = api_client.post(
                url, {"file": SimpleUploadedFile("报告.pdf", PDF)}, format="multipart"
            )
            assert response.status_code == 201, (name, response.status_code)
        assert model.objects.filter(content_type="application/pdf").count() == 1, name
        model.objects.all().delete()


def test_permissions_policy_header_text():
    assert permissions_policy({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )
