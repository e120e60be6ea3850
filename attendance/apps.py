from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from accounts.models import Role
        from approvals import registry
        from attendance import deduction_services, reminders, services, todo  # noqa: F401

        registry.register(
            registry.ApprovalKind(
                code=services.LEAVE_KIND,
                label=_("Leave request"),
                # The group's supervisor; an ApprovalChain for "leave" (per unit, in the admin
                # site) can send it to the department manager instead, or to both.
                default_levels=[(Role.SUPERVISOR, "group")],
                on_approved=services.on_leave_approved,
                on_returned=services.on_leave_returned,
            )
        )
        registry.register(
            registry.ApprovalKind(
                code=deduction_services.FUND_KIND,
                label=_("Deduction fund usage"),
                default_levels=[(Role.DISTRICT_MANAGER, "district")],
                on_approved=deduction_services.on_fund_usage_approved,
                on_returned=deduction_services.on_fund_usage_returned,
            )
        )
