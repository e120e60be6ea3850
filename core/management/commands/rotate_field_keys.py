"""Re-encrypt every protected field with the first key and recompute every search hash.

Key rotation (README): put the new key first in DJANGO_FIELD_ENCRYPTION_KEYS (keep the old one
after it), run this command, then drop the old key. Also run it after changing
DJANGO_FIELD_HASH_KEY: until then, exact-match search does not find the old rows. Covers the
history tables too. Writes through bulk_update: no history rows, no changed `updated_at`.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.fields import hash_fields, protected_fields

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt protected fields with the first key and recompute their search hashes."

    def handle(self, *args, **options):
        for model in apps.get_models():
            fields = protected_fields(model)
            if not fields:
                continue
            hashes = hash_fields(model)
            names = [f.name for f in fields] + [f.name for f in hashes]
            manager = model._base_manager
            count = 0
            with transaction.atomic():
                batch = []
                for obj in manager.only("pk", *names).order_by("pk").iterator(chunk_size=BATCH):
                    for field in hashes:
                        setattr(obj, field.attname, field.hash(getattr(obj, field.source)))
                    batch.append(obj)
                    if len(batch) == BATCH:
                        manager.bulk_update(batch, names)
                        count += len(batch)
                        batch = []
                if batch:
                    manager.bulk_update(batch, names)
                    count += len(batch)
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
