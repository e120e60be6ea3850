from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.versioning import StaleVersion, check_version, claim_version
from org.access import Cap, holds
from org.models import UnitKind
from workcalendar.models import CalendarDay


@transaction.atomic
def calendar_day_set(
    *,
    acting_user,
    district,
    day: date,
    is_workday: bool,
    note: str = "",
    base_version: int | None = None,
) -> CalendarDay:
    """Mark a date of a district as workday or not. Setting it back to the default keeps the row
    (and its history) with the default value rather than deleting it.

    `base_version` is the version of the date's row the edit was based on (0: no row was seen,
    the date followed the Mon–Fri default); a stale one raises StaleVersion, also when someone
    marked the date meanwhile."""
    if district.kind != UnitKind.DISTRICT:
        raise ValidationError({"district": _("The work calendar belongs to a sales district.")})
    if not holds(acting_user, Cap.EDIT_CALENDAR, district):
        raise PermissionDenied(
            _("You may not edit the work calendar of %(unit)s.") % {"unit": district}
        )
    note = note.strip()
    row = CalendarDay.objects.select_for_update().filter(district=district, date=day).first()
    if row is None:
        row = CalendarDay(district=district, date=day, is_workday=is_workday, note=note)
        row._history_user = acting_user
        try:
            with transaction.atomic():  # two first saves of one date: the loser is stale
                row.save()
        except IntegrityError:
            raise StaleVersion(
                CalendarDay.objects.get(district=district, date=day), base_version
            ) from None
        return row
    check_version(row, base_version)
    if row.is_workday == is_workday and row.note == note:
        return row
    claim_version(row, base_version)
    row.is_workday = is_workday
    row.note = note
    row._history_user = acting_user
    row.save()
    return row
