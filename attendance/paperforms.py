"""附件7 营业部差勤检查记录表 on core.paperforms: a department's check record as the A4 page, the
PDF, the Excel file and the blank form, from one description.

One row per person with the days summed (attendance.selectors.checks.check_record_people):
leave days (in all, reported in advance, not reported), absent days and the handling result;
a totals row; the handling measures and the verification result; signature and date lines of
the person who filled it in and of the verifier.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.paperforms import Column, Form, HeaderField, Section, Signature, Table, register


def _days(value):
    """A person's days: empty when none (as the paper form is filled in), else the number."""
    return value or None


@register(7, gettext_lazy("Department attendance check record"), key="record")
def check_record_form(record, people) -> Form:
    """`record` a CheckRecord the caller may read (department, author and verifier fetched),
    `people` its check_record_people()."""
    verifier = str(record.verifier) if record.verifier_id else ""
    return Form(
        unit=record.department.name,
        unit_label=_("Sales department"),
        period=_("%(start)s to %(end)s")
        % {"start": f"{record.period_start:%Y-%m-%d}", "end": f"{record.period_end:%Y-%m-%d}"},
        period_label=_("Period checked"),
        fields=[
            HeaderField(_("Check date"), record.check_date),
            HeaderField(pgettext("attendance check record", "Checker"), str(record.author)),
        ],
        tables=[
            Table(
                columns=[
                    Column(_("No."), "int", 5),
                    Column(_("Name"), "text", 10),
                    Column(_("Sales group"), "text", 12),
                    Column(_("Leave days"), "number", 8),
                    Column(_("Reported"), "number", 7),
                    Column(_("Not reported"), "number", 7),
                    Column(_("Absent days"), "number", 8),
                    Column(_("Handling result"), "text", 22),
                ],
                rows=[
                    [
                        n,
                        person.name,
                        person.group,
                        _days(person.leave),
                        _days(person.leave_reported),
                        _days(person.leave_unreported),
                        _days(person.absent),
                        person.handling_result,
                    ]
                    for n, person in enumerate(people.rows, start=1)
                ],
                totals=[
                    None,
                    _("Total"),
                    None,
                    people.leave,
                    people.leave_reported,
                    people.leave_unreported,
                    people.absent,
                    None,
                ],
                blank_rows=15,
            )
        ],
        sections=[
            Section(_("Handling measures"), record.handling_measures, lines=4),
            Section(_("Verification result"), record.verification_note, lines=2),
        ],
        signatures=[
            Signature(
                _("Filled in by"),
                str(record.author),
                timezone.localdate(record.created_at) if record.created_at else None,
            ),
            Signature(_("Verified by"), verifier, record.verified_on),
        ],
        filename=f"form7-{record.department.code}-{record.check_date:%Y-%m-%d}",
    )
