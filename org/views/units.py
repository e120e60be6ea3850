from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.history import history_rows
from core.versioning import StaleVersion, stale_change_lines
from org import selectors
from org.access import Cap, get_unit_for_user, holds, require
from org.forms.units import UnitCloseForm, UnitCreateForm, UnitRenameForm
from org.models import ALLOWED_CHILD_KINDS, Agent, Unit
from org.services import units as unit_services


@login_required
def unit_list(request):
    """The organisation tree the user may see, as nested lists."""
    require(request.user, Cap.VIEW_ORG)
    show_closed = request.GET.get("closed") == "1"
    units = Unit.objects.visible_to(request.user).order_by("path")
    if not show_closed:
        units = units.open()
    units = list(units)
    by_parent: dict = {}
    ids = {u.pk for u in units}
    roots = []
    for unit in units:
        (by_parent.setdefault(unit.parent_id, []) if unit.parent_id in ids else roots).append(unit)
    return render(
        request,
        "org/unit_list.html",
        {
            "roots": roots,
            "children": by_parent,
            "show_closed": show_closed,
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_unit_for_user(request.user, pk)
    today = timezone.localdate()
    agents = Agent.objects.visible_to(request.user).in_unit(unit)
    can_create = holds(request.user, Cap.MANAGE_UNITS, unit) and unit.is_open
    can_change = unit_services.can_change_unit(request.user, unit)
    child_kinds = sorted(ALLOWED_CHILD_KINDS.get(unit.kind, set()))
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "ancestors": Unit.objects.filter(pk__in=unit.ancestor_ids[:-1]).order_by("path"),
            # a breadcrumb links only the units whose page opens for the user
            "linked_ancestors": set(
                Unit.objects.visible_to(request.user)
                .filter(pk__in=unit.ancestor_ids[:-1])
                .values_list("pk", flat=True)
            ),
            "summary": selectors.manpower_summary(agents, today.replace(day=1), today),
            "by_child": selectors.headcount_by_child_unit(unit, agents),
            "by_rank": selectors.headcount_by_rank(agents),
            "create_form": UnitCreateForm(kinds=child_kinds)
            if can_create and child_kinds
            else None,
            "rename_form": UnitRenameForm(initial={"name": unit.name}, versioned=unit)
            if can_change
            else None,
            "close_form": UnitCloseForm(initial={"closed_on": today})
            if can_change and unit.is_open
            else None,
            "history": history_rows(unit),
        },
    )


def _unit_action(request, pk, form_class, action, success):
    unit = get_unit_for_user(request.user, pk)
    extra = {}
    if form_class is UnitCreateForm:
        extra["kinds"] = ALLOWED_CHILD_KINDS.get(unit.kind, set())
    elif form_class is UnitRenameForm:
        extra["versioned"] = unit
    form = form_class(request.POST, **extra)
    if form.is_valid():
        try:
            result = action(unit, form.cleaned_data)
        except StaleVersion as exc:
            messages.error(request, exc.message)
            for line in stale_change_lines(exc):
                messages.warning(request, line)
            return redirect("org:unit_detail", pk=unit.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success % {"unit": result})
            return redirect("org:unit_detail", pk=result.pk)
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("org:unit_detail", pk=unit.pk)


@login_required
@require_POST
def unit_create(request, pk):
    return _unit_action(
        request,
        pk,
        UnitCreateForm,
        lambda parent, data: unit_services.unit_create(
            acting_user=request.user, parent=parent, **data
        ),
        _("%(unit)s created."),
    )


@login_required
@require_POST
def unit_rename(request, pk):
    return _unit_action(
        request,
        pk,
        UnitRenameForm,
        lambda unit, data: unit_services.unit_rename(
            acting_user=request.user, unit=unit, name=data["name"], base_version=data["version"]
        ),
        _("Renamed to %(unit)s."),
    )


@login_required
@require_POST
def unit_close(request, pk):
    return _unit_action(
        request,
        pk,
        UnitCloseForm,
        lambda unit, data: unit_services.unit_close(acting_user=request.user, unit=unit, **data),
        _("%(unit)s closed."),
    )
