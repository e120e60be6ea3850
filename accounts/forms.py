from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=User._meta.get_field("language").choices
    )
