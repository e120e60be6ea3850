"""Small per-user figures (the navigation's 待办 and unread counts), kept across processes.

Every page shows them, and computing them runs every 待办 provider. They are stored per user
(`core.UserFigures`) with the site-wide *change stamp* (`core.ChangeStamp`) current when they were
computed: any write to a business record moves the stamp, in the same transaction, so stored
figures are used only while nothing has changed since. A page pays one query for them; the time
limit covers what changes with the clock alone (a deadline that has come). Both tables are written
with one upsert each and send no signals.
"""

import json
import time
from datetime import UTC, timedelta

from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.models import ChangeStamp, UserFigures

TTL = timedelta(seconds=60)
# Writes that never change anyone's 待办 or notifications: sessions, login bookkeeping, ourselves.
IGNORED_APPS = frozenset({"sessions", "axes", "admin", "contenttypes", "core"})


def cached_for_user(user, compute) -> dict:
    """`compute(user)` → a JSON-able dict, reused while no business record changed."""
    stamp_table = ChangeStamp._meta.db_table
    figures_table = UserFigures._meta.db_table
    with connection.cursor() as cursor:
        # One query for both rows; only table names are formatted in.
        sql = (
            f"SELECT (SELECT value FROM {stamp_table} WHERE id = 1), f.stamp, f.figures, "  # noqa: S608
            f"f.computed_at FROM (SELECT 1 AS one) AS o "
            f"LEFT JOIN {figures_table} f ON f.user_id = %s"
        )
        cursor.execute(sql, [user.pk])
        current, stamp, figures, computed_at = cursor.fetchone()
    current = current or 0
    if figures is not None and stamp == current:
        computed_at = _as_datetime(computed_at)
        if computed_at and timezone.now() - computed_at < TTL:
            return json.loads(figures)
    fresh = compute(user)
    UserFigures.objects.bulk_create(
        [
            UserFigures(
                user_id=user.pk,
                stamp=current,
                figures=json.dumps(fresh),
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["stamp", "figures", "computed_at"],
    )
    return fresh


def _as_datetime(value):
    """Raw SQL gives SQLite's timestamps as text or naive datetimes (stored in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def move_stamp() -> None:
    ChangeStamp.objects.bulk_create(
        [ChangeStamp(pk=1, value=time.time_ns())],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["value"],
    )


def record_changed(sender, **kwargs) -> None:
    """A business record was written: move the stamp in the same transaction (so a rollback
    takes the move back too), once per transaction however many rows it wrote.
    Bulk writes (`update()`, `bulk_create`) send no signal: the time limit covers them."""
    if _state["migrating"] or sender._meta.app_label in IGNORED_APPS:
        return
    # The outermost atomic block identifies the transaction (None: autocommit, always move).
    marker = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if marker is not None and getattr(connection, "_usercache_marker", None) is marker:
        return
    move_stamp()
    connection._usercache_marker = marker


def _forget_move(**kwargs) -> None:
    """A new request starts afresh (tests run many requests inside one transaction)."""
    connection._usercache_marker = None


# The tables may not exist yet while migrations run (data migrations save rows).
_state = {"migrating": False}


def _migrating(value: bool):
    def handler(**kwargs):
        _state["migrating"] = value

    return handler


def connect() -> None:
    post_save.connect(record_changed, dispatch_uid="usercache-save")
    post_delete.connect(record_changed, dispatch_uid="usercache-delete")
    request_started.connect(_forget_move, dispatch_uid="usercache-request-started")
    request_finished.connect(_forget_move, dispatch_uid="usercache-request-finished")
    pre_migrate.connect(_migrating(True), dispatch_uid="usercache-pre-migrate", weak=False)
    post_migrate.connect(_migrating(False), dispatch_uid="usercache-post-migrate", weak=False)
