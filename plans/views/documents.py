"""Pages: the document list, a new document, a version with its trail, and comparing versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.services import request_for
from core.forms import add_service_errors
from core.params import int_param
from org.access import Cap, require
from org.models import Unit
from plans import selectors, services
from plans.access import (
    AUTHORED_KINDS,
    author_units,
    get_document_for_user,
    get_version_for_user,
)
from plans.forms import CommentForm, DocumentCreateForm, DocumentFilterForm
from plans.models import VersionState


@login_required
def document_list(request):
    """Documents of the units the user sees (and those published to them), by unit, kind and
    period; this year's by default."""
    require(request.user, Cap.VIEW_ORG)
    units = Unit.objects.visible_to(request.user).open().filter(kind__in=AUTHORED_KINDS)
    data = request.GET.copy()
    if "period" not in data:
        data["period"] = str(timezone.localdate().year)
    form = DocumentFilterForm(data, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    documents = selectors.document_list(
        request.user,
        unit=filters.get("unit"),
        kind=filters.get("kind"),
        period=filters.get("period", ""),
    )
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/document_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": author_units(request.user).exists(),
            "today": timezone.localdate(),
            "state_labels": dict(VersionState.choices),
            "unfinished_states": [VersionState.DRAFT, VersionState.RETURNED],
        },
    )


@login_required
def document_create(request):
    units = author_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("You do not write documents for any unit."))
    form = DocumentCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(title)s created as a draft.") % {"title": document})
            return redirect("plans:version_edit", pk=document.versions.get().pk)
    return render(request, "plans/document_form.html", {"form": form})


@login_required
def document_detail(request, pk):
    """The document at its latest version the user may read."""
    document = get_document_for_user(request.user, pk)
    versions = selectors.document_versions(request.user, document)
    if not versions:
        raise Http404
    return render_version(request, versions[0], versions=versions)


@login_required
def version_detail(request, pk):
    version = get_version_for_user(request.user, pk)
    return render_version(request, version)


def render_version(request, version, *, versions=None, forms=None, status=200):
    """The version page: text, attachments, the actions the user has, the approval trail, the
    acknowledgement board and the change history."""
    document = version.document
    if versions is None:
        versions = selectors.document_versions(request.user, document)
    approval = request_for(version)
    board = selectors.acknowledgement_board(version)
    actions = selectors.available_actions(
        request.user, version, versions=versions, request=approval, board=board
    )
    forms = forms or {}
    trail = selectors.approval_trail(approval)
    context = {
        "document": document,
        "version": version,
        "versions": versions,
        "attachments": list(version.attachments.all()),
        "approval": approval,
        "trail": trail,
        "returned": next((t for t in reversed(trail) if t["action"] == "return"), None)
        if version.state == VersionState.RETURNED
        else None,
        "board": board,
        "actions": actions,
        "return_form": forms.get("return") or CommentForm(initial={"step": actions.step}),
        "history": selectors.version_history(version),
        "published": next((v for v in versions if v.state == VersionState.PUBLISHED), None),
    }
    return render(request, "plans/version_detail.html", context, status=status)


@login_required
def document_compare(request, pk):
    """Two versions side by side (?a=<number>&b=<number>), the older on the left."""
    document = get_document_for_user(request.user, pk)
    versions = selectors.document_versions(request.user, document)
    if not versions:
        raise Http404
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        return by_number.get(int_param(request.GET, name), default)

    b = pick("b", versions[0])
    a = pick("a", next((v for v in versions if v.number < b.number), versions[-1]))
    return render(
        request,
        "plans/compare.html",
        {
            "document": document,
            "versions": versions,
            "a": a,
            "b": b,
            "table": selectors.compare_table(a, b) if a.pk != b.pk else "",
        },
    )
