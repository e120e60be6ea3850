"""What the other person changed in the rows edited with a record (issue 20, core/versioning).

A calendar's entries and a meeting's items held are saved with their calendar or meeting, whose
version moves on every save; core.history.changes_since lists the record's own fields. These
add the rows changed after the base version, in the same shape (field, value, who, when)."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from meetings.models import CalendarEntry, MeetingItemHeld


def _after_base(history, record, base_version: int | None, *, rows_first: bool):
    """The rows' history written by the saves after the base version. `rows_first`: a save
    writes its rows before the record's own history row (else after it)."""
    if not base_version:
        return history
    if rows_first:
        baseline = record.history.filter(version__lte=base_version).order_by("-history_id")
        baseline = baseline.first()
        return history.filter(history_date__gt=baseline.history_date) if baseline else history
    later = record.history.filter(version__gt=base_version).order_by("history_id").first()
    return history.filter(history_date__gte=later.history_date) if later else history.none()


def _latest(history) -> list:
    latest = {}
    for row in history.select_related("history_user").order_by("history_id"):
        latest[row.id] = row
    return sorted(latest.values(), key=lambda row: row.history_id)


def calendar_entry_changes(calendar, base_version: int | None) -> list[dict]:
    """The days of the calendar whose meeting was added, changed or taken off since then."""
    history = CalendarEntry.history.filter(calendar_id=calendar.pk)
    rows = _latest(_after_base(history, calendar, base_version, rows_first=True))
    changes = []
    for row in rows:
        if row.cancelled_at is not None:
            value = _("Taken off")
        else:
            speaker = row.host_name or (str(row.host) if row.host_id else "")
            value = f"{row.topic} · {speaker}" if speaker else row.topic
        changes.append(
            {
                "field": date_format(row.date, "Y-m-d"),
                "value": value,
                "who": row.history_user,
                "when": row.history_date,
            }
        )
    return changes


def meeting_item_changes(meeting, base_version: int | None) -> list[dict]:
    """The template items of the meeting whose held/minutes changed since then."""
    history = MeetingItemHeld.history.filter(meeting_id=meeting.pk).select_related("item__section")
    rows = _latest(_after_base(history, meeting, base_version, rows_first=False))
    changes = []
    for row in rows:
        if not row.held:
            value = _("Not held")
        elif row.actual_minutes is not None:
            value = _("Held, %(minutes)d min") % {"minutes": row.actual_minutes}
        else:
            value = _("Held")
        changes.append(
            {
                "field": str(row.item),
                "value": value,
                "who": row.history_user,
                "when": row.history_date,
            }
        )
    return changes


def change_lines(changes: list[dict]) -> list[str]:
    """The changes as sentences, for pages that answer with messages (as stale_change_lines)."""
    return [
        _('%(field)s is now "%(value)s" (%(who)s, %(when)s)')
        % {
            **change,
            "who": change["who"] or "-",
            "when": date_format(localtime(change["when"]), "Y-m-d H:i"),
        }
        for change in changes
    ]


def _content_lines(sections: list[dict]) -> list[tuple[str, str]]:
    lines = []
    for i, section in enumerate(sections, start=1):
        lines.append((f"{i}", str(section.get("title") or "").strip()))
        for j, item in enumerate(section.get("items") or [], start=1):
            try:
                minutes = int(item.get("planned_minutes") or 0)
            except (TypeError, ValueError):
                minutes = 0
            kind = _("required") if item.get("required") else _("optional")
            title = str(item.get("title") or "").strip()
            lines.append((f"{i}.{j}", f"{title} · {kind} · {minutes}'"))
    return lines


def template_content_changes(version, base_version: int | None, mine: list[dict]) -> list[dict]:
    """The rows of the draft as the other person saved it that differ from the user's rows."""
    theirs = [
        {
            "title": section.title,
            "items": [
                {"title": i.title, "required": i.required, "planned_minutes": i.planned_minutes}
                for i in section.items.all()
            ],
        }
        for section in version.sections.prefetch_related("items")
    ]
    last = version.history.select_related("history_user").order_by("-history_id").first()
    who, when = (last.history_user, last.history_date) if last else (None, None)
    own = set(_content_lines(mine))
    changes = [
        {"field": key, "value": value, "who": who, "when": when}
        for key, value in _content_lines(theirs)
        if (key, value) not in own
    ]
    count = len(theirs)
    if count < len(mine):
        changes.append(
            {
                "field": _("Sections"),
                "value": str(count),
                "who": who,
                "when": when,
            }
        )
    return changes


def checklist_changes(items, seen: dict[int, int]) -> list[dict]:
    """The district's checklist items changed since the page showed them (`seen`: item id → the
    version the page carried; an item missing from it was added meanwhile), as
    core.history.changes_since per item, each field named with its item."""
    from core.history import changes_since  # noqa: PLC0415 - history imports the models

    changes = []
    for item in items:
        base = seen.get(item.pk, 0)
        if item.version == base:
            continue
        if not base:
            added = item.history.select_related("history_user").order_by("history_id").first()
            changes.append(
                {
                    "field": item.title,
                    "value": _("Added, weight %(weight)s") % {"weight": item.weight},
                    "who": added.history_user if added else None,
                    "when": added.history_date if added else None,
                }
            )
            continue
        for change in changes_since(item, base):
            changes.append({**change, "field": f"{item.title} · {change['field']}"})
    return changes
