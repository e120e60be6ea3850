from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Shared")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from core import params, usercache, validators

        usercache.connect()
        validators.install()  # text fields refuse control characters
        params.install()  # date fields refuse absurd years; integer fields non-database integers
        autodiscover_modules("paperforms")  # each app's forms 附件N register (core.paperforms)
