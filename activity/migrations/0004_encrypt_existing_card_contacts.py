"""Encrypt the contact numbers already stored on prospect and recruitment cards (no history
table keeps them). Idempotent; backwards it decrypts again."""

from django.db import migrations

from core.fields import encrypt_columns


def forwards(apps, schema_editor):
    for name in ("ProspectCard", "RecruitCard"):
        encrypt_columns(schema_editor, apps.get_model("activity", name), {"contact": None})


def backwards(apps, schema_editor):
    for name in ("ProspectCard", "RecruitCard"):
        encrypt_columns(
            schema_editor, apps.get_model("activity", name), {"contact": None}, reverse=True
        )


class Migration(migrations.Migration):
    dependencies = [("activity", "0003_card_contact_encrypted")]

    operations = [migrations.RunPython(forwards, backwards)]
