"""The meeting archive (早会档案): search, share of planned meetings held, Excel export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.xlsx import XLSX_CONTENT_TYPE, cells, header_style, put, workbook_bytes
from meetings.forms_records import ArchiveForm
from meetings.models import FEEDBACK_TRAITS, Feedback
from meetings.selectors import records as selectors
from org.access import Cap, holds


def _search(request):
    form = ArchiveForm(request.GET or None, units=selectors.readable_units(request.user))
    return form, form.criteria()


@login_required
def archive(request):
    form, criteria = _search(request)
    meetings = selectors.archive_search(request.user, criteria)
    page = Paginator(meetings, selectors.ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_counts(page.object_list)
    shares = selectors.share_held(request.user, criteria)
    planned = sum(row["planned"] for row in shares)
    held = sum(row["held"] for row in shares)
    return render(
        request,
        "meetings/records_archive.html",
        {
            "form": form,
            "criteria": criteria,
            "page": page,
            "shares": shares,
            "total": {"planned": planned, "held": held, "share": selectors._share(held, planned)},
            "query": request.GET.urlencode(),
            "can_record": selectors.writable_units(request.user).exists(),
            "can_report": holds(request.user, Cap.VIEW_ORG),
        },
    )


def _pct(part, whole):
    return round(part / whole, 3) if whole else None


@login_required
def archive_export(request):
    """The search result as an Excel file (at most EXPORT_MAX_ROWS meetings)."""
    _form, criteria = _search(request)
    meetings = selectors.with_counts(
        selectors.archive_search(request.user, criteria)[: selectors.EXPORT_MAX_ROWS]
    )
    # Write-only: rows stream into the file (a year of a department is thousands of rows).
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Meeting archive"))
    for column, width in zip("ABCDE", (12, 16, 16, 36, 14), strict=True):
        sheet.column_dimensions[column].width = width
    trait_labels = [str(Feedback._meta.get_field(trait).verbose_name) for trait in FEEDBACK_TRAITS]
    headers = [
        _("Date"),
        _("Unit"),
        _("Level"),
        _("Topic"),
        _("Speaker / host"),
        _("Started at"),
        _("Duration (minutes)"),
        _("Head count present"),
        _("From roll call"),
        _("Items held"),
        _("Feedback forms"),
        *trait_labels,
        _("Notes"),
    ]
    sheet.append([header_style(put(WriteOnlyCell(sheet), label)) for label in headers])
    yes, no = _("Yes"), _("No")

    def formatted(value, number_format):
        cell = put(WriteOnlyCell(sheet), value)
        cell.number_format = number_format
        return cell

    for meeting in meetings:
        sheet.append(
            cells(
                sheet,
                [
                    formatted(meeting.date, "yyyy-mm-dd"),
                    meeting.unit.name,
                    meeting.get_level_display(),
                    meeting.topic,
                    meeting.speaker,
                    meeting.started_at,
                    meeting.duration_minutes,
                    meeting.present_count,
                    yes if meeting.present_from_roll_call else no,
                    meeting.held_items,
                    meeting.forms,
                    *[
                        formatted(_pct(getattr(meeting, f"fb_{trait}"), meeting.forms), "0.0%")
                        for trait in FEEDBACK_TRAITS
                    ],
                    meeting.notes,
                ],
            )
        )
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="meeting-archive.xlsx"'
    return response
