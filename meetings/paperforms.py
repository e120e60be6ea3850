"""The meetings' forms on core.paperforms (spec §2, §7): 附件1 execution flow, 附件2 calendar,
附件3 feedback (one form per respondent, and the meeting's summary), 附件4 acceptance form (per
visit, and the month's archive). Each builder turns records a view already fetched through the
access layer into a Form; the views answer with core.paperforms.respond()."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from core.paperforms import (
    LANDSCAPE,
    Column,
    Form,
    HeaderField,
    Section,
    Signature,
    Table,
    register,
)
from meetings.models import FEEDBACK_TRAITS, Feedback, MeetingLevel
from meetings.selectors import calendars as calendar_selectors
from meetings.selectors import records as record_selectors
from meetings.selectors import templates as template_selectors


def _visited(visit) -> str:
    if visit.unit.kind == "group":
        return _("%(department)s (%(group)s group meeting)") % {
            "department": visit.department.name,
            "group": visit.unit.name,
        }
    return visit.department.name


@register(4, gettext_lazy("Department morning meeting acceptance form"), key="visit")
def acceptance_form(form) -> Form:
    """The scored form of one visit: items, weights, ratings, points, total, issues found and
    the signature lines (`form` an AcceptanceForm the caller may read)."""
    visit = form.visit
    scores = list(form.scores.all())
    issues = list(form.issues.select_related("item"))
    topic = ""
    if form.meeting_id:
        topic = form.meeting.topic
    elif visit.calendar_entry_id:
        topic = visit.calendar_entry.topic
    issue_lines = []
    for n, issue in enumerate(issues, start=1):
        line = f"{n}. "
        if issue.item_id:
            line += f"[{issue.item.title}] "
        line += issue.description
        if not issue.is_open:
            line += " " + _("(resolved: %(how)s)") % {"how": issue.resolution}
        issue_lines.append(line)
    return Form(
        unit=_visited(visit),
        unit_label=_("Department"),
        period=visit.date.strftime("%Y-%m-%d"),
        period_label=_("Date"),
        fields=[
            HeaderField(_("Inspector"), str(visit.inspector), keep=True),
            HeaderField(_("Meeting topic"), topic),
            HeaderField(_("Head count present"), form.present_count),
        ],
        tables=[
            Table(
                columns=[
                    Column(_("No."), "int", 5, keep=True),
                    Column(_("Checklist item"), "text", 30, keep=True),
                    Column(_("Weight"), "int", 8, keep=True),
                    Column(_("Rating (0–5)"), "int", 10),
                    Column(_("Points"), "decimal", 9),
                    Column(_("Comment"), "text", 28),
                ],
                rows=[
                    [n, s.title, s.weight, s.rating, s.points, s.comment]
                    for n, s in enumerate(scores, start=1)
                ],
                totals=[None, _("Total score"), None, None, form.total, None],
            )
        ],
        sections=[
            Section(_("Highlights"), form.highlights, lines=3),
            Section(_("Issues found"), "\n".join(issue_lines), lines=4),
            Section(_("Suggestions"), form.suggestions, lines=3),
        ],
        signatures=[
            Signature(
                _("Inspector's signature"),
                str(form.filled_by or ""),
                timezone.localdate(form.filled_at) if form.filled_at else None,
            ),
            Signature(_("Department manager's signature")),
        ],
        filename=f"form4-{visit.department.code}-{visit.date:%Y-%m-%d}",
    )


@register(4, gettext_lazy("Department morning meeting acceptance archive"), key="archive")
def acceptance_archive(visits, *, unit: str, month=None, limit: int | None = None) -> Form:
    """The archive of visits as a list (a month's, with `month`): date, unit, inspector, state,
    total score and open issues; the count and the average score of the done visits."""
    rows, scores = [], []
    for visit in visits:
        form = getattr(visit, "form", None) if visit.state == "done" else None
        if form is not None:
            scores.append(form.total)
        rows.append(
            [
                visit.date,
                visit.unit.name,
                visit.department.name,
                str(visit.inspector),
                str(visit.get_state_display()),
                form.total if form else None,
                visit.open_issues,
                form.suggestions if form else "",
            ]
        )
    average = round(sum(scores) / len(scores), 2) if scores else None
    notes = []
    if limit is not None and len(rows) >= limit:
        notes.append(_("Only the first %(n)s visits are listed.") % {"n": limit})
    return Form(
        unit=unit,
        period=f"{month:%Y-%m}" if month else _("All months"),
        period_label=_("Form month"),
        tables=[
            Table(
                columns=[
                    Column(_("Date"), "date", 11),
                    Column(_("Unit visited"), "text", 16),
                    Column(_("Department"), "text", 14),
                    Column(_("Inspector"), "text", 10),
                    Column(_("State"), "text", 8),
                    Column(_("Total score"), "decimal", 9),
                    Column(_("Open issues"), "int", 9),
                    Column(_("Suggestions"), "text", 30),
                ],
                rows=rows,
                totals=[
                    None,
                    _("%(n)s visits, %(done)s done") % {"n": len(rows), "done": len(scores)},
                    None,
                    None,
                    _("Average"),
                    average,
                    None,
                    None,
                ],
            )
        ],
        notes=notes,
        signatures=[Signature(_("Archived by"))],
        orientation=LANDSCAPE,
        filename=f"form4-archive-{month:%Y-%m}" if month else "form4-archive",
    )


# -- 附件1 -----------------------------------------------------------------------------------
def flow_rows(version):
    """Rows of the printed 附件1 (and of the version comparison): a section with one item of
    the same title is one row."""
    rows = []
    for section in version.sections.all():
        items = list(section.items.all())
        if len(items) == 1 and items[0].title == section.title:
            rows.append({"kind": "single", "number": str(section.order), "item": items[0]})
            continue
        rows.append({"kind": "section", "number": str(section.order), "title": section.title})
        rows.extend(
            {"kind": "item", "number": f"{section.order}.{item.order}", "item": item}
            for item in items
        )
    return rows


@register(1, gettext_lazy("Morning meeting execution flow"))
def execution_flow(version) -> Form:
    """A template version (with its content: selectors.version_with_content): its sections and
    items in order, required or optional, planned minutes."""
    template = version.template
    totals = template_selectors.version_totals(version)
    printed = []
    for row in flow_rows(version):
        if row["kind"] == "section":
            printed.append([row["number"], row["title"], "", None])
            continue
        item = row["item"]
        required = _("Required") if item.required else _("Optional")
        printed.append([row["number"], item.title, required, item.planned_minutes])
    published = timezone.localdate(version.published_at) if version.published_at else None
    return Form(
        name=template.name,
        unit=template.unit.name,
        period=f"{published:%Y-%m}" if published else _("Draft"),
        period_label=_("Form month"),
        fields=[
            HeaderField(_("Meeting level"), template.get_level_display(), keep=True),
            HeaderField(_("Version"), f"v{version.number}", keep=True),
            HeaderField(_("Published"), published),
        ],
        tables=[
            Table(
                columns=[
                    Column(_("No."), "text", 8),
                    Column(_("Flow"), "text", 50),
                    Column(_("Required"), "text", 10),
                    Column(_("Planned minutes"), "int", 12),
                ],
                rows=printed,
                blank_rows=20,
            )
        ],
        notes=[
            _(
                "Planned: %(r)s minutes for the required items, "
                "%(a)s minutes with every optional item."
            )
            % {"r": totals["required_minutes"], "a": totals["all_minutes"]}
        ],
        signatures=[
            Signature(_("Prepared by"), str(version.created_by or "")),
            Signature(_("Approver")),
        ],
        filename=f"form1-{template.unit.code}-v{version.number}",
    )


# -- 附件2 -----------------------------------------------------------------------------------
# The meeting names as the printed form (附件2) writes them (小组二早 where the UI has 营业组二早).
PRINT_LEVEL_NAMES = {
    MeetingLevel.DISTRICT: pgettext_lazy(
        "meeting on the printed calendar", "District morning meeting"
    ),
    MeetingLevel.DEPARTMENT: pgettext_lazy(
        "meeting on the printed calendar", "Department morning meeting"
    ),
    MeetingLevel.EVENING: pgettext_lazy(
        "meeting on the printed calendar", "Department evening meeting"
    ),
    MeetingLevel.GROUP: pgettext_lazy(
        "meeting on the printed calendar", "Group second morning meeting"
    ),
}


@register(2, gettext_lazy("Morning meeting calendar"))
def meeting_calendar(calendar) -> Form:
    """A month's calendar: per meeting date the topic, speaker, content and template used."""
    weekdays = _weekdays()
    level_name = PRINT_LEVEL_NAMES[calendar.level]
    rows = [row for row in calendar_selectors.month_rows(calendar) if row.entry]
    submitted = timezone.localdate(calendar.submitted_at) if calendar.submitted_at else None
    updated = timezone.localtime(calendar.updated_at) if calendar.updated_at else None
    return Form(
        name=_("%(level)s calendar") % {"level": level_name},
        unit=calendar.unit.name,
        period=_("%(year)s-%(month)s")
        % {"year": f"{calendar.month:%Y}", "month": f"{calendar.month:%m}"},
        period_label=_("Form month"),
        fields=[
            HeaderField(_("Meeting"), str(level_name), keep=True),
            HeaderField(_("Version"), f"{updated:%Y-%m-%d %H:%M}" if updated else ""),
        ],
        tables=[
            Table(
                columns=[
                    Column(_("Date"), "date", 11, keep=True),
                    Column(_("Weekday"), "text", 6, keep=True),
                    Column(_("Topic"), "text", 24),
                    Column(_("Speaker / host"), "text", 12),
                    Column(_("Content"), "text", 40),
                    Column(_("Execution flow template"), "text", 16),
                ],
                rows=[
                    [
                        row.date,
                        weekdays[row.date.weekday()],
                        row.entry.topic,
                        row.entry.speaker,
                        row.entry.content,
                        _version_name(row.entry.template_version),
                    ]
                    for row in rows
                ],
            )
        ],
        signatures=[
            Signature(_("Prepared by"), str(calendar.created_by or "")),
            Signature(_("Approver"), str(calendar.submitted_by or ""), submitted),
        ],
        orientation=LANDSCAPE,
        filename=f"form2-{calendar.unit.code}-{calendar.level}-{calendar.month:%Y-%m}",
    )


def _weekdays() -> list[str]:
    """Monday first, as date.weekday() counts (the 附件2 form writes 周一 … 周日)."""
    return [
        pgettext("weekday in the calendar sheet", "Mon"),
        pgettext("weekday in the calendar sheet", "Tue"),
        pgettext("weekday in the calendar sheet", "Wed"),
        pgettext("weekday in the calendar sheet", "Thu"),
        pgettext("weekday in the calendar sheet", "Fri"),
        pgettext("weekday in the calendar sheet", "Sat"),
        pgettext("weekday in the calendar sheet", "Sun"),
    ]


def _version_name(version) -> str:
    return f"{version.template.name} v{version.number}" if version else ""


# -- 附件3 -----------------------------------------------------------------------------------
def _traits() -> list[tuple[str, str]]:
    return [(t, Feedback._meta.get_field(t).verbose_name) for t in FEEDBACK_TRAITS]


def _feedback_fields(meeting) -> list:
    return [
        HeaderField(_("Speaker"), meeting.speaker, keep=True),
        HeaderField(_("Topic"), meeting.topic, keep=True),
    ]


@register(3, gettext_lazy("Morning meeting evaluation feedback form"), key="respondent")
def feedback_form(meeting, feedback) -> Form:
    """One respondent's form (`feedback` None: the form to fill in by hand)."""
    traits = _traits()
    entry = getattr(meeting, "calendar_entry", None)
    return Form(
        unit=meeting.unit.name,
        period=meeting.date.strftime("%Y-%m-%d"),
        period_label=_("Date"),
        fields=_feedback_fields(meeting),
        sections=[
            Section(_("Content"), entry.content if entry else "", lines=3),
            Section(
                _("The speaker was"),
                checks=[
                    (str(label), bool(feedback and getattr(feedback, t))) for t, label in traits
                ],
                lines=1,
            ),
            Section(
                _("Where can the district meeting improve?"),
                feedback.suggestions if feedback else "",
                lines=10,
            ),
        ],
        signatures=[
            Signature(
                _("Respondent"),
                str(feedback.respondent) if feedback else "",
                timezone.localdate(feedback.submitted_at) if feedback else None,
            )
        ],
        is_blank=feedback is None,
        filename=f"form3-{meeting.date:%Y-%m-%d}-{feedback.pk if feedback else 'blank'}",
    )


def feedback_summary_for(user, meeting) -> Form:
    """The summary over the forms of `meeting` that `user` may read (page and API)."""
    visible = record_selectors.visible_feedback(user, meeting)
    counts = record_selectors.feedback_counts(visible)
    return feedback_summary(meeting, counts, list(visible.order_by("pk")))


@register(3, gettext_lazy("Morning meeting evaluation feedback summary"), key="summary")
def feedback_summary(meeting, counts, forms) -> Form:
    """The meeting's summary (`counts` from selectors.feedback_counts over the forms the reader
    may see, `forms` those forms): per trait the forms ticking it and their share; the
    suggestions."""
    traits = _traits()
    return Form(
        unit=meeting.unit.name,
        period=meeting.date.strftime("%Y-%m-%d"),
        period_label=_("Date"),
        fields=[*_feedback_fields(meeting), HeaderField(_("Feedback forms"), counts["forms"])],
        tables=[
            Table(
                columns=[
                    Column(_("The speaker was"), "text", 30, keep=True),
                    Column(_("Forms ticking it"), "int", 12),
                    Column(_("Share"), "percent", 10),
                ],
                rows=[
                    [str(label), counts["counts"][t], counts["shares"][t]] for t, label in traits
                ],
            ),
            Table(
                title=_("Where can the district meeting improve?"),
                columns=[
                    Column(_("No."), "int", 6),
                    Column(_("Respondent"), "text", 12),
                    Column(_("Suggestions"), "text", 60),
                ],
                rows=[
                    [n, str(form.respondent), form.suggestions]
                    for n, form in enumerate((f for f in forms if f.suggestions), start=1)
                ],
                blank_rows=8,
            ),
        ],
        signatures=[Signature(_("Summarised by"))],
        filename=f"form3-summary-{meeting.date:%Y-%m-%d}-{meeting.pk}",
    )
