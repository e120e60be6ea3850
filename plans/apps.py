from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Plans and regulations")

    def ready(self):
        from approvals import registry
        from plans import reminders, todo  # noqa: F401 - register reminders and My-tasks items
        from plans.kinds import kind_members, kind_name
        from plans.services import on_version_approved, on_version_returned

        # One family for every document kind, built-in or added by an administrator: the
        # approval kind of a document is "document.<kind code>". The chains are data (see the
        # migration); a kind without one gets its default chain when it is added in the admin.
        registry.register(
            registry.ApprovalKind(
                code="document",
                label=kind_name,
                on_approved=on_version_approved,
                on_returned=on_version_returned,
                members=kind_members,
            )
        )
