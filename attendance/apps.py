from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from accounts.models import Role
        from approvals import registry
        from attendance import reminders, todo  # noqa: F401
        from attendance.services import fund, leave

        registry.register(
            registry.ApprovalKind(
                code=leave.LEAVE_KIND,
                label=_("Leave request"),
                # The group's supervisor; an ApprovalChain for "leave" (per unit, in the admin
                # site) can send it to the department manager instead, or to both.
                default_levels=[(Role.SUPERVISOR, "group")],
                on_approved=leave.on_leave_approved,
                on_returned=leave.on_leave_returned,
            )
        )
        registry.register(
            registry.ApprovalKind(
                code=fund.FUND_KIND,
                label=_("Deduction fund usage"),
                default_levels=[(Role.DISTRICT_MANAGER, "district")],
                on_approved=fund.on_fund_usage_approved,
                on_returned=fund.on_fund_usage_returned,
            )
        )
