"""Text input refuses control characters, in one place for the pages and the API alike.

A single-line field takes nothing below U+0020 and no U+007F; a multi-line field also takes line
breaks and tabs. Such characters are invisible, break the Excel exports (an .xlsx cannot hold
them) and are never typed on purpose.

install() (from CoreConfig.ready) applies the rule once:
- to every CharField (single-line) and TextField (multi-line) of the project's own models:
  ModelForms (through full_clean), services that call full_clean, and DRF ModelSerializers
  (which copy a model field's validators) all check it;
- to every text field of a plain form (multi-line when its widget is a Textarea) and of a plain
  serializer (where nothing says a field is one line, so line breaks and tabs pass there).
Password fields are left alone.
"""

import re
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from rest_framework import serializers

SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value, *, multiline: bool, label=None) -> None:
    """Raise ValidationError (naming the field by `label`) if `value` holds a control
    character the field does not take."""
    if not isinstance(value, str):
        return
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    match = pattern.search(value)
    if match is None:
        return
    params = {
        "field": capfirst(str(label)) if label else _("This field"),
        "character": f"U+{ord(match.group()):04X}",
    }
    if multiline:
        message = _(
            "%(field)s cannot contain control characters other than line breaks and tabs "
            "(found %(character)s)."
        )
    else:
        message = _(
            "%(field)s must be one line of text without control characters (found %(character)s)."
        )
    raise ValidationError(message, code="control_characters", params=params)


class TextValidator:
    """The rule as a validator, for a model field or a form field: TextValidator(multiline=...,
    label=...)."""

    def __init__(self, *, multiline: bool = False, label=None):
        self.multiline = multiline
        self.label = label

    def __call__(self, value):
        check_text(value, multiline=self.multiline, label=self.label)


class SerializerTextValidator(TextValidator):
    """For a plain DRF field: named by the bound field's label."""

    requires_context = True

    def __call__(self, value, serializer_field):
        label = self.label or serializer_field.label or serializer_field.field_name
        check_text(value, multiline=self.multiline, label=label)


# -- installing it ---------------------------------------------------------------------------


def _is_project_app(app_config) -> bool:
    path = Path(app_config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return path.is_relative_to(base) and not {".venv", "site-packages"} & set(path.parts)


def attach_to_models() -> None:
    """Every CharField and TextField of the project's own models gets the validator once.
    Added to `field.validators` (as Django's own max-length validator is), not to the field's
    declared validators, so migrations do not change."""
    for app_config in apps.get_app_configs():
        if not _is_project_app(app_config):
            continue
        for model in app_config.get_models():
            for field in model._meta.local_fields:
                if not isinstance(field, models.CharField | models.TextField):
                    continue
                if any(isinstance(v, TextValidator) for v in field.validators):
                    continue
                multiline = isinstance(field, models.TextField)
                field.validators.append(
                    TextValidator(multiline=multiline, label=field.verbose_name)
                )


def _is_password(field) -> bool:
    if isinstance(field, forms.Field):
        return isinstance(field.widget, forms.PasswordInput)
    return field.style.get("input_type") == "password"


def _form_validate(original):
    def validate(self, value):
        original(self, value)
        if not _is_password(self):
            check_text(value, multiline=isinstance(self.widget, forms.Textarea), label=self.label)

    validate.text_checked = True
    return validate


def _serializer_init(original):
    def __init__(self, *args, **kwargs):  # noqa: N807 - wraps DRF's CharField.__init__
        original(self, *args, **kwargs)
        if not _is_password(self) and not any(
            isinstance(v, TextValidator) for v in self.validators
        ):
            self.validators.append(SerializerTextValidator(multiline=True))

    __init__.text_checked = True
    return __init__


def install() -> None:
    attach_to_models()
    # The plain form and serializer text fields: forms decide at validation, when the widget
    # is final; a serializer field gets the validator as it is built.
    if not getattr(forms.CharField.validate, "text_checked", False):
        forms.CharField.validate = _form_validate(forms.CharField.validate)
    if not getattr(serializers.CharField.__init__, "text_checked", False):
        serializers.CharField.__init__ = _serializer_init(serializers.CharField.__init__)
