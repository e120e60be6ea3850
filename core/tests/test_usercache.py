"""The navigation's counts are cached per user and follow every committed change."""

import pytest
from django.urls import reverse

from notifications.models import Notification


@pytest.fixture
def nav_user(django_user_model):
    return django_user_model.objects.create_user(username="navuser", password="x")


def _unread_badge(client):
    response = client.get(reverse("notifications:list"))
    return response.context["nav"]["unread"]


def test_navigation_counts_follow_a_new_notification(client, nav_user):
    client.force_login(nav_user)
    assert _unread_badge(client) == 0
    Notification.objects.create(recipient=nav_user, kind="deadline", title="t")
    assert _unread_badge(client) == 1


def test_a_warm_page_pays_one_query_for_the_counts(client, nav_user):
    client.force_login(nav_user)
    client.get(reverse("notifications:list"))
    url = reverse("notifications:list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    cache_reads = [q for q in warm.captured_queries if "core_userfigures" in q["sql"]]
    assert len(cache_reads) == 1
    notification_counts = [
        q
        for q in warm.captured_queries
        if "notification" in q["sql"] and "read_at" in q["sql"] and "IS NULL" in q["sql"]
    ]
    assert notification_counts == []
