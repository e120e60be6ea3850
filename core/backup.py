"""Backup and restore of a whole database: `manage.py backup_db FILE`, `manage.py restore_db FILE`.

- SQLite: SQLite's online backup API (a consistent copy while the app keeps running), written as
  one self-contained file (journal mode DELETE, no -wal/-shm beside it). Restore copies the file
  back through the same API, page by page, into the configured database.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --no-owner
  --single-transaction` with the connection settings of DATABASES (the password through
  PGPASSWORD, never on the command line). The client programs must be installed (postgresql-client,
  of the server's major version or newer).

A restore replaces everything in the target database: stop the app first. The personal-data keys
(DJANGO_FIELD_ENCRYPTION_KEYS, DJANGO_FIELD_HASH_KEY) are not in the backup: keep them apart.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    pass


def database_backup(*, path: Path, using: str = "default") -> None:
    """Write a backup of the database `using` to `path` (replaced only once complete)."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    vendor = connections[using].vendor
    try:
        if vendor == "sqlite":
            _sqlite_backup(using, partial)
        elif vendor == "postgresql":
            _pg_run("pg_dump", using, ["--format=custom", f"--file={partial}"])
        else:
            raise BackupError(f"Backup of a {vendor} database is not supported.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def database_restore(*, path: Path, using: str = "default") -> None:
    """Replace the whole content of the database `using` with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connection = connections[using]
    # Our own connection must hold no lock on what is dropped and rewritten.
    connection.close()
    if connection.vendor == "sqlite":
        _sqlite_restore(using, path)
    elif connection.vendor == "postgresql":
        _pg_run(
            "pg_restore",
            using,
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
        )
    else:
        raise BackupError(f"Restore into a {connection.vendor} database is not supported.")
    connection.close()


def _sqlite_backup(using: str, target_path: Path) -> None:
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        # The live connection works for file and in-memory databases alike.
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite backup failed: {exc}") from exc
    finally:
        target.close()


def _sqlite_restore(using: str, path: Path) -> None:
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite backup.")
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite quick_check failed).")
        connection = connections[using]
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite restore failed: {exc}") from exc
    finally:
        source.close()


def _pg_run(program: str, using: str, arguments: list[str]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} not found: install the PostgreSQL client programs (postgresql-client)."
        )
    settings = connections[using].settings_dict
    env = os.environ.copy()
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = settings["OPTIONS"].get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    connect = [f"--dbname={settings['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings[key]:
            connect.append(f"{option}={settings[key]}")
    # The arguments come from the settings and the operator's command line, no shell involved.
    result = subprocess.run(  # noqa: S603
        [executable, "--no-password", *connect, *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")
