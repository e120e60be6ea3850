"""Who may fill, correct, approve and return work logs (spec §4, §10), from org.access."""

from org import access
from org.access import Cap


def _covers(user, cap, unit) -> bool:
    return access.holds(user, cap, unit)


def is_own(user, agent) -> bool:
    return access.is_own_agent(user, agent)


def can_review(user, agent) -> bool:
    """The supervisor of the agent's group (and the department manager) at 二早."""
    return _covers(user, Cap.REVIEW_WORK_LOGS, agent.group)


def can_correct(user, agent) -> bool:
    """Assistants and above may enter and correct any log of their agents, approved or not."""
    return _covers(user, Cap.RECORD_WORK_LOGS, agent.group)


def can_edit_log(user, agent, log=None) -> bool:
    if can_correct(user, agent):
        return True
    return is_own(user, agent) and (log is None or not log.is_locked)


def can_edit_scorecard(user, district) -> bool:
    return _covers(user, Cap.RECORD_WORK_LOGS, district)


def can_read_scorecard(user, district) -> bool:
    """Everyone working in the district (or above it) reads its scorecard."""
    paths = access.member_paths(user)
    return user.is_superuser or any(
        path.startswith(district.path) or district.path.startswith(path) for path in paths
    )


def scorecard_districts(user) -> list:
    """The districts whose scorecard (百分卡) the user edits on the scorecard page; the page and
    the link to it are only for users with at least one."""
    from org.models import Unit, UnitKind

    return list(
        Unit.objects.filter(kind=UnitKind.DISTRICT)
        .with_cap(user, Cap.RECORD_WORK_LOGS)
        .order_by("path")
    )
