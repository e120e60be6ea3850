"""A user's own settings and API tokens. Managing staff users and their roles is org's
(org.services.users)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in {"zh-hans", "en"}:
        raise ValidationError({"language": _("Unknown language.")})
    user.language = language
    user._history_user = user
    user.save(update_fields=["language"])
    return user


# Logins kept per user: a new one beyond this revokes the least recently used.
MAX_TOKENS_PER_USER = 20


@transaction.atomic
def api_token_create(*, user: User, label: str = "") -> tuple[ApiToken, str]:
    """A new API token for a user who has just proved their password; returns the token and
    its key (shown this once: only a digest is stored). The user's expired tokens go, and the
    least recently used beyond MAX_TOKENS_PER_USER."""
    now = timezone.now()
    tokens = ApiToken.objects.filter(user=user)
    tokens.expired(now).delete()
    surplus = tokens.order_by("-last_used", "-pk").values_list("pk", flat=True)
    tokens.filter(pk__in=list(surplus[MAX_TOKENS_PER_USER - 1 :])).delete()
    label = "".join(ch for ch in label if ch.isprintable()).strip()  # e.g. a User-Agent
    key = secrets.token_hex(32)
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.digest_of(key), label=label[:200], created=now, last_used=now
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, acting_user: User, token: ApiToken) -> None:
    """Revoke one of the acting user's own tokens (find it with
    accounts.selectors.api_token_of_user, which answers 404 for another user's)."""
    if token.user_id != acting_user.pk:
        raise ValidationError(_("This is not your token."))
    token.delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """Every token of the user stops working (password change, deactivation, lockout)."""
    deleted, _by_model = ApiToken.objects.filter(user=user).delete()
    return deleted
