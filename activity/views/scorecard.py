"""The district's scorecard (百分卡): points per kind of activity and the weekly target."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from activity.access import can_edit_scorecard, scorecard_districts
from activity.models import Scorecard
from activity.services.scorecard import SCORECARD_FIELDS, scorecard_save
from activity.views.logs import may_review
from core.forms import NewOrVersionedFormMixin
from core.versioning import StaleVersion


class ScorecardForm(NewOrVersionedFormMixin, forms.ModelForm):
    """The scorecard's version, or 0 while the district has only the defaults (core/forms)."""

    class Meta:
        model = Scorecard
        fields = SCORECARD_FIELDS


@login_required
def scorecard(request):
    districts = scorecard_districts(request.user)
    if not districts:
        raise PermissionDenied
    district = next(
        (d for d in districts if str(d.pk) == request.GET.get("district")), districts[0]
    )
    if not can_edit_scorecard(request.user, district):
        raise PermissionDenied
    instance = Scorecard.for_district(district.pk)
    form = ScorecardForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            scorecard_save(
                acting_user=request.user,
                district=district,
                values=form.without_version(form.cleaned_data),
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        else:
            messages.success(
                request, _("Scorecard saved. New and changed logs use the new points.")
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "activity/scorecard.html",
        {
            "form": form,
            "district": district,
            "districts": districts,
            "may_review": may_review(request.user),
            "may_edit_scorecard": True,
        },
    )
