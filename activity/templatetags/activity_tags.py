from django import template

from activity.access import scorecard_districts

register = template.Library()


@register.filter
def ratio(value):
    """A share as a percentage with one decimal; "—" when there is nothing to divide by."""
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def decimal2(value):
    return "—" if value is None else f"{value:.2f}"


@register.filter
def recruit_stage(value):
    from activity.models import RecruitStage

    return RecruitStage(value).label if value in RecruitStage.values else value


@register.filter
def sees_weekly_checks(user) -> bool:
    """Weekly checks are per department: for people who see a whole department or more (a
    supervisor sees only a group). No query: the scope is cached on the user."""
    from activity.selectors.weekly_checks import DEPARTMENT_PATH_SLASHES
    from org.access import Cap, holds_at_or_above

    return holds_at_or_above(user, Cap.VIEW_ORG, DEPARTMENT_PATH_SLASHES)


@register.filter
def edits_scorecard(user) -> bool:
    """Does the scorecard page open for the user (a district's 百分卡 to edit)?"""
    return bool(scorecard_districts(user))
