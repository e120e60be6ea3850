from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin
from org.forms import DateInput
from org.models import Agent, Rank, Unit


class AgentForm(VersionedFormMixin, forms.ModelForm):
    """Agent data. Group and rank are set on creation only; later through transfer/rank change."""

    recruiter_code = forms.CharField(
        label=_("Recruiter's agent code"), required=False, max_length=20
    )

    class Meta:
        model = Agent
        fields = [
            "code",
            "name",
            "gender",
            "id_number",
            "mobile",
            "education",
            "hire_date",
            "group",
            "rank",
            "status",
            "resigned_on",
            "practice_certificate_no",
            "practice_certificate_valid_until",
            "qualification_certificate_no",
            "deposit_paid",
        ]
        labels = {"name": _("Full name")}
        widgets = {
            "hire_date": DateInput,
            "resigned_on": DateInput,
            "practice_certificate_valid_until": DateInput,
        }

    def __init__(self, *args, groups=None, ranks=None, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_agents = agents
        if self.instance.pk:
            for name in ("code", "group", "rank"):
                del self.fields[name]
            if self.instance.recruiter_id:
                self.fields["recruiter_code"].initial = self.instance.recruiter.code
        else:
            self.fields["group"].queryset = groups
            self.fields["rank"].queryset = ranks
        # ID numbers and mobiles are never sent to the browser in full: leave blank to keep.
        for name in ("id_number", "mobile"):
            if self.instance.pk:
                self.fields[name].required = False
                self.fields[name].help_text = _(
                    "Leave blank to keep the current value (%(value)s)."
                ) % {"value": getattr(self.instance, f"{name}_masked")}
                self.initial[name] = ""
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def _post_clean(self):
        # Validation belongs to org.services; the form only converts input.
        pass

    def clean_recruiter_code(self):
        code = self.cleaned_data.get("recruiter_code", "").strip()
        if not code:
            return None
        recruiter = self.visible_agents.filter(code=code).first()
        if recruiter is None:
            raise forms.ValidationError(
                _("No agent with code %(code)s in your scope.") % {"code": code}
            )
        return recruiter

    def service_fields(self) -> dict:
        data = self.without_version(self.cleaned_data)
        data["recruiter"] = data.pop("recruiter_code")
        for name in ("id_number", "mobile"):
            if self.instance.pk and not data.get(name):
                data.pop(name, None)
        data.pop("group", None)
        data.pop("rank", None)
        if self.instance.pk:
            data.pop("code", None)
        return data


class EffectiveChangeForm(forms.Form):
    """The date and reason every transfer and rank change carries."""

    effective_date = forms.DateField(
        label=_("Effective date"), widget=DateInput(attrs={"class": "form-control"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    field_order = ["to_group", "to_rank", "effective_date", "reason"]


class TransferForm(EffectiveChangeForm):
    to_group = forms.ModelChoiceField(
        label=_("To group"),
        queryset=Unit.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = choices
        self.fields["to_group"].label_from_instance = lambda g: f"{g.parent.name} / {g.name}"


class RankChangeForm(EffectiveChangeForm):
    to_rank = forms.ModelChoiceField(
        label=_("New rank"),
        queryset=Rank.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_rank"].queryset = choices
