"""`manage.py backup_db FILE`: a consistent backup of the database while the app runs.

SQLite: online backup API, one file; PostgreSQL: pg_dump custom format. See core/backup.py."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = "Back up the whole database to FILE (SQLite: online backup; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to write (replaced if it exists).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias.")

    def handle(self, *args, **options):
        try:
            database_backup(path=options["file"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up database '{options['database']}' to {options['file']}.")
