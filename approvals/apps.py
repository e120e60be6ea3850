from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"
    verbose_name = _("Approvals")

    def ready(self):
        from approvals import todo  # noqa: F401 - registers the "waiting for my approval" tasks
