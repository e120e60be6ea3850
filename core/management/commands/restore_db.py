"""`manage.py restore_db FILE`: replace the whole database with a backup from backup_db.

Stop the app first. SQLite: the backup API copies the file in; PostgreSQL: pg_restore --clean
--if-exists in one transaction (a failed restore leaves the database as it was)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from core.backup import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the whole database with the backup in FILE (made by backup_db)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup made by backup_db.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, **options):
        alias = options["database"]
        name = connections[alias].settings_dict["NAME"]
        if options["interactive"]:
            answer = input(
                f"This replaces every record in database '{name}' with {options['file']}.\n"
                "Type 'yes' to continue: "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            database_restore(path=options["file"], using=alias)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored database '{name}' from {options['file']}.")
