from django import forms

from activity.models import COUNT_FIELDS, WorkLog


class WorkLogForm(forms.ModelForm):
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
