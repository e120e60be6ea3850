"""`manage.py check --deploy` passes with production-like settings (DEBUG off, real secret key)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]


def _check_deploy(**env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "example.com",
            **env_vars,
        }
    )
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_check_deploy_has_no_warnings():
    returncode, output = _check_deploy(
        DJANGO_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_FIELD_HASH_KEY=secrets.token_urlsafe(48),
    )
    assert returncode == 0, output
    assert "WARNINGS" not in output, output
    assert "ERRORS" not in output, output
    assert "?: (security" not in output, output


def test_production_refuses_to_start_without_the_personal_data_keys():
    returncode, output = _check_deploy()
    assert returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEYS and DJANGO_FIELD_HASH_KEY must be set" in output
    assert ".dev-field-keys.json" not in output
