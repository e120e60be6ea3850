"""Check records (附件7 营业部差勤检查记录表): list, new, detail and edit, refresh, verify, and
the form (page, PDF, Excel: core.paperforms)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance.access import RECORD_ROLES, can_verify_check, can_write_check
from attendance.forms import CheckEditForm, CheckRecordForm, VerifyForm
from attendance.models import CheckRecord
from attendance.paperforms import check_record_form
from attendance.selectors.checks import check_record_people
from attendance.services import checks as services
from attendance.views.daily import _message
from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.history import history_rows
from core.paperforms import paper_links, respond
from core.params import int_param
from core.versioning import StaleVersion, stale_change_lines
from org.access import Cap, get_object_for_user, require, scope_q
from org.models import Unit, UnitKind

PAGE_SIZE = 30


def visible_checks(user):
    return CheckRecord.objects.visible_to(user).select_related("department", "author", "verifier")


def get_check_for_user(user, pk) -> CheckRecord:
    checks = CheckRecord.objects.select_related("department", "author", "verifier")
    return get_object_for_user(checks, user, pk)


def writable_departments(user):
    return (
        Unit.objects.visible_to(user)
        .open()
        .filter(scope_q(user, *RECORD_ROLES, via=""), kind=UnitKind.DEPARTMENT)
        .order_by("path")
    )


@login_required
def check_list(request):
    require(request.user, Cap.VIEW_ORG)
    records = visible_checks(request.user)
    department = int_param(request.GET, "department")
    if department:
        records = records.filter(department_id=department)
    if request.GET.get("open") == "1":
        records = records.filter(verifier__isnull=True)
    page = Paginator(records.order_by("-check_date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "attendance/check_list.html",
        {
            "page": page,
            "departments": Unit.objects.visible_to(request.user)
            .filter(kind=UnitKind.DEPARTMENT)
            .order_by("path"),
            "department": str(department or ""),
            "can_create": writable_departments(request.user).exists(),
        },
    )


@login_required
def check_create(request):
    departments = writable_departments(request.user)
    if not departments.exists():
        raise PermissionDenied
    today = timezone.localdate()
    form = CheckRecordForm(
        request.POST or None,
        departments=departments,
        initial={"check_date": today, "department": departments.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        default_start, default_end = services.default_check_period(
            data["department"], data["check_date"]
        )
        try:
            record = services.check_record_create(
                acting_user=request.user,
                department=data["department"],
                check_date=data["check_date"],
                period_start=data["period_start"] or default_start,
                period_end=data["period_end"] or default_end,
                handling_measures=data["handling_measures"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Check record created from the attendance data."))
            return redirect(record)
    return render(request, "attendance/check_form.html", {"form": form})


@login_required
def check_detail(request, pk):
    record = get_check_for_user(request.user, pk)
    people = check_record_people(record)
    can_write = not record.is_verified and can_write_check(request.user, record.department)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = CheckEditForm(request.POST, versioned=record)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(record)
        results = {
            person.absent_line_id: request.POST.get(f"result-{person.absent_line_id}", "")
            for person in people.rows
            if person.absent_line_id
        }
        try:
            services.check_record_update(
                acting_user=request.user,
                record=record,
                handling_measures=form.cleaned_data["handling_measures"],
                handling_results=results,
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            messages.error(request, exc.message)
            for line in stale_change_lines(exc):
                messages.warning(request, line)
        except (ValidationError, PermissionDenied, ConflictError) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect(record)
    return render(
        request,
        "attendance/check_detail.html",
        {
            "record": record,
            "people": people,
            "can_write": can_write,
            "edit_form": CheckEditForm(versioned=record),
            "can_verify": not record.is_verified and can_verify_check(request.user, record),
            "is_author": record.author_id == request.user.pk,
            "verify_form": VerifyForm(initial={"verified_on": timezone.localdate()}),
            "history": history_rows(record),
            "paper_urls": paper_links("attendance:check_print", record.pk),
        },
    )


@login_required
@require_POST
def check_refresh(request, pk):
    record = get_check_for_user(request.user, pk)
    try:
        services.check_record_refresh(acting_user=request.user, record=record)
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("People and days taken again from the attendance data."))
    return redirect(record)


@login_required
@require_POST
def check_verify(request, pk):
    record = get_check_for_user(request.user, pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a valid verification date."))
        return redirect(record)
    try:
        services.check_record_verify(
            acting_user=request.user,
            record=record,
            verified_on=form.cleaned_data["verified_on"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Check record verified."))
    return redirect(record)


@login_required
@require_GET
def check_print(request, pk):
    """附件7 of a check record: the A4 page, its PDF and Excel file, and the blank form
    (core.paperforms; attendance.paperforms.check_record_form). The old Excel address
    (checks/<pk>/export/) serves the same file."""
    record = get_check_for_user(request.user, pk)
    form = check_record_form(record, check_record_people(record))
    return respond(request, form, back=record.get_absolute_url())
