"""Forms of the records part: meeting records, materials, the archive search and 附件3."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin
from meetings.models import FEEDBACK_TRAITS, Feedback, MeetingLevel, MeetingMaterial
from meetings.selectors.records import ArchiveFilter, default_period, host_choices


class MeetingStartForm(forms.Form):
    """Which meeting to record: unit, level and date (the record form is then prefilled)."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    level = forms.ChoiceField(label=_("Meeting level"), choices=MeetingLevel.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MeetingForm(VersionedFormMixin, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    host = forms.ModelChoiceField(label=_("Speaker / host"), queryset=None, required=False)
    host_name = forms.CharField(
        label=_("Speaker / host name"),
        max_length=50,
        required=False,
        help_text=_("For a speaker without an account (a guest, an agent)."),
    )
    started_at = forms.TimeField(
        label=_("Started at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=1, max_value=600
    )
    use_roll_call = forms.BooleanField(
        label=_("Take the head count from the day's roll call"), required=False
    )
    present_count = forms.IntegerField(
        label=_("Head count present"), required=False, min_value=0, max_value=100000
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, unit, items=(), roll_call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = host_choices(unit)
        self.items = list(items)
        self.roll_call = roll_call
        if roll_call is None:
            self.fields["use_roll_call"].disabled = True
            self.fields["use_roll_call"].help_text = _("No roll call was taken that day.")
        else:
            self.fields["use_roll_call"].help_text = _(
                "%(n)s present or late in the roll call."
            ) % {"n": roll_call}

    def clean(self):
        data = super().clean()
        if not data.get("use_roll_call") and data.get("present_count") is None:
            self.add_error(
                "present_count", _("Give the head count, or take it from the roll call.")
            )
        return data

    def item_rows(self, held: dict | None = None):
        """(item, held?, minutes) for the template's items, from the post or the saved rows."""
        rows = []
        for item in self.items:
            if self.is_bound:
                is_held = self.data.get(f"item-{item.pk}-held") == "on"
                minutes = self.data.get(f"item-{item.pk}-minutes", "")
            elif held is not None:
                row = held.get(item.pk)
                is_held = bool(row and row.held)
                minutes = row.actual_minutes if row and row.actual_minutes is not None else ""
            else:
                is_held = item.required
                minutes = item.planned_minutes if is_held and item.planned_minutes else ""
            rows.append({"item": item, "held": is_held, "minutes": minutes})
        return rows

    def cleaned_items(self) -> dict[int, dict]:
        result = {}
        for item in self.items:
            raw = (self.data.get(f"item-{item.pk}-minutes") or "").strip()
            try:
                minutes = int(raw) if raw else None
            except ValueError:
                minutes = None
            if minutes is not None and not 0 <= minutes <= 600:
                minutes = None
            held = self.data.get(f"item-{item.pk}-held") == "on"
            result[item.pk] = {"held": held, "actual_minutes": minutes if held else None}
        return result


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Up to %(max)s MB: %(types)s")
        % {
            "max": MeetingMaterial.MAX_SIZE // 1024 // 1024,
            "types": ", ".join(MeetingMaterial.EXTENSIONS),
        },
    )


class FeedbackForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Feedback
        fields = [*FEEDBACK_TRAITS, "suggestions"]
        widgets = {"suggestions": forms.Textarea(attrs={"rows": 4})}
        labels = {"suggestions": _("What could the meeting do better?")}


class ArchiveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *MeetingLevel.choices], required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    speaker = forms.CharField(label=_("Speaker"), required=False, max_length=50)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def criteria(self) -> ArchiveFilter:
        start, end = default_period()
        if not self.is_valid():
            return ArchiveFilter(start=start, end=end)
        data = self.cleaned_data
        return ArchiveFilter(
            unit=data.get("unit"),
            level=data.get("level") or "",
            start=data.get("start") or (None if data.get("end") else start),
            end=data.get("end") or (None if data.get("start") else end),
            speaker=(data.get("speaker") or "").strip(),
            topic=(data.get("topic") or "").strip(),
        )
