"""A publication page: staff whose view scope covers the unit (also before publishing); once
published, everyone who belongs to the unit or below (own_unit_ids), agents included.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from attendance.access import own_unit_ids
from attendance.models import (
    DeductionLine,
    DeductionMonth,
    FundEntry,
    FundEntryKind,
    FundEntryState,
    Publication,
)
from attendance.selectors.fund import fund_balance
from attendance.selectors.month import month_bounds
from org.access import Cap, holds
from org.models import Unit, UnitKind

# -- publication ---------------------------------------------------------------------------------


def can_read_publication(user, unit: Unit, month: date) -> Publication | bool:
    """The publication (or True for staff before it is published); False if not readable."""
    publication = Publication.objects.filter(unit=unit, month=month).first()
    if holds(user, Cap.VIEW_ORG, unit):
        return publication or True
    if publication and unit.pk in own_unit_ids(user):
        return publication
    return False


def visible_publications(user):
    return Publication.objects.visible_to(user).select_related("unit")


@dataclass
class PublicationPage:
    unit: Unit
    month: date
    deduction_month: DeductionMonth | None
    lines: list
    total: Decimal
    usage: list
    usage_total: Decimal
    credited: Decimal
    balance: Decimal


def publication_page(unit: Unit, month: date) -> PublicationPage:
    """The month's deductions per agent of the unit, its fund usage, and the district fund's
    balance at the month's end (four queries)."""
    first, last = month_bounds(month.year, month.month)
    deduction_month = DeductionMonth.objects.filter(
        district_id=unit.district_id, month=first
    ).first()
    lines = DeductionLine.objects.none()
    if deduction_month:
        lines = deduction_month.lines.select_related("agent", "department").order_by(
            "department__path", "agent__code"
        )
        if unit.kind == UnitKind.DEPARTMENT:
            lines = lines.filter(department=unit)
    lines = list(lines)
    usage = FundEntry.objects.filter(
        district_id=unit.district_id,
        kind=FundEntryKind.DEBIT,
        state=FundEntryState.APPROVED,
        date__range=(first, last),
    ).select_related("department", "approved_by")
    if unit.kind == UnitKind.DEPARTMENT:
        usage = usage.filter(department=unit)
    usage = list(usage.order_by("date", "id"))
    credit = (
        deduction_month.fund_credit.amount
        if deduction_month and hasattr(deduction_month, "fund_credit")
        else Decimal("0")
    )
    return PublicationPage(
        unit=unit,
        month=first,
        deduction_month=deduction_month,
        lines=lines,
        total=sum((line.amount for line in lines), Decimal("0")),
        usage=usage,
        usage_total=sum((entry.amount for entry in usage), Decimal("0")),
        credited=credit,
        balance=fund_balance(unit.district_id, last),
    )
