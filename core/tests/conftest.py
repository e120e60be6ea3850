"""The scope world (core/tests/scope_world.py), built once per test module."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from core.tests.scope_world import build_world


@pytest.fixture(scope="module")
def sw(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at the end (each
    test runs in a savepoint of it)."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        with transaction.atomic():
            world = build_world()
            yield world
            transaction.set_rollback(True)


@pytest.fixture
def client_for(sw, db):
    def make(role):
        client = Client()
        client.force_login(sw.users[role])
        return client

    return make
