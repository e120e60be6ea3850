"""Helpers shared by the attendance API modules."""

from datetime import date

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from core.params import parse_date


def _enum(values, description=""):
    """A choice field described by a pattern rather than a named enum component: enum names
    are global in the schema and "status"/"state"/"kind" collide with other apps' choices
    (an ENUM_NAME_OVERRIDES entry in settings would allow a proper enum)."""
    values = list(values)
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(values) + ")$",
        "description": description or ", ".join(values),
    }

    @extend_schema_field(schema)
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=values, **kwargs)

    return EnumField


def _month(value) -> date:
    return parse_date(f"{value}-01", "month")


def _unit(user, pk, units):
    try:
        return units.get(pk=pk)
    except (units.model.DoesNotExist, ValueError, TypeError):
        raise NotFound from None
