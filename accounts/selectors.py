"""Reads about a user's own logins: their API tokens, and how long a login lockout lasts."""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.models import ApiToken, User

MAX_ID = 2**63 - 1


def api_tokens_of(user: User):
    """The user's tokens that still work, most recently used first."""
    return ApiToken.objects.filter(user=user).live()


def api_token_of_user(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; 404 for any other (another user's token does not exist
    as far as this user can tell)."""
    token = api_tokens_of(user).filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if token is None:
        raise Http404
    return token


def api_token_by_key(key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()


def login_lockout_retry_after(request, username: str) -> int:
    """Seconds until a locked-out username may try again from this client (django-axes: the
    cool-off runs from the latest failed attempt)."""
    cool_off = get_cool_off(request)
    if cool_off is None:  # locked until an administrator resets it: ask again in an hour
        return 3600
    latest = None
    handler = AxesProxyHandler.get_implementation()
    if hasattr(handler, "get_user_attempts"):  # the database handler (the default)
        AxesProxyHandler.update_request(request)
        for attempts in handler.get_user_attempts(request, {"username": username}):
            when = attempts.aggregate(latest=Max("attempt_time"))["latest"]
            if when is not None and (latest is None or when > latest):
                latest = when
    remaining = cool_off if latest is None else latest + cool_off - timezone.now()
    return max(1, math.ceil(remaining.total_seconds()))
