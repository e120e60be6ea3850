"""Improvement measures (改善举措) agreed between the district and a department."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from attendance import access
from attendance.access import RECORD_ROLES
from attendance.forms import MeasureForm
from attendance.selectors import measures as reads
from attendance.services import measures as measure_services
from attendance.services.measures import measure_owners
from core.forms import add_service_errors
from core.versioning import StaleVersion
from org.access import scope_q
from org.models import Unit, UnitKind


def _writable_departments(user):
    return Unit.objects.filter(
        scope_q(user, *RECORD_ROLES, via=""), kind=UnitKind.DEPARTMENT, closed_on__isnull=True
    ).order_by("path")


@login_required
def measure_list(request):
    measures = reads.visible_measures(request.user)
    if request.GET.get("status"):
        measures = measures.filter(status=request.GET["status"])
    page = Paginator(measures.order_by("-month", "department__path", "id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "attendance/measures.html",
        {"page": page, "can_create": _writable_departments(request.user).exists()},
    )


@login_required
def measure_edit(request, pk=None):
    measure = reads.get_measure_for_user(request.user, pk) if pk else None
    if measure and not access.can_write_measures(request.user, measure.department):
        raise PermissionDenied
    departments = _writable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied
    initial = {}
    if measure:
        initial = {name: getattr(measure, name) for name in measure_services.MEASURE_FIELDS}
        initial["department"] = measure.department
    form = MeasureForm(
        request.POST or None,
        initial=initial,
        departments=departments,
        owners=measure_owners(list(departments)),
        versioned=measure,
    )
    if request.method == "POST" and form.is_valid():
        data = form.without_version(form.cleaned_data)
        department = data.pop("department")
        try:
            measure_services.measure_save(
                acting_user=request.user,
                department=department,
                values=data,
                measure=measure,
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("attendance:measures")
    return render(request, "attendance/measure_form.html", {"form": form, "measure": measure})
