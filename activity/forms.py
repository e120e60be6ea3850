from django import forms

from activity.models import COUNT_FIELDS, WorkLog
from core.forms import NewOrVersionedFormMixin


class WorkLogForm(NewOrVersionedFormMixin, forms.ModelForm):
    """The log's version, or 0 while the agent has none for the day (core/forms)."""

    class Meta:
        model = WorkLog
        fields = [*COUNT_FIELDS, "meeting_notes", "tomorrow_plan"]
        widgets = {
            **{
                name: forms.NumberInput(
                    attrs={"min": 0, "max": 999, "inputmode": "numeric", "class": "stepper"}
                )
                for name in COUNT_FIELDS
            },
            "meeting_notes": forms.Textarea(attrs={"rows": 2}),
            "tomorrow_plan": forms.Textarea(attrs={"rows": 2}),
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(max_length=500)
