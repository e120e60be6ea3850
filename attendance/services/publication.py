"""Publication of a closed month's deductions and fund usage, per district and department."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import access
from attendance.models import (
    DeductionMonth,
    DeductionMonthState,
    Publication,
)
from attendance.services.deductions import first_of_month
from core.exceptions import ConflictError
from org.models import Unit, UnitKind

# -- publication -------------------------------------------------------------------------------


@transaction.atomic
def publication_publish(*, acting_user, unit: Unit, month: date) -> Publication:
    """Publish a district's or department's deductions and fund usage of a closed month."""
    if unit.kind not in {UnitKind.DISTRICT, UnitKind.DEPARTMENT}:
        raise ValidationError(_("Pages are published per district and department."))
    district = Unit.objects.get(pk=unit.district_id)
    if not access.can_run_deductions(acting_user, district):
        raise PermissionDenied
    month = first_of_month(month)
    closed = DeductionMonth.objects.filter(
        district=district, month=month, state=DeductionMonthState.CLOSED
    ).exists()
    if not closed:
        raise ConflictError(_("Close the month's deductions before publishing them."))
    publication, _created = Publication.objects.get_or_create(
        unit=unit,
        month=month,
        defaults={
            "district": district,
            "published_at": timezone.now(),
            "published_by": acting_user,
        },
    )
    return publication
