"""The deduction fund (扣款基金): balance and entries of a district, usage through approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import access
from attendance.forms import FundUsageForm
from attendance.models import FundEntryState
from attendance.selectors import deductions as deduction_selectors
from attendance.selectors import fund as fund_selectors
from attendance.services import fund as fund_services
from attendance.views.approval import approval_context, decide_from_post
from attendance.views.daily import _message
from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.versioning import StaleVersion
from org.models import Unit, UnitKind


@login_required
def fund(request):
    districts = list(deduction_selectors.user_districts(request.user).order_by("path"))
    wanted = request.GET.get("district") or request.POST.get("district")
    district = next((d for d in districts if str(d.pk) == wanted), None)
    if wanted and district is None:
        raise Http404
    district = district or (districts[0] if districts else None)
    entries = fund_selectors.visible_fund_entries(request.user)
    if district:
        entries = entries.filter(district=district)
    departments = Unit.objects.none()
    if district:
        departments = Unit.objects.filter(
            kind=UnitKind.DEPARTMENT, district=district, closed_on__isnull=True
        ).order_by("path")
        if not access.can_run_deductions(request.user, district):
            departments = [
                d for d in departments if access.can_enter_fund_usage(request.user, district, d)
            ]
            departments = Unit.objects.filter(pk__in=[d.pk for d in departments])
    may_enter = bool(district) and (
        access.can_run_deductions(request.user, district) or departments.exists()
    )
    form = None
    if may_enter:
        form = FundUsageForm(
            request.POST or None,
            departments=departments,
            may_override=access.can_override_fund(request.user, district),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                entry = fund_services.fund_usage_submit(
                    acting_user=request.user,
                    district=district,
                    department=data["department"],
                    day=data["day"],
                    amount=data["amount"],
                    purpose=data["purpose"],
                    override=data.get("override", False),
                    override_reason=data.get("override_reason", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    add_service_errors(form, exc)
                else:
                    form.add_error(None, _message(exc))
            else:
                messages.success(request, _("Submitted for approval."))
                return redirect(entry)
    elif request.method == "POST":
        raise PermissionDenied
    page = Paginator(entries.order_by("-date", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/fund.html",
        {
            "districts": districts,
            "district": district,
            "balance": fund_selectors.fund_balance(district) if district else None,
            "page": page,
            "form": form,
        },
    )


@login_required
def fund_entry(request, pk):
    entry = fund_selectors.get_fund_entry_for_user(request.user, pk)
    return render(
        request,
        "attendance/fund_entry.html",
        {
            "entry": entry,
            **approval_context(request.user, entry),
            "can_resubmit": entry.state == FundEntryState.RETURNED
            and access.can_enter_fund_usage(request.user, entry.district, entry.department),
        },
    )


@login_required
@require_POST
def fund_entry_decide(request, pk):
    entry = fund_selectors.get_fund_entry_for_user(request.user, pk)
    return decide_from_post(
        request,
        entry,
        lambda **decision: fund_services.fund_usage_decide(
            acting_user=request.user, entry=entry, **decision
        ),
    )


@login_required
def fund_entry_resubmit(request, pk):
    """Correct a returned usage entry and submit it again (its history keeps what was returned)."""
    entry = fund_selectors.get_fund_entry_for_user(request.user, pk)
    if not access.can_enter_fund_usage(request.user, entry.district, entry.department):
        raise PermissionDenied
    # A save from a page opened while the entry was returned reaches the service, which tells
    # a stale page (someone resubmitted meanwhile: what they changed) from a plain conflict.
    if entry.state != FundEntryState.RETURNED and request.method != "POST":
        raise PermissionDenied
    departments = Unit.objects.filter(
        kind=UnitKind.DEPARTMENT, district=entry.district, closed_on__isnull=True
    ).order_by("path")
    if not access.can_run_deductions(request.user, entry.district):
        departments = departments.filter(pk=entry.department_id)
    form = FundUsageForm(
        request.POST or None,
        departments=departments,
        may_override=access.can_override_fund(request.user, entry.district),
        initial={
            "department": entry.department_id,
            "day": entry.date,
            "amount": entry.amount,
            "purpose": entry.purpose,
            "override": entry.override,
            "override_reason": entry.override_reason,
        },
        versioned=entry,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund_services.fund_usage_resubmit(
                acting_user=request.user,
                entry=entry,
                department=data["department"],
                day=data["day"],
                amount=data["amount"],
                purpose=data["purpose"],
                override=data.get("override", False),
                override_reason=data.get("override_reason", ""),
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except (PermissionDenied, ConflictError) as exc:
            messages.error(request, _message(exc))
            return redirect(entry)
        else:
            messages.success(request, _("Submitted for approval."))
            return redirect(entry)
    return render(request, "attendance/fund_resubmit.html", {"form": form, "entry": entry})
