from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        from accounts import signals  # noqa: F401 - connects the token revocation receivers
