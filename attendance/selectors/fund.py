"""Reads of the deduction fund: district staff (view scope over the district) see all of the
district's entries; department staff those of their department.
"""

from datetime import date
from decimal import Decimal

from attendance.models import (
    FundEntry,
)
from org.access import get_object_for_user


def visible_fund_entries(user):
    return FundEntry.objects.visible_to(user).select_related(
        "district", "department", "created_by", "approved_by"
    )


def get_fund_entry_for_user(user, pk) -> FundEntry:
    entries = FundEntry.objects.select_related(
        "district", "department", "created_by", "approved_by"
    )
    return get_object_for_user(entries, user, pk)


def fund_balance(district, through: date | None = None) -> Decimal:
    entries = FundEntry.objects.filter(district=district)
    if through:
        entries = entries.filter(date__lte=through)
    return entries.balance()
