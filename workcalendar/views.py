from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.params import MAX_ID, year_month_params
from core.versioning import StaleVersion, stale_change_lines
from org.access import Cap, get_unit_for_user, holds, member_unit_ids, require
from org.models import Unit, UnitKind
from workcalendar import selectors, services


class DayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"))
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("Workday"),
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("Workday")), ("0", gettext_lazy("Day off"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=100)
    # The versions of the rows the page showed, "2025-10-01:2,2025-10-11:1"; a date without one
    # had no row as far as the page knew (version 0), so a row marked meanwhile is stale.
    versions = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_versions(self) -> dict:
        seen = {}
        for item in filter(None, self.cleaned_data["versions"].split(",")):
            day, _sep, number = item.partition(":")
            if not number.isdigit() or int(number) > MAX_ID:
                raise ValidationError(_("This page is out of date; reload it and try again."))
            seen[day.strip()] = int(number)
        return seen

    @property
    def base_version(self) -> int:
        return self.cleaned_data["versions"].get(self.cleaned_data["day"].isoformat(), 0)


def seen_versions(days) -> str:
    """The hidden `versions` of the set-day form: the month's rows as the page shows them."""
    return ",".join(f"{d['date'].isoformat()}:{d['version']}" for d in days if d["version"])


def _calendar_districts(user) -> list:
    """Districts whose calendar the user reads: those in scope, and for department and group
    staff (and agents) the district they work in — every workday figure they see uses it."""
    return list(
        Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True)
        .filter(
            Q(pk__in=Unit.objects.visible_to(user).filter(kind=UnitKind.DISTRICT).values("pk"))
            | Q(pk__in=member_unit_ids(user))
        )
        .order_by("path")
    )


@login_required
def month(request):
    require(request.user, Cap.VIEW_ORG)
    first = year_month_params(request.GET, default=timezone.localdate())
    districts = _calendar_districts(request.user)
    district = districts[0] if districts else None
    if request.GET.get("district"):
        district = next((d for d in districts if str(d.pk) == request.GET["district"]), None)
        if district is None:
            raise Http404
    days = selectors.month_calendar(district, first.year, first.month) if district else []
    leading = [None] * first.weekday()
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "workcalendar/month.html",
        {
            "district": district,
            "districts": districts,
            "first": first,
            "cells": leading + days,
            "previous": previous,
            "following": following,
            "versions": seen_versions(days),
            "workday_count": sum(1 for d in days if d["is_workday"]),
            "can_edit": bool(district)
            and holds(request.user, Cap.EDIT_CALENDAR, district),
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


@login_required
@require_POST
def set_day(request, district_id):
    district = get_unit_for_user(request.user, district_id, Cap.EDIT_CALENDAR)
    form = DayForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_day_set(
                acting_user=request.user,
                district=district,
                day=form.cleaned_data["day"],
                is_workday=form.cleaned_data["is_workday"],
                note=form.cleaned_data["note"],
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            messages.error(request, exc.message)
            for line in stale_change_lines(exc):
                messages.warning(request, line)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(day)s saved.") % {"day": form.cleaned_data["day"]})
        day = form.cleaned_data["day"]
        return redirect(
            f"{reverse('workcalendar:month')}?district={district.pk}&year={day.year}&month={day.month}"
        )
    messages.error(
        request,
        " ".join(form.errors["versions"])
        if "versions" in form.errors
        else _("Please give a valid date."),
    )
    return redirect("workcalendar:month")
