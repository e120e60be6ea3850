"""API tokens (issue 20): they expire (idle and absolute limits, settings.API_TOKEN_*), are revoked
on a password change, deactivation and login lockout, and each user lists and revokes their own
(API and the preferences page), never another user's. A lockout answers 429 with Retry-After."""

from datetime import timedelta

import pytest
from axes.utils import reset as axes_reset
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from org.services.users import user_update

LOGIN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"
SOME_API = "/api/v1/agents/"
PASSWORD = "demo-pass-2026"


@pytest.fixture(autouse=True)
def no_lockouts(db):
    axes_reset()
    yield
    axes_reset()


def _login(api_client, username="supervisor", password=PASSWORD, **headers):
    response = api_client.post(
        LOGIN, {"username": username, "password": password}, format="json", **headers
    )
    assert response.status_code == 200, response.content
    return response.json()


def _works(api_client, key) -> bool:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = api_client.get(SOME_API).status_code
    api_client.credentials()
    assert status in (200, 401), status
    return status == 200


def _age(token_id, *, created=None, last_used=None):
    now = timezone.now()
    fields = {}
    if created is not None:
        fields["created"] = now - created
    if last_used is not None:
        fields["last_used"] = now - last_used
    ApiToken.objects.filter(pk=token_id).update(**fields)


# -- storage and expiry ------------------------------------------------------------------------


def test_only_a_digest_of_the_key_is_stored(api_client, world):
    issued = _login(api_client)
    token = ApiToken.objects.get(pk=issued["id"])
    assert issued["token"] not in {token.digest, token.label}
    assert token.digest == ApiToken.digest_of(issued["token"])


def test_each_login_is_a_token_of_its_own_and_both_work(api_client, world):
    first = _login(api_client, HTTP_USER_AGENT="phone")["token"]
    second = _login(api_client, HTTP_USER_AGENT="laptop")["token"]
    assert first != second
    assert _works(api_client, first) and _works(api_client, second)


def test_a_user_keeps_at_most_twenty_tokens_the_least_recently_used_goes(api_client, world):
    from accounts.services import MAX_TOKENS_PER_USER

    oldest = _login(api_client)
    _age(oldest["id"], last_used=timedelta(hours=1))
    for _login_number in range(MAX_TOKENS_PER_USER):
        newest = _login(api_client)
    assert ApiToken.objects.filter(user=world.supervisor).count() == MAX_TOKENS_PER_USER
    assert not _works(api_client, oldest["token"])
    assert _works(api_client, newest["token"])


def test_token_unused_for_the_idle_timeout_no_longer_works(api_client, world, settings):
    issued = _login(api_client)
    _age(issued["id"], last_used=settings.API_TOKEN_IDLE_TIMEOUT + timedelta(minutes=1))
    assert not _works(api_client, issued["token"])
    assert not ApiToken.objects.filter(pk=issued["id"]).exists()


def test_token_in_use_expires_at_its_maximum_age(api_client, world, settings):
    issued = _login(api_client)
    _age(issued["id"], created=settings.API_TOKEN_MAX_AGE + timedelta(minutes=1))
    assert not _works(api_client, issued["token"])


def test_token_used_within_the_limits_keeps_working(api_client, world, settings):
    issued = _login(api_client)
    _age(
        issued["id"],
        created=settings.API_TOKEN_MAX_AGE - timedelta(hours=1),
        last_used=settings.API_TOKEN_IDLE_TIMEOUT - timedelta(minutes=5),
    )
    assert _works(api_client, issued["token"])


def test_the_limits_are_settings(api_client, world, settings):
    settings.API_TOKEN_IDLE_TIMEOUT = timedelta(minutes=5)
    issued = _login(api_client)
    _age(issued["id"], last_used=timedelta(minutes=6))
    assert not _works(api_client, issued["token"])


def test_last_use_is_written_at_most_once_a_minute(api_client, world):
    issued = _login(api_client)
    _age(issued["id"], last_used=timedelta(seconds=20))
    before = ApiToken.objects.get(pk=issued["id"]).last_used
    assert _works(api_client, issued["token"])
    assert ApiToken.objects.get(pk=issued["id"]).last_used == before

    _age(issued["id"], last_used=timedelta(minutes=2))
    assert _works(api_client, issued["token"])
    assert timezone.now() - ApiToken.objects.get(pk=issued["id"]).last_used < timedelta(minutes=1)


# -- revocation --------------------------------------------------------------------------------


def test_changing_ones_password_on_the_web_revokes_ones_tokens(api_client, client, world):
    key = _login(api_client)["token"]
    other = _login(api_client, "district_admin")["token"]
    client.force_login(world.supervisor)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-pass-2027",
            "new_password2": "another-pass-2027",
        },
    )
    assert response.status_code == 302
    assert not _works(api_client, key)
    assert _works(api_client, other)


