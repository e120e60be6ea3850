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
from org.scope import Cap, scope_for

MAX_ERRORS_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"])


@login_required
def import_logs(request):
    if not scope_for(request.user).has(Cap.RECORD_WORK_LOGS):
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
