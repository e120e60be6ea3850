from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginLockoutConfig(AxesAppConfig):
    """django-axes, with a name the admin site can show in Chinese."""

    verbose_name = _("Login lockouts")
