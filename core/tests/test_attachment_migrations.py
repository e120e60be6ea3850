"""The attachment base's migrations keep every existing row and file, and fill the new content
type from the file name."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0003_attachment_soft_remove"), ("meetings", "0001_initial")]
AFTER = [
    ("plans", "0004_attachment_base_content_type"),
    ("meetings", "0002_attachment_base_content_type_removed_by"),
]


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_attachments_are_kept_and_get_a_content_type(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Unit = old.get_model("org", "Unit")
    user = User.objects.create(username="old-uploader", full_name="老用户")
    unit = Unit.objects.create(kind="district", name="老区", code="OLD", path="/old/")
    kind = old.get_model("plans", "DocumentKind").objects.first()
    if kind is None:  # pragma: no cover - the built-in kinds are data migrations of plans
        pytest.skip("no document kind to hang an old attachment on")
    document = old.get_model("plans", "Document").objects.create(
        kind=kind,
        unit=unit,
        period_type="year",
        period_start="2026-01-01",
        title="老计划",
        created_by=user,
    )
    version = old.get_model("plans", "DocumentVersion").objects.create(
        document=document, number=1, title="老计划", created_by=user
    )
    attachment = old.get_model("plans", "Attachment").objects.create(
        version=version, file="plans/2026/01/old.pdf", original_name="旧方案.PDF", size=123,
        uploaded_by=user,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    kept = new.get_model("plans", "Attachment").objects.get(pk=attachment.pk)
    assert (kept.file.name, kept.original_name, kept.size, kept.uploaded_by_id) == (
        "plans/2026/01/old.pdf",
        "旧方案.PDF",
        123,
        user.pk,
    )
    assert kept.content_type == "application/pdf"
    assert kept.removed_at is None and kept.removed_by_id is None
