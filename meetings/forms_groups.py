"""Forms of the function group pages; the services validate the rules."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin
from meetings.models import Meeting
from meetings.selectors.groups import leader_candidates, member_candidates, reviewable_meetings


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class FunctionGroupForm(VersionedFormMixin, forms.Form):
    district = forms.ModelChoiceField(queryset=None, label=_("Sales district"))
    name = forms.CharField(max_length=100, label=_("Name"))
    purpose = forms.CharField(
        required=False, label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3})
    )
    leader = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Leader"))
    closed_on = forms.DateField(
        required=False, label=_("Closed on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, districts, district=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        if editing:
            del self.fields["district"]
        else:
            del self.fields["closed_on"]
        chosen = district
        if chosen is None and self.data.get("district", "").isdigit():
            chosen = districts.filter(pk=self.data["district"]).first()
        if chosen is None and districts.count() == 1:
            chosen = districts.first()
            self.initial.setdefault("district", chosen.pk)
        # Leaders are the managers and trainers of the district; the service checks again.
        self.fields["leader"].queryset = (
            leader_candidates(chosen)
            if chosen is not None
            else get_user_model().objects.filter(role_assignments__unit__in=districts).distinct()
        )


class MemberForm(forms.Form):
    user = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Member"))
    duties = forms.CharField(max_length=200, required=False, label=_("Duties"))
    joined_on = forms.DateField(
        label=_("Joined on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        current = group.members.filter(left_on__isnull=True).values("user_id")
        self.fields["user"].queryset = member_candidates(group.district).exclude(pk__in=current)
        self.initial.setdefault("joined_on", timezone.localdate())


class DutiesForm(VersionedFormMixin, forms.Form):
    """A member's duties, changed in the members table (`versioned`: the member)."""

    duties = forms.CharField(max_length=200, required=False, label=_("Duties"))


class TrainingForm(VersionedFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    trainer = UserChoiceField(queryset=get_user_model().objects.none(), label=_("Trainer"))
    attendees = UserMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Attendees"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = member_candidates(group.district)
        self.fields["attendees"].queryset = (
            get_user_model()
            .objects.filter(pk__in=group.members.values("user_id"))
            .order_by("full_name", "username")
        )


class PeerReviewForm(VersionedFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    meetings = forms.ModelMultipleChoiceField(
        queryset=Meeting.objects.none(),
        required=False,
        label=_("Meetings reviewed"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    participants = UserMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Participants"),
        widget=forms.CheckboxSelectMultiple,
    )
    conclusions = forms.CharField(label=_("Conclusions"), widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_actions = forms.CharField(
        required=False, label=_("Follow-up actions"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest 200 meetings of the district; older ones through the API.
        recent = reviewable_meetings(group.district).order_by("-date", "unit__path")[:200]
        self.fields["meetings"].queryset = (
            reviewable_meetings(group.district)
            .filter(pk__in=list(recent.values_list("pk", flat=True)))
            .order_by("-date", "unit__path")
        )
        self.fields["meetings"].label_from_instance = lambda m: (
            f"{m.date:%Y-%m-%d} · {m.unit} · {m.topic}"
        )
        people = group.members.values("user_id")
        self.fields["participants"].queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=people) | Q(pk=group.leader_id))
            .order_by("full_name", "username")
        )
