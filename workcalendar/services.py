from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from org.access import Cap, holds
from org.models import UnitKind
from workcalendar.models import CalendarDay


@transaction.atomic
def calendar_day_set(
    *, acting_user, district, day: date, is_workday: bool, note: str = ""
) -> CalendarDay:
    """Mark a date of a district as workday or not. Setting it back to the default keeps the row
    (and its history) with the default value rather than deleting it."""
    if district.kind != UnitKind.DISTRICT:
        raise ValidationError({"district": _("The work calendar belongs to a sales district.")})
    if not holds(acting_user, Cap.EDIT_CALENDAR, district):
        raise PermissionDenied(
            _("You may not edit the work calendar of %(unit)s.") % {"unit": district}
        )
    row = CalendarDay.objects.select_for_update().filter(district=district, date=day).first()
    if row is None:
        row = CalendarDay(district=district, date=day)
    elif row.is_workday == is_workday and row.note == note:
        return row
    row.is_workday = is_workday
    row.note = note.strip()
    row._history_user = acting_user
    row.save()
    return row
