from django import template

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
