"""A user's own settings. Managing staff users and their roles is org's (org.services.users)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if language not in {"zh-hans", "en"}:
        raise ValidationError({"language": _("Unknown language.")})
    user.language = language
    user._history_user = user
    user.save(update_fields=["language"])
    return user
