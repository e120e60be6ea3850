from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NewOrVersionedFormMixin
from core.versioning import VersionedFormMixin
from org.forms import DateInput


class LeaveRequestForm(VersionedFormMixin, forms.Form):
    """A new request, or (`versioned=leave`) the correction of a returned one with its version."""

    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    start_date = forms.DateField(label=_("From"), widget=DateInput)
    end_date = forms.DateField(
        label=_("To"), widget=DateInput, required=False, help_text=_("Empty: one day.")
    )
    half_day = forms.BooleanField(
        label=_("Half a day"), required=False, help_text=_("Only for a one-day leave.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda a: f"{a.name}（{a.code}）· {a.group.name}"
        if agents.count() == 1:
            self.fields["agent"].initial = agents.first()
            self.fields["agent"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and not data.get("end_date"):
            data["end_date"] = data["start_date"]
        return data

    def service_fields(self) -> dict:
        return {
            key: self.cleaned_data[key] for key in ("start_date", "end_date", "half_day", "reason")
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (required to return)"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    step = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CheckRecordForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Sales department"), queryset=None)
    check_date = forms.DateField(label=_("Check date"), widget=DateInput)
    period_start = forms.DateField(
        label=_("Period from"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: the day after the previous check, or the month's first day."),
    )
    period_end = forms.DateField(
        label=_("Period to"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: the check date."),
    )
    handling_measures = forms.CharField(
        label=_("Handling measures"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class CheckEditForm(VersionedFormMixin, forms.Form):
    """The handling of a check record (`versioned=record`: carries its version); the people's
    handling results are read from the page's `result-<line>` inputs."""

    handling_measures = forms.CharField(required=False)


class VerifyForm(forms.Form):
    verified_on = forms.DateField(label=_("Verification date"), widget=DateInput)
    note = forms.CharField(label=_("Verification result"), required=False, max_length=200)


class RulesForm(NewOrVersionedFormMixin, forms.ModelForm):
    """The rule values of an attendance regulation version, with their version (0: none yet)."""

    class Meta:
        from attendance.models import AttendanceRules

        model = AttendanceRules
        fields = AttendanceRules.VALUE_FIELDS
        widgets = {
            "on_time_until": forms.TimeInput({"type": "time"}, format="%H:%M"),
            "late_until": forms.TimeInput({"type": "time"}, format="%H:%M"),
        }


class FundUsageForm(VersionedFormMixin, forms.Form):
    """A new usage entry, or (`versioned=entry`) the correction of a returned one with its
    version."""

    department = forms.ModelChoiceField(
        label=_("Sales department"),
        queryset=None,
        required=False,
        empty_label=_("The district itself"),
        help_text=_("Leave empty for the district's own usage."),
    )
    day = forms.DateField(label=_("Date"), widget=DateInput)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0.01)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    override = forms.BooleanField(label=_("Override: allow a negative balance"), required=False)
    override_reason = forms.CharField(label=_("Override reason"), max_length=200, required=False)

    def __init__(self, *args, departments, may_override, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        if not may_override:
            del self.fields["override"]
            del self.fields["override_reason"]


class MeasureForm(VersionedFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Sales department"), queryset=None)
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput({"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    measure = forms.CharField(label=_("Measure"), widget=forms.Textarea({"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput, required=False)
    status = forms.ChoiceField(label=_("Status"))
    follow_up = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea({"rows": 3}), required=False
    )

    def __init__(self, *args, departments, owners, **kwargs):
        from attendance.models import MeasureStatus

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["owner"].queryset = owners
        self.fields["status"].choices = MeasureStatus.choices
