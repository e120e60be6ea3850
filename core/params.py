"""Input bounds in one place (issue 20 "No 500 on any input"): ids in paths, integers and dates in
query strings, and the sane year range of every date a form, a serializer or a query accepts.

- Path ids: the `id` converter (registered once here) matches 1-19 digits and refuses a value
  above the largest database integer, so `/…/abc/` and `/…/99999999999999999999/` answer 404.
  `core.api.Router` uses it for every viewset's `{id}`; URL patterns write `<id:pk>`.
- Query parameters: `int_param`, `date_param`, `month_param` (and `year_month_params` for a
  `?year=&month=` pair) read a parameter and raise
  `BadParameter` ({name: message}) for a bad value: 400 naming the parameter, from the API (its
  exception handler) and from the pages (core.middleware.BadParameterMiddleware).
- Dates: `validate_date_range` refuses a year outside settings.DATE_YEAR_RANGE; CoreConfig.ready
  adds it to every Django form and DRF serializer DateField, and the query helpers use it.
- Integers in bodies: `validate_db_integer` (added to every form and serializer IntegerField by
  CoreConfig.ready) refuses a value beyond ±(2^63-1), e.g. a huge id in a list of ids.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import register_converter
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1


class BadParameter(ValidationError):
    """A query or path parameter that cannot be read: 400 naming the parameter."""

    def __init__(self, name: str, message: str):
        super().__init__({name: [message]})


class IdConverter:
    """A database id in a path: 1-19 digits, at most 2^63-1 (a larger one matches nothing)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the resolver then tries the next pattern, and ends in 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


def year_range() -> tuple[int, int]:
    first, last = settings.DATE_YEAR_RANGE
    return first, last


def validate_date_range(value: date) -> None:
    """Refuse a date outside the sane year range (a 9999-12-31 overflows date arithmetic)."""
    first, last = year_range()
    if value is not None and not first <= value.year <= last:
        raise ValidationError(
            _("Give a date between the years %(first)s and %(last)s.")
            % {"first": first, "last": last},
            code="date_range",
        )


def validate_db_integer(value: int) -> None:
    """Refuse an integer no database integer column holds (beyond ±(2^63-1))."""
    if value is not None and not -MAX_ID <= value <= MAX_ID:
        raise ValidationError(
            _("Give a number between %(min)s and %(max)s.") % {"min": -MAX_ID, "max": MAX_ID},
            code="integer_range",
        )


def int_param(params, name: str, *, required: bool = False, min_value: int = 0) -> int | None:
    """The integer query parameter `name` (None when absent and not required)."""
    raw = (params.get(name) or "").strip()
    if not raw:
        if required:
            raise BadParameter(name, _("This parameter is required."))
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, _("Give a whole number.")) from None
    if not min_value <= value <= MAX_ID:
        raise BadParameter(
            name,
            _("Give a number between %(min)s and %(max)s.") % {"min": min_value, "max": MAX_ID},
        )
    return value


def parse_date(raw, name: str) -> date:
    """A YYYY-MM-DD text as a date in the sane year range, or BadParameter naming `name`."""
    try:
        value = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise BadParameter(name, _("Give a date as YYYY-MM-DD.")) from None
    try:
        validate_date_range(value)
    except ValidationError as exc:
        raise BadParameter(name, exc.messages[0]) from None
    return value


def date_param(params, name: str, *, required: bool = False, default=None) -> date | None:
    """The date query parameter `name` (YYYY-MM-DD), else `default`."""
    raw = (params.get(name) or "").strip()
    if not raw:
        if required:
            raise BadParameter(name, _("This parameter is required."))
        return default
    return parse_date(raw, name)


def month_param(params, name: str = "month", *, default=None) -> date | None:
    """The month query parameter `name` (YYYY-MM, or a date in it) as its first day."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    return parse_date(f"{raw[:7]}-01", name)


def year_month_params(params, *, default: date) -> date:
    """`?year=&month=` (e.g. the calendar's) as the first day of that month; either one absent
    takes `default`'s."""
    year = int_param(params, "year") or default.year
    month = int_param(params, "month") or default.month
    if not 1 <= month <= 12:
        raise BadParameter("month", _("Give a month from 1 to 12."))
    first, last = year_range()
    if not first <= year <= last:
        raise BadParameter(
            "year",
            _("Give a year between %(first)s and %(last)s.") % {"first": first, "last": last},
        )
    return date(year, month, 1)


class BadParameterMiddleware:
    """A page whose view read a bad parameter answers 400 naming it (the API answers through
    core.api.api_exception_handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadParameter):
            return None
        from django.http import HttpResponseBadRequest

        text = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exception.message_dict.items()
        )
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def install():
    """Every date field of a form or a serializer refuses a year outside the sane range, and every
    integer field a value no database integer holds (ids in bodies, pk__in lists)."""
    from django import forms
    from rest_framework import serializers

    for field_class, validator in (
        (forms.DateField, validate_date_range),
        (serializers.DateField, validate_date_range),
        (forms.IntegerField, validate_db_integer),
        (serializers.IntegerField, validate_db_integer),
    ):
        if validator not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validator]
