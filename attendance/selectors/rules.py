"""Which attendance rule values apply to a district on a day (regulation versions in force,
else the built-in values)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from attendance.models import (
    DEFAULT_LATE_UNTIL,
    DEFAULT_ON_TIME_UNTIL,
    AttendanceRules,
)

# -- rules ---------------------------------------------------------------------------------------


# Regulation versions whose values apply: published (in force), superseded (in force until the
# next one took over). Drafts, submitted, approved-but-unpublished and returned ones never do.
IN_FORCE_VERSION_STATES = ("published", "superseded")


def _default_rules(district_id, day: date) -> AttendanceRules:
    return AttendanceRules(
        district_id=district_id,
        effective_from=day,
        on_time_until=DEFAULT_ON_TIME_UNTIL,
        late_until=DEFAULT_LATE_UNTIL,
    )


def _effective(rules: AttendanceRules) -> date:
    version = rules.source_version
    return (version.effective_date if version else None) or rules.effective_from


class RulesTimeline:
    """The rules of one district over time (one query): regulation rows from their version's
    effective date; the rows without a regulation only before the first regulation applies (or
    for a district that has none)."""

    def __init__(self, district, through: date):
        self.district_id = getattr(district, "pk", district)
        rows = list(
            AttendanceRules.objects.filter(district_id=self.district_id)
            .filter(
                Q(source_version__isnull=True)
                | Q(source_version__state__in=IN_FORCE_VERSION_STATES)
            )
            .select_related("source_version")
        )
        regulation = [r for r in rows if r.source_version_id and _effective(r) <= through]
        # On the same effective date the later publication wins.
        regulation.sort(
            key=lambda r: (
                _effective(r),
                r.source_version.published_at or r.source_version.created_at,
            )
        )
        builtin = sorted(
            (r for r in rows if not r.source_version_id and r.effective_from <= through),
            key=lambda r: r.effective_from,
        )
        self.regulation = regulation
        self.builtin = builtin

    @staticmethod
    def _latest(rows, day):
        found = None
        for rules in rows:
            if _effective(rules) <= day:
                found = rules
        return found

    def on(self, day: date) -> AttendanceRules:
        return (
            self._latest(self.regulation, day)
            or self._latest(self.builtin, day)
            or _default_rules(self.district_id, day)
        )

    def change_days(self, first: date, last: date) -> list[date]:
        return sorted(
            {first}
            | {
                _effective(r)
                for r in self.regulation + self.builtin
                if first < _effective(r) <= last
            }
        )


def rules_for(district, day: date) -> AttendanceRules:
    """The district's rules in force on `day`, else the built-in defaults (unsaved). `district`
    is a district unit or its id. See RulesTimeline for which rows apply."""
    return RulesTimeline(district, day).on(day)


@dataclass
class RulesSegment:
    start: date
    end: date
    rules: AttendanceRules

    def as_dict(self) -> dict:
        version = self.rules.source_version if self.rules.source_version_id else None
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "rules_id": self.rules.pk,
            "version_id": version.pk if version else None,
            "label": str(version) if version else (self.rules.note or ""),
            "late": str(self.rules.late_deduction),
            "unreported_leave": str(self.rules.unreported_leave_deduction),
            "absence": str(self.rules.absence_deduction),
            "free_reported_leave_days": str(self.rules.free_reported_leave_days),
            "reported_leave": str(self.rules.reported_leave_deduction),
        }


def rules_segments(district, first: date, last: date) -> list[RulesSegment]:
    """[first, last] cut at each effective date, with the rules of each part (one query)."""
    timeline = RulesTimeline(district, last)
    starts = timeline.change_days(first, last)
    segments: list[RulesSegment] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - timedelta(days=1) if index + 1 < len(starts) else last
        rules = timeline.on(start)
        if segments and segments[-1].rules.pk is not None and segments[-1].rules.pk == rules.pk:
            segments[-1].end = end
        else:
            segments.append(RulesSegment(start, end, rules))
    return segments
