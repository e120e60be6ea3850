"""Keys for personal data stored protected (core/fields.py), read once by the settings.

- DJANGO_FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys; the first encrypts, all decrypt
  (key rotation: put the new key first, run `manage.py rotate_field_keys`, drop the old key).
- DJANGO_FIELD_HASH_KEY: the secret of the keyed hashes (HMAC-SHA256) used for exact-match search.

With DEBUG on and a variable unset, a development key is generated once into an untracked local
file (DEV_KEYS_FILE), so a fresh clone runs without setup. With DEBUG off, a missing key stops the
server at start-up with a message saying what to set. This module imports nothing from Django
models: the settings import it.
"""

import json
import os
import secrets
import time
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

ENCRYPTION_KEYS_VAR = "DJANGO_FIELD_ENCRYPTION_KEYS"
HASH_KEY_VAR = "DJANGO_FIELD_HASH_KEY"
DEV_KEYS_FILE = ".dev-field-keys.json"
GENERATE_HINT = (
    "Generate an encryption key with: python -c "
    "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' "
    "and a hash key with: python -c 'import secrets; print(secrets.token_urlsafe(48))'. "
    "Keep both: data encrypted with a lost key cannot be read again."
)


def field_keys(debug: bool, base_dir: Path) -> tuple[list[str], str]:
    """(encryption keys, hash key) from the environment, or the development file with DEBUG."""
    keys = [k.strip() for k in os.environ.get(ENCRYPTION_KEYS_VAR, "").split(",") if k.strip()]
    hash_key = os.environ.get(HASH_KEY_VAR, "").strip()
    if not keys or not hash_key:
        if not debug:
            missing = [
                name
                for name, value in ((ENCRYPTION_KEYS_VAR, keys), (HASH_KEY_VAR, hash_key))
                if not value
            ]
            raise ImproperlyConfigured(
                f"{' and '.join(missing)} must be set when DJANGO_DEBUG is off "
                f"(personal data is stored encrypted). {GENERATE_HINT}"
            )
        dev = _dev_keys(base_dir / DEV_KEYS_FILE)
        keys = keys or dev["encryption_keys"]
        hash_key = hash_key or dev["hash_key"]
    for key in keys:
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{ENCRYPTION_KEYS_VAR}: each key must be a Fernet key (32 url-safe base64-encoded "
                f"bytes). {GENERATE_HINT}"
            ) from exc
    if len(hash_key) < 32:
        raise ImproperlyConfigured(
            f"{HASH_KEY_VAR} must be at least 32 characters. {GENERATE_HINT}"
        )
    return keys, hash_key


def _dev_keys(path: Path) -> dict:
    """Read the development keys, creating the file (mode 600) the first time."""
    if not path.exists():
        data = {
            "encryption_keys": [Fernet.generate_key().decode()],
            "hash_key": secrets.token_urlsafe(48),
        }
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(fd, "w") as file:
                json.dump(data, file, indent=2)
            return data
    for attempt in range(5):
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            error = exc
            time.sleep(0.1 * attempt)  # the creating process may still be writing it
    raise ImproperlyConfigured(
        f"{path} is unreadable; set {ENCRYPTION_KEYS_VAR} and {HASH_KEY_VAR}, or remove the "
        "file if the database holds no encrypted data yet."
    ) from error
