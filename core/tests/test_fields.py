"""Keys, hashes and error reports of personal data stored protected (core/fields.py)."""

import json
import sys

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import RequestFactory
from django.test.utils import isolate_apps

from core.field_keys import DEV_KEYS_FILE, ENCRYPTION_KEYS_VAR, HASH_KEY_VAR, field_keys
from core.fields import (
    PersonalDataReporterFilter,
    ProtectedCharField,
    ProtectedFieldsMixin,
    ProtectedQuerySet,
    SearchHashField,
    decrypt_value,
    encrypt_value,
    normalize_compact,
    normalize_phone,
    protected_model_errors,
    search_hash,
)


@pytest.fixture
def no_key_env(monkeypatch):
    monkeypatch.delenv(ENCRYPTION_KEYS_VAR, raising=False)
    monkeypatch.delenv(HASH_KEY_VAR, raising=False)


def test_without_keys_and_debug_off_the_settings_refuse_with_a_clear_message(no_key_env, tmp_path):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        field_keys(False, tmp_path)
    message = str(excinfo.value)
    assert ENCRYPTION_KEYS_VAR in message and HASH_KEY_VAR in message
    assert "DJANGO_DEBUG is off" in message
    assert not (tmp_path / DEV_KEYS_FILE).exists()


def test_with_debug_a_development_key_file_is_made_once(no_key_env, tmp_path):
    keys, hash_key = field_keys(True, tmp_path)
    path = tmp_path / DEV_KEYS_FILE
    assert path.exists()
    if sys.platform != "win32":
        assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert json.loads(path.read_text())["encryption_keys"] == keys
    assert field_keys(True, tmp_path) == (keys, hash_key)  # the same keys the next time
    Fernet(keys[0])


def test_keys_come_from_the_environment_first_encrypts(monkeypatch, tmp_path):
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(ENCRYPTION_KEYS_VAR, f"{new}, {old}")
    monkeypatch.setenv(HASH_KEY_VAR, "h" * 40)
    assert field_keys(False, tmp_path) == ([new, old], "h" * 40)
    assert not (tmp_path / DEV_KEYS_FILE).exists()


def test_a_malformed_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv(ENCRYPTION_KEYS_VAR, "not-a-fernet-key")
    monkeypatch.setenv(HASH_KEY_VAR, "h" * 40)
    with pytest.raises(ImproperlyConfigured, match="Fernet key"):
        field_keys(False, tmp_path)


def test_rotation_new_key_first_still_decrypts_old_values(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = encrypt_value("13812345678")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert decrypt_value(token) == "13812345678"
    rotated = encrypt_value(decrypt_value(token))
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert decrypt_value(rotated) == "13812345678"
    with pytest.raises(InvalidToken):
        decrypt_value(token)


def test_the_search_hash_is_keyed_and_normalised(settings):
    digest = search_hash("13812345678", normalize_phone)
    assert len(digest) == 64 and "13812345678" not in digest
    assert search_hash("138 1234-5678", normalize_phone) == digest
    assert search_hash("+86 13812345678", normalize_phone) == digest
    assert search_hash("11010119900101123x", normalize_compact) == search_hash(
        "11010119900101123X", normalize_compact
    )
    assert search_hash("", normalize_phone) == ""
    settings.FIELD_HASH_KEY = "another-key-" * 4
    assert search_hash("13812345678", normalize_phone) != digest


def test_error_reports_hide_personal_data_in_post_and_local_variables():
    request = RequestFactory().post(
        "/agents/1/edit/", {"name": "张三", "mobile": "13812345678", "id_number": "1101"}
    )
    reporter = PersonalDataReporterFilter()
    post = reporter.get_post_parameters(request)
    assert post["name"] == "张三"
    assert post["mobile"] != "13812345678"
    assert post["id_number"] != "1101"

    def service(fields):
        mobile = fields["mobile"]  # noqa: F841 - a local variable the report would show
        raise ValueError("boom")

    try:
        service({"mobile": "13812345678", "name": "张三"})
    except ValueError as exc:
        tb = exc.__traceback__
        while tb.tb_next:
            tb = tb.tb_next
        variables = dict(reporter.get_traceback_frame_variables(request, tb.tb_frame))
    assert "13812345678" not in repr(variables)
    assert variables["fields"]["name"] == "张三"


@isolate_apps("core")
def test_the_system_check_finds_a_hash_that_would_fall_out_of_step():
    class Loose(models.Model):  # noqa: DJ008
        phone = models.CharField(max_length=11)
        phone_hash = SearchHashField("phone")

        class Meta:
            app_label = "core"

    class Kept(ProtectedFieldsMixin, models.Model):  # noqa: DJ008
        phone = ProtectedCharField(max_length=11)
        phone_hash = SearchHashField("phone", normalize=normalize_phone)

        objects = ProtectedQuerySet.as_manager()

        class Meta:
            app_label = "core"

    ids = {error.id for error in protected_model_errors([Loose])}
    assert ids == {"core.E101", "core.E102", "core.E103"}
    assert protected_model_errors([Kept]) == []
