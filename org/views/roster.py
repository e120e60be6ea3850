"""Roster import page, the agent list's Excel export and the import template."""

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.imports.views import ImportPageView, ImportTemplateView
from core.masking import mask_mobile
from core.xlsx import XLSX_CONTENT_TYPE
from org.access import Cap, require
from org.exports import agents_export
from org.forms.filters import AgentFilter
from org.imports.roster import RosterImport
from org.models import Agent


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
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
    # A search by a full mobile or ID number is kept masked in the access log.
    if re.search(r"\d{7}", re.sub(r"[\s-]", "", query.get("q", ""))):
        query["q"] = mask_mobile(re.sub(r"[\s-]", "", query["q"]))
    return query.urlencode()


@login_required
@require_GET
def agent_export(request):
    require(request.user, Cap.VIEW_ORG)
    _filter, agents = filtered_agents(request.user, request.GET)
    content = agents_export(
        agents,
        request.user,
        full_personal_data=request.GET.get("full") == "1",
        filter_description=filter_description(request.GET),
    )
    return xlsx_response(content, export_filename())


roster_template = ImportTemplateView.as_view(importer_class=RosterImport)
roster_import = ImportPageView.as_view(
    importer_class=RosterImport,
    template_name="org/roster_import.html",
    success_url="org:agent_list",
    template_url="org:roster_template",
)
