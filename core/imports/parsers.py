"""Cell parsers for `Column(parse=...)`: each takes the cell as read and returns the value, or
raises CellError with a message for the user."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.xlsx import CellError, cell_date, cell_text

date = cell_date


def text(value) -> str:
    return cell_text(value)


def integer(minimum: int = 0, maximum: int = 999):
    def parse(value) -> int:
        content = cell_text(value)
        if not content.lstrip("-").isdigit() or not minimum <= int(content) <= maximum:
            raise CellError(
                _("A whole number from %(min)s to %(max)s.") % {"min": minimum, "max": maximum}
            )
        return int(content)

    return parse


def decimal(minimum=None, maximum=None, places: int = 2):
    def parse(value) -> Decimal:
        try:
            number = Decimal(cell_text(value).replace(",", ""))
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or (minimum is not None and number < minimum)
            or (maximum is not None and number > maximum)
            or -number.as_tuple().exponent > places
        ):
            raise CellError(_("Not a valid number."))
        return number

    return parse


def choice(mapping: dict):
    """`mapping`: every accepted spelling → the stored value (matched case-insensitively)."""
    lookup = {str(key).strip().casefold(): value for key, value in mapping.items()}

    def parse(value):
        found = lookup.get(cell_text(value).casefold())
        if found is None:
            raise CellError(
                _("Unknown value; use one of: %(values)s.")
                % {"values": ", ".join(str(key) for key in mapping)}
            )
        return found

    return parse
