"""No lost updates: every edit of a business record carries the version it was based on.

- Models: `version = version_field()` (starts at 1, +1 on every edit through a service).
- Services: `claim_version(instance, base_version)` inside their transaction. One
  `UPDATE ... SET version = version + 1 WHERE id = ... AND version = <base>`: of two saves on the
  same base exactly one matches, on SQLite (writes are serialised) and PostgreSQL (the second
  waits for the first's row lock, then sees the new version and matches nothing). The loser gets
  `StaleVersion`, which rolls its transaction back.
- Pages: forms take `VersionedFormMixin` (a hidden `version` field); views call
  `form.show_stale(exc)` on `StaleVersion`: the user's input stays, an error on top and a table of
  what the other person changed (core/_form.html draws it).
- API: viewsets take `VersionedAPIMixin`: `ETag` on detail responses, the base version from
  `If-Match` or a `version` field, 409 with the current representation when stale. A request
  without any version is accepted (last writer wins, as before); a stale one never is.
"""

import re

from django import forms
from django.db import models
from django.db.models import F
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ConflictError


def version_field():
    # db_default too: rows written without the field (older migration states, raw SQL) get 1.
    return models.PositiveIntegerField(
        gettext_lazy("version"), default=1, db_default=1, editable=False
    )


class StaleVersion(ConflictError):
    """The record moved past the version the user's edit was based on."""

    def __init__(self, current, base_version: int | None):
        super().__init__(
            _(
                "Someone else changed this record after you opened it; nothing of yours was "
                "saved. Check their changes and save again."
            ),
            data={"version": current.version},
        )
        self.current = current
        self.base_version = base_version


def check_version(instance, base_version: int | None) -> None:
    """Refuse early (no write) when the loaded row is already past the base version."""
    if base_version is not None and instance.version != base_version:
        raise StaleVersion(instance, base_version)


def claim_version(instance, base_version: int | None) -> None:
    """Move the row to its next version, only if it is still at `base_version` (None: any).

    Call inside the service's transaction, before saving; `instance.version` becomes the new
    version, so the history record written by the save carries it.
    """
    manager = type(instance)._base_manager
    rows = manager.filter(pk=instance.pk)
    if base_version is not None:
        rows = rows.filter(version=base_version)
    if not rows.update(version=F("version") + 1):
        raise StaleVersion(manager.get(pk=instance.pk), base_version)
    instance.version = manager.filter(pk=instance.pk).values_list("version", flat=True).get()


# -- pages -------------------------------------------------------------------------------------


class VersionedFormMixin:
    """A hidden `version` field: the version of `versioned` (default: the ModelForm's instance)."""

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.versioned = versioned if versioned is not None else getattr(self, "instance", None)
        self.is_stale = False
        self.stale_changes = []
        if self.versioned is not None and self.versioned.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=1,
                initial=self.versioned.version,
                error_messages={
                    "required": gettext_lazy("This page is out of date; reload it and try again.")
                },
            )

    @property
    def base_version(self) -> int | None:
        return self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None

    def without_version(self, data: dict) -> dict:
        data = dict(data)
        data.pop("version", None)
        return data

    def show_stale(self, exc: StaleVersion) -> None:
        """Keep the user's input, name the conflict on top, and list the other person's changes.

        The hidden version moves to the current one: saving again now is a deliberate overwrite.
        """
        from core.history import changes_since  # noqa: PLC0415 - history imports the models

        self.add_error(None, exc.message)
        self.is_stale = True
        self.stale_changes = changes_since(exc.current, exc.base_version)
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = exc.current.version


def stale_change_lines(exc: StaleVersion) -> list[str]:
    """The other person's changes as sentences, for pages that answer with messages."""
    from core.history import changes_since  # noqa: PLC0415

    return [
        _('%(field)s is now "%(value)s" (%(who)s, %(when)s)')
        % {
            **change,
            "who": change["who"] or "-",
            "when": date_format(localtime(change["when"]), "Y-m-d H:i"),
        }
        for change in changes_since(exc.current, exc.base_version)
    ]


# -- API ---------------------------------------------------------------------------------------

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


class VersionedAPIMixin:
    """ETag / If-Match / `version` for a viewset whose detail output has a `version` field.

    `version_output(instance)` gives the current representation for a 409 (default: the
    viewset's serializer).
    """

    def version_output(self, instance) -> dict:
        return self.get_serializer(instance).data

    def base_version(self, request) -> int | None:
        """The version the client's edit was based on: `If-Match`, else a `version` field."""
        from rest_framework.exceptions import ValidationError  # noqa: PLC0415

        header = request.headers.get("If-Match")
        if header and header.strip() != "*":
            match = _ETAG.match(header)
            if not match:
                raise ValidationError({"If-Match": [_("Send the ETag of the record you edited.")]})
            return int(match.group(1))
        value = request.data.get("version") if hasattr(request.data, "get") else None
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError({"version": [_("A whole number is required.")]}) from None

    def handle_exception(self, exc):
        if isinstance(exc, StaleVersion):
            exc.data = {"version": exc.current.version, "current": self.version_output(exc.current)}
            response = super().handle_exception(exc)
            response["ETag"] = etag(exc.current.version)
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            and 200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
        ):
            response["ETag"] = etag(data["version"])
        return response