def test_the_administrators_password_reset_revokes_the_users_tokens(api_client, client, world):
    key = _login(api_client)["token"]
    client.force_login(world.admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[world.supervisor.pk]),
        {"password1": "another-pass-2027", "password2": "another-pass-2027"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not _works(api_client, key)


def test_any_password_change_revokes_the_tokens(api_client, world):
    """The same for every other path (an API or command that calls set_password)."""
    key = _login(api_client)["token"]
    world.supervisor.set_password("another-pass-2027")
    world.supervisor.save()
    assert not _works(api_client, key)


def test_deactivating_a_user_revokes_their_tokens(api_client, world):
    key = _login(api_client)["token"]
    user_update(acting_user=world.admin, user=world.supervisor, is_active=False)
    assert not ApiToken.objects.filter(user=world.supervisor).exists()
    user_update(acting_user=world.admin, user=world.supervisor, is_active=True)
    assert not _works(api_client, key)


def test_other_saves_of_the_user_keep_the_tokens(api_client, world):
    key = _login(api_client)["token"]
    user_update(acting_user=world.admin, user=world.supervisor, full_name="New Name")
    assert _works(api_client, key)


def test_a_lockout_revokes_the_users_tokens(api_client, world):
    key = _login(api_client)["token"]
    for _attempt in range(5):
        api_client.post(LOGIN, {"username": "supervisor", "password": "wrong"}, format="json")
    assert not ApiToken.objects.filter(user=world.supervisor).exists()
    axes_reset()
    assert not _works(api_client, key)


# -- the token endpoint and a lockout ----------------------------------------------------------


def test_a_successful_api_login_forgets_the_failed_attempts(api_client, world):
    for _round in range(2):
        for _attempt in range(4):
            response = api_client.post(
                LOGIN, {"username": "supervisor", "password": "wrong"}, format="json"
            )
            assert response.status_code == 400
        _login(api_client)
    assert world.supervisor.__class__.objects.get(pk=world.supervisor.pk).last_login


def test_a_locked_out_user_gets_429_with_retry_after(api_client, world, settings):
    for _attempt in range(5):
        api_client.post(LOGIN, {"username": "supervisor", "password": "wrong"}, format="json")

    response = api_client.post(
        LOGIN, {"username": "supervisor", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "token" not in response.json()
    cool_off = int(timedelta(hours=settings.AXES_COOLOFF_TIME).total_seconds())
    assert 0 < int(response["Retry-After"]) <= cool_off
    assert response.json()["detail"]


def test_retry_after_counts_from_the_latest_failure(api_client, world, settings):
    from axes.models import AccessAttempt

    # (by default each attempt during a lockout is a failure that starts the cool-off again)
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
    for _attempt in range(5):
        api_client.post(LOGIN, {"username": "supervisor", "password": "wrong"}, format="json")
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off + timedelta(minutes=2))
    response = api_client.post(
        LOGIN, {"username": "supervisor", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert 60 < int(response["Retry-After"]) <= 180


# -- listing and revoking one's own ------------------------------------------------------------


def test_a_user_lists_only_their_own_tokens(api_client, world):
    mine = _login(api_client, HTTP_USER_AGENT="phone app 1.0")
    _login(api_client, HTTP_USER_AGENT="laptop")
    theirs = _login(api_client, "district_admin")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    response = api_client.get(TOKENS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 2
    assert theirs["id"] not in {row["id"] for row in rows}
    row = next(row for row in rows if row["id"] == mine["id"])
    assert row["label"] == "phone app 1.0"
    assert row["current"] is True
    assert {"created", "last_used", "expires"} <= set(row)


def test_a_user_revokes_one_of_their_tokens(api_client, world):
    first = _login(api_client)
    second = _login(api_client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert api_client.delete(f"{TOKENS}{second['id']}/").status_code == 204
    assert _works(api_client, first["token"])
    assert not _works(api_client, second["token"])


def test_another_users_token_cannot_be_seen_or_revoked(api_client, world):
    mine = _login(api_client)
    theirs = _login(api_client, "district_admin")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {mine['token']}")
    assert api_client.delete(f"{TOKENS}{theirs['id']}/").status_code == 404
    assert api_client.delete(f"{TOKENS}{2**64}/").status_code == 404
    assert _works(api_client, theirs["token"])


def test_the_preferences_page_lists_and_revokes_ones_tokens(api_client, client, world):
    mine = _login(api_client, HTTP_USER_AGENT="Mozilla/5.0 phone")
    theirs = _login(api_client, "district_admin", HTTP_USER_AGENT="secret laptop")
    client.force_login(world.supervisor)
    html = client.get(reverse("accounts:preferences")).content.decode()
    assert "API 令牌" in html
    assert "Mozilla/5.0 phone" in html
    assert "secret laptop" not in html

    url = reverse("accounts:api_token_revoke", args=[theirs["id"]])
    assert client.post(url).status_code == 404
    assert _works(api_client, theirs["token"])
    response = client.post(reverse("accounts:api_token_revoke", args=[mine["id"]]))
    assert response.status_code == 302
    assert not _works(api_client, mine["token"])


def test_the_administrator_sees_tokens_in_the_admin_site(api_client, client, world):
    _login(api_client, HTTP_USER_AGENT="field tablet")
    client.force_login(world.admin)
    response = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert response.status_code == 200
    assert "field tablet" in response.content.decode()
