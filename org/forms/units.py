from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin
from org.forms import DateInput
from org.models import UnitKind


class UnitCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name = forms.CharField(label=_("name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=30)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DateInput)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, UnitKind(k).label) for k in kinds]


class UnitRenameForm(VersionedFormMixin, forms.Form):
    """`versioned=unit`: carries the unit's version (core/versioning)."""

    name = forms.CharField(label=_("New name"), max_length=100)


class UnitCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)
