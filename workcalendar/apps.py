from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workcalendar"
    verbose_name = _("Work calendar")
