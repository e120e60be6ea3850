"""Demo data for morning meetings; each part seeds its own, in dependency order."""

from core.demo import register
from meetings.demo_parts import calendars, groups, inspections, records, templates


@register(order=80)
def seed(*, seed: int, log) -> None:
    for part in (templates, groups, calendars, records, inspections):
        part.seed(seed=seed, log=log)
