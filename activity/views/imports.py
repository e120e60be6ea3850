"""Excel import of work logs (all rows or nothing)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity import importer
from attendance.forms import clean_upload
from org.access import Cap, holds

MAX_ERRORS_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"])


@login_required
def import_logs(request):
    if not holds(request.user, Cap.RECORD_WORK_LOGS):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = importer.worklog_import(form.cleaned_data["file"], request.user)
        if result.ok:
            messages.success(request, _("%(count)d logs saved.") % {"count": result.saved})
            return redirect("activity:import")
        errors = result.errors
    return render(
        request,
        "activity/import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "error_rows": len({error["row"] for error in errors if error["row"]}),
            "columns": [importer.CODE, importer.DATE, *importer.COUNT_COLUMNS],
            "may_review": True,
            "may_edit_scorecard": True,
        },
    )


@login_required
def import_template(request):
    """The header row and one example row (the first agent the user may enter logs for)."""
    from django.http import HttpResponse
    from django.utils import timezone

    from activity.exports import import_template_xlsx
    from core.xlsx import XLSX_CONTENT_TYPE
    from org.models import Agent

    if not holds(request.user, Cap.RECORD_WORK_LOGS):
        raise PermissionDenied
    example = Agent.objects.exclude(status="resigned").with_cap(request.user, Cap.RECORD_WORK_LOGS)
    code = example.order_by("code").values_list("code", flat=True).first() or "A0000001"
    response = HttpResponse(import_template_xlsx(code, timezone.localdate()), XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="work-log-import-template.xlsx"'
    return response
