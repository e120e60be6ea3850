"""Roster import page, the agent list's Excel export and the import template."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from org import roster
from org.filters import AgentFilter
from org.models import Agent
from org.scope import Cap, require

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ERRORS_SHOWN = 500


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + roster.XLSX_CONTENT_TYPE}),
    )

    def clean_file(self):
        return clean_roster_upload(self.cleaned_data["file"])


def clean_roster_upload(upload):
    """Shared by the page and the API: .xlsx only, at most 5 MB."""
    if not upload.name.lower().endswith(".xlsx"):
        raise forms.ValidationError(
            _("Only Excel .xlsx files can be imported. Save the roster as .xlsx and try again.")
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is larger than 5 MB."))
    return upload


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=roster.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def export_filename() -> str:
    return _("agent-roster-%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"}


def filtered_agents(user, params):
    """The agent list's queryset with its filters applied, as on the list page."""
    queryset = Agent.objects.visible_to(user).select_related("group__parent", "rank", "recruiter")
    agent_filter = AgentFilter(params or None, queryset=queryset, user=user)
    agents = agent_filter.qs if agent_filter.is_bound else queryset
    if not params.get("ordering"):
        agents = agents.order_by("code")
    return agent_filter, agents


def filter_description(params) -> str:
    query = params.copy()
    for key in ("full", "page", "format"):
        query.pop(key, None)
    return query.urlencode()


@login_required
@require_GET
def agent_export(request):
    require(request.user, Cap.VIEW_ORG)
    _filter, agents = filtered_agents(request.user, request.GET)
    content = roster.agents_export(
        agents,
        request.user,
        full_personal_data=request.GET.get("full") == "1",
        filter_description=filter_description(request.GET),
    )
    return xlsx_response(content, export_filename())


@login_required
@require_GET
def roster_template(request):
    require(request.user, Cap.EDIT_AGENTS)
    return xlsx_response(roster.roster_template(), _("agent-roster-import-template.xlsx"))


@login_required
def roster_import(request):
    require(request.user, Cap.EDIT_AGENTS)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = roster.roster_import(form.cleaned_data["file"], request.user)
        if result.ok:
            messages.success(
                request,
                _(
                    "Roster imported: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("org:agent_list")
        errors = result.errors
    context = {
        "form": form,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "error_count": len(errors),
        "error_rows": len({error["row"] for error in errors if error["row"]}),
        "columns": roster.ROSTER_COLUMNS,
        "max_rows": roster.MAX_ROWS,
    }
    return render(request, "org/roster_import.html", context)
