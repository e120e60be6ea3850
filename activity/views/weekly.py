"""附件5 weekly activity check: the list for a week, the form, and the paper form (A4 page, PDF,
Excel: activity.paperforms on core.paperforms)."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activity.models import WeeklyCheck
from activity.paperforms import weekly_check_form
from activity.selectors.weekly_checks import (
    STATUS_FIELDS,
    can_check,
    can_fill,
    can_view,
    default_week,
    figures_of,
    monday,
    weekly_check_for,
    weekly_figures,
    weekly_overview,
)
from activity.services.weekly_checks import weekly_check_comment, weekly_check_save
from activity.views.logs import may_review
from core.exceptions import ConflictError
from core.forms import NewOrVersionedFormMixin
from core.history import history_rows
from core.paperforms import respond
from core.params import BadParameter, date_param, parse_date
from core.versioning import StaleVersion
from org.models import Unit, UnitKind


class WeeklyCheckForm(NewOrVersionedFormMixin, forms.ModelForm):
    """The record's version, or 0 while the department has none for the week (core/forms)."""

    class Meta:
        model = WeeklyCheck
        fields = STATUS_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in STATUS_FIELDS}


def _week(value) -> date:
    """The week in a page's path (its Monday); a bad one is no page (404)."""
    try:
        return monday(parse_date(value, "week"))
    except BadParameter:
        raise Http404 from None


def _department(request, department_id):
    department = get_object_or_404(Unit, pk=department_id, kind=UnitKind.DEPARTMENT)
    if not can_view(request.user, department):
        raise Http404
    return department


@login_required
def weekly_list(request):
    """A district sees all its departments for the week: missing, draft, submitted, checked."""
    week = monday(date_param(request.GET, "week", default=default_week()))
    rows = weekly_overview(request.user, week)
    if not rows:
        raise PermissionDenied
    counts = {"missing": 0, "draft": 0, "submitted": 0, "checked": 0}
    for row in rows:
        counts[row["check"].state if row["check"] else "missing"] += 1
    return render(
        request,
        "activity/weekly_list.html",
        {
            "week": week,
            "previous": date.fromordinal(week.toordinal() - 7),
            "next": date.fromordinal(week.toordinal() + 7),
            "rows": rows,
            "counts": counts,
            "may_review": may_review(request.user),
        },
    )


def _context(request, department, week):
    check = weekly_check_for(department, week)
    data, frozen = figures_of(check) if check.pk else (weekly_figures(department, week), False)
    return check, {
        "department": department,
        "week": week,
        "check": check,
        "data": data,
        "frozen": frozen,
    }


@login_required
def weekly_check(request, department_id, week):
    department = _department(request, department_id)
    week = _week(week)
    may_fill = can_fill(request.user, department)
    may_check = can_check(request.user, department)
    check = weekly_check_for(department, week)
    form = WeeklyCheckForm(request.POST or None, instance=check if check.pk else None)
    comment_error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "comment":
                if not check.pk:
                    raise Http404
                weekly_check_comment(
                    acting_user=request.user, check=check, comment=request.POST.get("comment")
                )
                messages.success(request, _("Comment saved; the check is done."))
                return redirect(check.get_absolute_url())
            if not may_fill:
                raise PermissionDenied
            if form.is_valid():
                saved = weekly_check_save(
                    acting_user=request.user,
                    department=department,
                    week_start=week,
                    data=form.without_version(form.cleaned_data),
                    submit=action == "submit",
                    base_version=form.base_version,
                )
                messages.success(
                    request,
                    _("Weekly check submitted to the district.")
                    if action == "submit"
                    else _("Weekly check saved."),
                )
                return redirect(saved.get_absolute_url())
        except StaleVersion as exc:
            form.show_stale(exc)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect(
                reverse("activity:weekly_check", args=[department.pk, week.isoformat()])
            )
        except ValidationError as exc:
            if action == "comment":
                comment_error = " ".join(exc.messages)
            else:
                form.add_error(None, exc)
    check, context = _context(request, department, week)
    context.update(
        {
            "form": form,
            "may_fill": may_fill and check.is_editable,
            "may_check": may_check and check.state == "submitted",
            "comment_error": comment_error,
            "history": history_rows(check) if check.pk else [],
            "may_review": may_review(request.user),
        }
    )
    return render(request, "activity/weekly_check.html", context)


@login_required
def weekly_print(request, department_id, week):
    """附件5 活动量管理检查记录表: the A4 page, its PDF and Excel (core.paperforms)."""
    department = _department(request, department_id)
    check, context = _context(request, department, _week(week))
    back = reverse("activity:weekly_check", args=[department.pk, check.week_start.isoformat()])
    return respond(request, weekly_check_form(check, context["data"], context["frozen"]), back=back)
