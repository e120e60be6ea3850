"""待办: attendance check records waiting for the user's verification."""

from django.utils.translation import gettext as _

from attendance.access import VERIFY_ROLES
from attendance.models import CheckRecord
from core.todo import Task, register
from org.access import holds_any, scope_q

MAX_TASKS = 100


@register("attendance")
def check_records_to_verify(user):
    if not holds_any(user, *VERIFY_ROLES):
        return []
    condition = scope_q(user, *VERIFY_ROLES, via="department")
    records = (
        CheckRecord.objects.filter(condition, verifier__isnull=True)
        .exclude(author=user)
        .select_related("department", "author")
        .order_by("check_date")[:MAX_TASKS]
    )
    return [
        Task(
            module=_("Attendance"),
            title=_("Attendance check record: %(unit)s, %(day)s")
            % {"unit": record.department.name, "day": record.check_date.isoformat()},
            url=record.get_absolute_url(),
            since=record.created_at,
            what=_("Waiting for my verification"),
            extra={"submitted_by": record.author, "unit": record.department},
        )
        for record in records
    ]
