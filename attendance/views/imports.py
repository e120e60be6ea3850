"""Excel import of attendance (all rows or nothing), and its template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from attendance import importer
from attendance.access import RECORD_ROLES, role_paths
from attendance.forms import ImportForm
from attendance.views.common import xlsx_response

MAX_ERRORS_SHOWN = 500


def _require_import(user):
    if not role_paths(user, RECORD_ROLES):
        raise PermissionDenied


@login_required
@require_GET
def import_template(request):
    _require_import(request.user)
    return xlsx_response(importer.import_template(), _("attendance-import-template.xlsx"))


@login_required
def import_attendance(request):
    _require_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = importer.attendance_import(form.cleaned_data["file"], request.user)
        if result.ok:
            messages.success(
                request,
                _(
                    "Attendance imported: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("attendance:import")
        errors = result.errors
    return render(
        request,
        "attendance/import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "error_rows": len({error["row"] for error in errors if error["row"]}),
            "columns": importer.COLUMNS,
            "max_rows": importer.MAX_ROWS,
        },
    )
