from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin
from org.forms import DateInput
from org.models import Unit
from plans.models import Document, DocumentKind, PeriodType


class RichTextarea(forms.Textarea):
    """A textarea that static/js/richtext.js turns into a small editor (a plain textarea
    without JavaScript)."""

    def __init__(self, attrs=None):
        defaults = {
            "rows": 14,
            "data-richtext": "1",
            "data-label-bold": _("Bold"),
            "data-label-italic": _("Italic"),
            "data-label-underline": _("Underline"),
            "data-label-bullets": _("Bulleted list"),
            "data-label-numbers": _("Numbered list"),
            "data-label-heading": _("Heading"),
            "data-label-subheading": _("Subheading"),
            "data-label-quote": _("Quote"),
            "data-label-paragraph": _("Paragraph"),
            "data-label-editor": _("Text editor"),
        }
        super().__init__({**defaults, **(attrs or {})})


class DocumentFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=DocumentKind.objects.all(), required=False, empty_label=_("All")
    )
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2026 / 2026-03 / 2026-Q1"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class DocumentCreateForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=DocumentKind.objects.filter(active=True)
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    period_type = forms.ChoiceField(
        label=_("Period"),
        choices=[("", _("The kind's default")), *PeriodType.choices],
        required=False,
    )
    period_start = forms.DateField(
        label=_("A day in the period"),
        widget=DateInput,
        help_text=_("The document covers the month, quarter or year containing this day."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for unit, period and kind."),
    )
    due_date = forms.DateField(
        label=Document._meta.get_field("due_date").verbose_name,
        required=False,
        widget=DateInput,
        help_text=Document._meta.get_field("due_date").help_text,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
            self.fields["kind"].queryset = DocumentKind.objects.filter(
                active=True, unit_kind__in=units.values("kind")
            )


class VersionForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), required=False, widget=RichTextarea)
    effective_date = forms.DateField(label=_("Effective date"), required=False, widget=DateInput)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attach a file"))


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
