from django import forms
from django.core.exceptions import ValidationError

from core.versioning import VersionedFormMixin


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors by field, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class NewOrVersionedFormMixin(VersionedFormMixin):
    """For pages that create the record or edit it (one work log per agent and day, one weekly
    check per department and week, one scorecard per district...): a page that showed no record
    yet carries version 0 (a save without a version counts as one), so a record someone saved
    meanwhile is not overwritten: the services take a base version of 0 as stale once the record
    exists (core/versioning)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.versioned is not None and self.versioned.pk
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            min_value=0,
            required=False,
            initial=self.versioned.version if saved else 0,
        )

    @property
    def base_version(self) -> int | None:
        if not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get("version") or 0
