"""Work log workflows: fill, submit, approve at 二早, return and resubmit (spec §4)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.access import can_edit_log, can_review
from activity.models import COUNT_FIELDS, LogState, WorkLog
from core.versioning import check_version, claim_version
from notifications.models import NotificationKind
from notifications.services import notify

TEXT_FIELDS = ["meeting_notes", "tomorrow_plan"]
MAX_COUNT = 999


@transaction.atomic
def worklog_save(
    *,
    acting_user,
    agent,
    day: date,
    data: dict,
    submit: bool = False,
    base_version: int | None = None,
) -> WorkLog:
    """Create or change the agent's log of `day`. The agent may not change an approved log;
    staff corrections keep the state and are audited by the log's history.

    `base_version` is the version the edit was based on (0: the page showed no log yet); a
    stale one raises StaleVersion."""
    if day > timezone.localdate():
        raise ValidationError(_("A work log cannot be filled for a future day."))
    log = WorkLog.objects.select_for_update().filter(agent=agent, date=day).first()
    if not can_edit_log(acting_user, agent, log):
        raise PermissionDenied
    if log is None:
        log = WorkLog(agent=agent, date=day)
    else:
        check_version(log, base_version)
        claim_version(log, base_version)
    log.agent = agent  # the scorecard is read through the agent's group
    for name in COUNT_FIELDS + TEXT_FIELDS:
        if name in data:
            setattr(log, name, data[name])
    if submit and log.state in (LogState.DRAFT, LogState.RETURNED):
        log.state = LogState.SUBMITTED
    log._change_reason = "submit" if submit else "save"
    log.save()
    return log


def _check_reviewable(acting_user, log):
    if not can_review(acting_user, log.agent):
        raise PermissionDenied
    if log.state != LogState.SUBMITTED:
        raise ValidationError(_("Only submitted logs can be approved or returned."))


@transaction.atomic
def worklog_approve(*, acting_user, logs) -> int:
    """Approve the submitted logs among `logs` (all of a group's day at once)."""
    now = timezone.now()
    count = 0
    for log in logs:
        if log.state != LogState.SUBMITTED:
            continue
        _check_reviewable(acting_user, log)
        log.state = LogState.APPROVED
        log.return_comment = ""
        log.reviewed_by = acting_user
        log.reviewed_at = now
        log._change_reason = "approve"
        claim_version(log, None)
        log.save()
        count += 1
    return count


@transaction.atomic
def worklog_return(*, acting_user, log, comment: str) -> WorkLog:
    """Return one log with a comment; the agent corrects it and submits it again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say why the log is returned."))
    _check_reviewable(acting_user, log)
    log.state = LogState.RETURNED
    log.return_comment = comment[:500]
    log.reviewed_by = acting_user
    log.reviewed_at = timezone.now()
    log._change_reason = "return"
    claim_version(log, None)
    log.save()
    if log.agent.user_id:
        transaction.on_commit(
            lambda: notify(
                recipients=[log.agent.user_id],
                kind=NotificationKind.APPROVAL_DECIDED,
                title=_("Your work log of %(day)s was returned: %(comment)s")
                % {"day": log.date.isoformat(), "comment": log.return_comment},
                url=reverse("activity:mine") + f"?date={log.date.isoformat()}",
            )
        )
    return log


@transaction.atomic
def worklog_bulk_save(*, acting_user, group, day: date, rows: dict[int, dict]) -> int:
    """The assistant's entry of a group's logs for one day (one screen). Rows of agents with
    no log and all zeros are skipped; entered logs count as submitted for the supervisor.
    Bulk inserts and updates with history rows, in one transaction."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from activity.models import Scorecard
    from org.access import Cap, holds
    from org.models import Agent

    if not holds(acting_user, Cap.RECORD_WORK_LOGS, group):
        raise PermissionDenied
    if day > timezone.localdate():
        raise ValidationError(_("A work log cannot be filled for a future day."))
    active = set(
        Agent.objects.filter(group=group, pk__in=list(rows))
        .active_on(day)
        .values_list("pk", flat=True)
    )
    if set(rows) - active:
        raise ValidationError(_("Some agents are not active in this group on this day."))
    existing = {
        log.agent_id: log
        for log in WorkLog.objects.select_for_update().filter(agent_id__in=list(rows), date=day)
    }
    scorecard = Scorecard.for_district(group.district_id)
    created, updated = [], []
    for agent_id, data in rows.items():
        log = existing.get(agent_id)
        if log is None:
            if not any(data.get(name) for name in COUNT_FIELDS):
                continue
            log = WorkLog(agent_id=agent_id, date=day, state=LogState.SUBMITTED)
            created.append(log)
        elif all(getattr(log, name) == data.get(name, 0) for name in COUNT_FIELDS):
            continue
        else:
            updated.append(log)
        for name in COUNT_FIELDS:
            setattr(log, name, data.get(name, 0))
        if log.state in (LogState.DRAFT, LogState.RETURNED):
            log.state = LogState.SUBMITTED
        log.points = scorecard.points_for(log)
    reason = "bulk entry"
    if created:
        bulk_create_with_history(
            created, WorkLog, default_user=acting_user, default_change_reason=reason
        )
    if updated:
        now = timezone.now()
        for log in updated:
            log.updated_at = now
            log.version += 1  # the rows are locked (select_for_update above)
        bulk_update_with_history(
            updated,
            WorkLog,
            [*COUNT_FIELDS, "state", "points", "updated_at", "version"],
            default_user=acting_user,
            default_change_reason=reason,
        )
    return len(created) + len(updated)
