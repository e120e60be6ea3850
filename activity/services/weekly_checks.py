"""附件5 活动量管理检查记录表: the department fills and submits its weekly check (the figures are
frozen into `WeeklyCheck.snapshot` on submit); the district checks it and writes its comment
(spec §4.5). The figures themselves: activity.selectors.weekly_checks."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.models import CheckState, WeeklyCheck
from activity.selectors.weekly_checks import STATUS_FIELDS, can_check, can_fill, weekly_figures
from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from notifications.models import NotificationKind
from notifications.services import notify
from org.models import UnitKind


def _check_week(department, week_start: date) -> None:
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError(_("A weekly activity check is made for a department."))
    if week_start.weekday() != 0:
        raise ValidationError(_("A week starts on a Monday."))
    if week_start > timezone.localdate():
        raise ValidationError(_("This week has not started yet."))


@transaction.atomic
def weekly_check_save(
    *,
    acting_user,
    department,
    week_start: date,
    data: dict,
    submit: bool = False,
    base_version: int | None = None,
) -> WeeklyCheck:
    """The department writes the statuses and measures; `submit` freezes the figures.

    `base_version` is the version the edit was based on (0: the page showed no record yet); a
    stale one raises StaleVersion."""
    if not can_fill(acting_user, department):
        raise PermissionDenied
    _check_week(department, week_start)
    check, created = WeeklyCheck.objects.select_for_update().get_or_create(
        department=department, week_start=week_start
    )
    if not created:
        check_version(check, base_version)
        claim_version(check, base_version)
    if check.state != CheckState.DRAFT:
        raise ConflictError(_("This weekly check was already submitted."))
    for name in STATUS_FIELDS:
        if name in data:
            setattr(check, name, (data[name] or "").strip())
    check.filled_by = acting_user
    check._change_reason = "save"
    if submit:
        check.snapshot = weekly_figures(department, week_start)
        check.state = CheckState.SUBMITTED
        check.submitted_at = timezone.now()
        check._change_reason = "submit"
    check.save()
    return check


@transaction.atomic
def weekly_check_comment(*, acting_user, check: WeeklyCheck, comment: str) -> WeeklyCheck:
    """The district checks the submitted record and writes its comment."""
    check = WeeklyCheck.objects.select_for_update().select_related("department").get(pk=check.pk)
    if not can_check(acting_user, check.department):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write the district's comment.")})
    if check.state != CheckState.SUBMITTED:
        raise ConflictError(_("Only a submitted weekly check can be checked."))
    # As with the attendance check records, nobody checks their own work.
    if check.filled_by_id == acting_user.pk:
        raise ValidationError(
            {"comment": _("You filled this record; someone else of the district must check it.")}
        )
    check.comment = comment
    check.state = CheckState.CHECKED
    check.checked_by = acting_user
    check.checked_at = timezone.now()
    check._change_reason = "check"
    claim_version(check, None)
    check.save()
    if check.filled_by_id:
        transaction.on_commit(
            lambda: notify(
                recipients=[check.filled_by_id],
                kind=NotificationKind.APPROVAL_DECIDED,
                title=_("The district checked the activity check of %(department)s, %(week)s")
                % {"department": check.department.name, "week": check.week_start.isoformat()},
                url=reverse(
                    "activity:weekly_check",
                    args=[check.department_id, check.week_start.isoformat()],
                ),
            )
        )
    return check
