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
  `If-Match` or a `version` field, 409 with the current representation when stale. An edit
  without any version answers 428 (Precondition Required) and writes nothing: a client always
  says which version it edited. The OpenAPI schema (core.apischema.AutoSchema) documents the
  `If-Match` header and the 409/428 answers on the mixin's `versioned_actions`.
"""

import re

from django import forms
from django.db import models
from django.db.models import F
from django.utils.formats import date_format, localize
from django.utils.timezone import localtime, template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ConflictError
from core.params import MAX_ID


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
            "value": localize(template_localtime(change["value"])),  # as the pages show it
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
    viewset's serializer). `versioned_actions`: the actions that call `base_version` (the schema
    documents `If-Match`, 409 and 428 on them); add an edit action of your own there.
    """

    versioned_actions = ("update", "partial_update")

    def version_output(self, instance) -> dict:
        return self.get_serializer(instance).data

    def upsert_base_version(self, request) -> int:
        """Base version of a create-or-edit call (a day's log, a week's check): without one the
        client saw no record (0), so a record someone created meanwhile is refused as stale
        instead of overwritten — the same rule as the pages' NewOrVersionedFormMixin."""
        if not request.headers.get("If-Match") and (
            not hasattr(request.data, "get") or request.data.get("version") in (None, "")
        ):
            return 0
        return self.base_version(request)

    def base_version(self, request) -> int:
        """The version the client's edit was based on: `If-Match`, else a `version` field.

        Neither: PreconditionRequired (428). Call it before the service writes anything."""
        from rest_framework.exceptions import ValidationError  # noqa: PLC0415

        from core.api import PreconditionRequired  # noqa: PLC0415

        header = request.headers.get("If-Match")
        if header and header.strip() != "*":
            match = _ETAG.match(header)
            name, value = "If-Match", match.group(1) if match else None
            message = _("Send the ETag of the record you edited.")
        else:
            value = request.data.get("version") if hasattr(request.data, "get") else None
            if value in (None, ""):
                raise PreconditionRequired(
                    _(
                        "Send the version you based your edit on: an If-Match header with the "
                        "ETag or a version field."
                    )
                )
            name, message = "version", _("A whole number is required.")
        try:
            number = None if isinstance(value, bool) else int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not 0 <= number <= MAX_ID:  # beyond: no database integer holds it
            raise ValidationError({name: [message]})
        return number

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
