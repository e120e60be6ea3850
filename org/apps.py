from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "org"
    verbose_name = _("Organisation and people")

    def ready(self):
        from django.db.models.signals import post_save

        from org.models import Agent
        from org.services.placements import on_agent_created

        post_save.connect(on_agent_created, sender=Agent, dispatch_uid="org_initial_placement")
