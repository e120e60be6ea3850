from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Morning meetings")

    def ready(self):
        # Registries: 待办 providers and reminder sources live in these modules.
        from meetings import reminders, todo  # noqa: F401
