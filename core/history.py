"""Readable audit trail (who, when, what before and after) from django-simple-history."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import SearchHashField
from core.masking import mask_id_number, mask_mobile

MASKED_FIELDS = {"id_number": mask_id_number, "mobile": mask_mobile}
HIDDEN_FIELDS = {"password", "last_login", "path", "district", "version"}
ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def history_rows(instance, limit: int = 50) -> list[dict]:
    """The record's changes, newest first, in a bounded number of queries."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    model = type(instance)
    fk_labels = _foreign_key_labels(model, records)
    rows = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS or _is_search_hash(model, change.field):
                    continue
                changes.append(
                    {
                        "field": _field_label(model, change.field),
                        "old": _display(model, change.field, change.old, fk_labels),
                        "new": _display(model, change.field, change.new, fk_labels),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "action": ACTIONS.get(record.history_type, record.history_type),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows


def _is_search_hash(model, name) -> bool:
    try:
        return isinstance(model._meta.get_field(name), SearchHashField)
    except Exception:  # noqa: BLE001 - an excluded or removed field
        return False


def _field_label(model, name):
    try:
        return model._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - an excluded or removed field keeps its raw name
        return name


def _foreign_key_labels(model, records) -> dict:
    labels = {}
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.name in HIDDEN_FIELDS:
            continue
        ids = {getattr(r, field.attname, None) for r in records} - {None}
        if ids:
            related = field.related_model._default_manager.filter(pk__in=ids)
            labels[field.name] = {obj.pk: str(obj) for obj in related}
    return labels


def _display(model, name, value, fk_labels):
    if value is None or value == "":
        return "—"
    if name in MASKED_FIELDS:
        return MASKED_FIELDS[name](str(value))
    if name in fk_labels:
        return fk_labels[name].get(value, value)
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return value
    if getattr(field, "protected", False):  # any other field stored protected (core/fields.py)
        return mask_mobile(str(value))
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    return value


def changes_since(instance, base_version: int | None, limit: int = 100) -> list[dict]:
    """What others changed after `base_version`: per field, its value now, who and when.

    From the history records after the last one at or below the base version (core/versioning).
    """
    history = instance.history.all()
    baseline = (
        history.filter(version__lte=base_version or 0).order_by("-history_id").first()
        if base_version
        else None
    )
    later = history.select_related("history_user").order_by("history_id")
    if baseline is not None:
        later = later.filter(history_id__gt=baseline.history_id)
    records = [baseline, *later[:limit]] if baseline else list(later[:limit])
    model = type(instance)
    latest = {}
    if base_version == 0 and records and records[0].history_type == "+":
        # the user saw no record (version 0): what the other person created is their change
        for name in _values_set(model, records[0]):
            latest[name] = records[0]
    for older, record in zip(records, records[1:], strict=False):
        for change in record.diff_against(older).changes:
            if change.field in HIDDEN_FIELDS or _is_search_hash(model, change.field):
                continue
            latest[change.field] = record
    fk_labels = _foreign_key_labels(model, [instance])
    return [
        {
            "field": _field_label(model, name),
            "value": _display(model, name, getattr(instance, _attname(model, name)), fk_labels),
            "who": record.history_user,
            "when": record.history_date,
        }
        for name, record in sorted(latest.items(), key=lambda item: item[1].history_id)
    ]


def _values_set(model, record) -> list[str]:
    """The fields a creation history record gave a value of its own (shown ones only): not
    empty, not the field's default (a record first saved with its defaults, as the page showed
    them, changed nothing the user did not see)."""
    names = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in HIDDEN_FIELDS or _is_search_hash(model, field.name):
            continue
        value = getattr(record, field.attname, None)
        if value in (None, "") or (field.has_default() and value == field.get_default()):
            continue
        names.append(field.name)
    return names


def _attname(model, name) -> str:
    try:
        return model._meta.get_field(name).attname
    except Exception:  # noqa: BLE001 - an excluded or removed field
        return name
