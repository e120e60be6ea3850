"""The district's scorecard (百分卡): points per kind of activity and the weekly target."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from activity.access import can_edit_scorecard, scorecard_districts
from activity.models import Scorecard
from activity.views.logs import may_review


class ScorecardForm(forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = [
            "new_prospect",
            "first_visit",
            "follow_up_visit",
            "closing_visit",
            "service_visit",
            "recruiting_talk",
            "policy_closed",
            "weekly_target",
        ]


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
        form.save()
        messages.success(request, _("Scorecard saved. New and changed logs use the new points."))
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
