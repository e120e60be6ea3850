"""Improvement measures (改善举措) agreed with a department and followed up."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from attendance import access
from attendance.models import (
    ImprovementMeasure,
)
from attendance.services.deductions import first_of_month
from core.versioning import claim_version
from org.models import Unit, UnitKind

# -- improvement measures --------------------------------------------------------------------------

MEASURE_FIELDS = ["month", "measure", "owner", "due_date", "status", "follow_up"]


@transaction.atomic
def measure_owners(departments):
    """Who may own a department's improvement measure: staff holding a role in that department
    or its district (ended roles excluded)."""
    paths = set()
    for department in departments:
        paths.add(department.path)
        paths.add(department.path.rsplit("/", 2)[0] + "/")
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__unit__path__in=paths,
            role_assignments__ended_on__isnull=True,
        )
        .distinct()
        .order_by("username")
    )


def measure_save(
    *,
    acting_user,
    department: Unit,
    values: dict,
    measure: ImprovementMeasure | None = None,
    base_version: int | None = None,
) -> ImprovementMeasure:
    """Create or edit; an edit on a stale `base_version` (the one it was based on) is refused."""
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError(_("Improvement measures belong to a sales department."))
    if not access.can_write_measures(acting_user, department):
        raise PermissionDenied
    if measure is None:
        measure = ImprovementMeasure(created_by=acting_user)
    elif not access.can_write_measures(acting_user, measure.department):
        raise PermissionDenied
    else:
        claim_version(measure, base_version)
    measure.department, measure.district_id = department, department.district_id
    for name in MEASURE_FIELDS:
        if name in values:
            setattr(measure, name, values[name])
    measure.month = first_of_month(measure.month)
    if not measure_owners([department]).filter(pk=measure.owner_id).exists():
        raise ValidationError(
            {"owner": _("The owner must be on the staff of the department or its district.")}
        )
    measure.save()
    return measure
