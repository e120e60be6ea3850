"""Demo data for morning meetings; each part seeds its own, in dependency order."""

from meetings.demo_parts import calendars, groups, inspections, records, templates


def seed(*, seed: int, log) -> None:
    for part in (templates, groups, calendars, records, inspections):
        part.seed(seed=seed, log=log)
