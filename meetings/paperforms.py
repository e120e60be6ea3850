"""The meetings' forms on core.paperforms (spec §2, §7): 附件1 execution flow, 附件2 calendar,
附件3 feedback (one form per respondent, and the meeting's summary), 附件4 acceptance form (per
visit, and the month's archive). Each builder turns records a view already fetched through the
access layer into a Form; the views answer with core.paperforms.respond()."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.paperforms import Column, Form, HeaderField, Section, Signature, Table, register


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
