"""Monthly deductions: the district month (run, close, reopen, export), the regulation's values,
and the published page per district and department (公布扣款使用明细)."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import access, exports
from attendance.forms import RulesForm
from attendance.selectors import deductions as deduction_selectors
from attendance.selectors import publication as publication_selectors
from attendance.services import deductions as deduction_services
from attendance.services import publication as publication_services
from attendance.views.common import xlsx_response
from attendance.views.daily import _message
from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.params import BadParameter, month_param
from core.versioning import StaleVersion
from org.access import Cap, holds
from org.models import Unit, UnitKind

LINES_SHOWN = 500


def _month_param(params) -> date:
    """?month= (a form's `month`), 400 naming it when bad; else last month."""
    today = timezone.localdate()
    return month_param(params, default=(today.replace(day=1) - timedelta(days=1)).replace(day=1))


def _path_month(value) -> date:
    """The month in a page's path; a bad one is no page (404)."""
    try:
        return month_param({"month": value})
    except BadParameter:
        raise Http404 from None


@login_required
def deduction_index(request):
    """A district's month: state, rules applied, totals per department, lines, the last run's
    changes; the published pages the user may read."""
    districts = list(deduction_selectors.user_districts(request.user).order_by("path"))
    month = _month_param(request.GET)
    district = next((d for d in districts if str(d.pk) == request.GET.get("district")), None)
    if request.GET.get("district") and district is None:
        raise Http404
    district = district or (districts[0] if districts else None)
    deduction_month = None
    if district:
        deduction_month = (
            deduction_selectors.visible_months(request.user)
            .filter(district=district, month=month)
            .first()
        )
    lines = deduction_selectors.visible_lines(request.user)
    context = {
        "districts": districts,
        "district": district,
        "month": month,
        "deduction_month": deduction_month,
        "can_run": bool(district) and access.can_run_deductions(request.user, district),
        "publications": publication_selectors.visible_publications(request.user).filter(
            month=month
        )[:50],
        "departments": [],
    }
    if deduction_month:
        department = request.GET.get("department", "")
        month_lines = lines.filter(deduction_month=deduction_month).select_related(
            "agent", "department"
        )
        if department:
            month_lines = month_lines.filter(department_id=department)
        context.update(
            departments=list(deduction_selectors.department_totals(deduction_month, lines)),
            department=department,
            lines=month_lines.order_by("department__path", "agent__code")[:LINES_SHOWN],
            last_run=deduction_month.audits.filter(action="run").first(),
            audits=deduction_month.audits.select_related("by")[:10],
            staff=holds(request.user, Cap.VIEW_ORG, district),
        )
    return render(request, "attendance/deductions.html", context)


def _district_for_action(request, pk) -> Unit:
    try:
        return Unit.objects.get(pk=pk, kind=UnitKind.DISTRICT)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_POST
def deduction_run(request):
    district = _district_for_action(request, request.POST.get("district"))
    if not access.can_run_deductions(request.user, district):
        raise PermissionDenied
    month = _month_param(request.POST)
    try:
        audit = deduction_services.deduction_run(
            acting_user=request.user, district=district, month=month
        )
    except (ValidationError, ConflictError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            _("Deductions computed: ¥%(total)s, %(changed)s agents changed.")
            % {"total": audit.total_after, "changed": len(audit.changes)},
        )
    return redirect(
        f"{reverse('attendance:deductions')}?district={district.pk}&month={month:%Y-%m}"
    )


def _month_action(request, pk, action, **extra):
    deduction_month = deduction_selectors.get_month_for_user(request.user, pk)
    try:
        action(acting_user=request.user, deduction_month=deduction_month, **extra)
    except (ValidationError, ConflictError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect(
        f"{reverse('attendance:deductions')}?district={deduction_month.district_id}"
        f"&month={deduction_month.month:%Y-%m}"
    )


@login_required
@require_POST
def deduction_close(request, pk):
    return _month_action(request, pk, deduction_services.deduction_close)


@login_required
@require_POST
def deduction_reopen(request, pk):
    return _month_action(
        request, pk, deduction_services.deduction_reopen, reason=request.POST.get("reason", "")
    )


@login_required
def deduction_month(request, pk):
    month = deduction_selectors.get_month_for_user(request.user, pk)
    return redirect(
        f"{reverse('attendance:deductions')}?district={month.district_id}&month={month.month:%Y-%m}"
    )


@login_required
def deduction_export(request, pk):
    """The deduction list for finance: the lines the user sees, per department and agent."""
    month = deduction_selectors.get_month_for_user(request.user, pk)
    lines = (
        deduction_selectors.visible_lines(request.user)
        .filter(deduction_month=month)
        .select_related("agent", "department")
        .order_by("department__path", "agent__code")
    )
    content = exports.deductions_workbook(month, lines)
    name = _("attendance-deductions_%(district)s_%(month)s.xlsx") % {
        "district": month.district.name,
        "month": f"{month.month:%Y-%m}",
    }
    return xlsx_response(content, name)


# -- the regulation's values -------------------------------------------------------------------


@login_required
def regulation_rules(request, version_id):
    """The rule values of an attendance regulation version: editable with the version."""
    from plans.access import can_author, get_version_for_user

    version = get_version_for_user(request.user, version_id)
    if version.document.kind.code != deduction_services.REGULATION_KIND:
        raise Http404
    rules = deduction_services.regulation_rules(version)
    editable = version.is_editable and can_author(request.user, version.document.unit)
    initial = None
    if rules is None:
        previous = (
            deduction_services.AttendanceRules.objects.filter(
                source_version__document=version.document
            )
            .order_by("-source_version__number")
            .first()
        )
        if previous is not None:  # the values start from the previous version's
            fields = deduction_services.AttendanceRules.VALUE_FIELDS
            initial = model_to_dict(previous, fields=fields)
    form = RulesForm(request.POST or None, instance=rules, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                deduction_services.regulation_rules_save(
                    acting_user=request.user,
                    version=version,
                    values=form.without_version(form.cleaned_data),
                    base_version=form.base_version,
                )
            except StaleVersion as exc:
                form.show_stale(exc)
            except (ValidationError, ConflictError) as exc:
                if isinstance(exc, ValidationError):
                    add_service_errors(form, exc)
                else:
                    form.add_error(None, _message(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect(version)
    return render(
        request,
        "attendance/regulation_rules.html",
        {"version": version, "rules": rules, "form": form, "editable": editable},
    )


# -- publication -------------------------------------------------------------------------------


def _publication_unit(request, unit_id) -> Unit:
    try:
        return Unit.objects.get(pk=unit_id, kind__in=[UnitKind.DISTRICT, UnitKind.DEPARTMENT])
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
def publication(request, unit_id, month):
    unit = _publication_unit(request, unit_id)
    first = _path_month(month)
    readable = publication_selectors.can_read_publication(request.user, unit, first)
    if not readable:
        raise Http404
    page = publication_selectors.publication_page(unit, first)
    published = readable if readable is not True else None
    district = Unit.objects.get(pk=unit.district_id)
    return render(
        request,
        "attendance/publication.html",
        {
            "page": page,
            "publication": published,
            "can_publish": not published
            and access.can_run_deductions(request.user, district)
            and page.deduction_month is not None
            and page.deduction_month.is_closed,
            "print": request.GET.get("print") == "1",
        },
    )


@login_required
@require_POST
def publication_publish(request, unit_id, month):
    unit = _publication_unit(request, unit_id)
    first = _path_month(month)
    try:
        publication_services.publication_publish(acting_user=request.user, unit=unit, month=first)
    except (ValidationError, ConflictError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Published."))
    return redirect("attendance:publication", unit_id=unit.pk, month=f"{first:%Y-%m}")
