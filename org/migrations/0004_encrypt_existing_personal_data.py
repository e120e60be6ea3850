"""Encrypt the ID numbers and mobiles already stored (agents and their history rows) and fill
the search hashes. Idempotent; backwards it decrypts again (before the columns turn varchar)."""

from django.db import migrations

from core.fields import encrypt_columns

FIELDS = {"id_number": "id_number_hash", "mobile": "mobile_hash"}


def forwards(apps, schema_editor):
    for name in ("Agent", "HistoricalAgent"):
        encrypt_columns(schema_editor, apps.get_model("org", name), FIELDS)


def backwards(apps, schema_editor):
    for name in ("Agent", "HistoricalAgent"):
        encrypt_columns(schema_editor, apps.get_model("org", name), FIELDS, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("org", "0003_agent_personal_data_encrypted")]

    operations = [migrations.RunPython(forwards, backwards)]
