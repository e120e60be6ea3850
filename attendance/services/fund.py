"""The deduction fund (spec §5.5): a usage (debit) goes through the approval flow (kind
"fund_usage"); the balance may not go negative unless the district manager overrides with a
reason.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import services as approvals
from attendance import access
from attendance.models import (
    FundEntry,
    FundEntryKind,
    FundEntryState,
)
from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from org.models import Unit

FUND_KIND = "fund_usage"


# -- the fund ------------------------------------------------------------------------------------


def _available(district: Unit) -> Decimal:
    """The balance less the usage waiting for approval."""
    entries = FundEntry.objects.filter(district=district)
    pending = entries.filter(kind=FundEntryKind.DEBIT, state=FundEntryState.SUBMITTED)
    return entries.balance() - sum(pending.values_list("amount", flat=True), Decimal("0"))


def _check_fund_usage(acting_user, district, department, amount, override, override_reason):
    if department is not None and department.district_id != district.pk:
        raise ValidationError(_("The department is not in this district."))
    if not access.can_enter_fund_usage(acting_user, district, department):
        raise PermissionDenied
    if amount is None or amount <= 0:
        raise ValidationError(_("The amount must be positive."))
    if override and not access.can_override_fund(acting_user, district):
        raise PermissionDenied(_("Only the district manager may override the balance."))
    if override and not override_reason.strip():
        raise ValidationError(_("Give a reason for the override."))
    Unit.objects.select_for_update().filter(pk=district.pk).first()  # one fund at a time
    if amount > _available(district) and not override:
        raise ValidationError(_("The fund's balance would go negative."))


def _submit_fund_usage(entry: FundEntry, acting_user) -> None:
    approvals.approval_submit(
        acting_user=acting_user,
        subject=entry,
        kind=FUND_KIND,
        unit=entry.department or entry.district,
        title=entry.title,
        url=entry.get_absolute_url(),
    )


@transaction.atomic
def fund_usage_submit(
    *,
    acting_user,
    district: Unit,
    department: Unit | None = None,
    day: date,
    amount: Decimal,
    purpose: str,
    override: bool = False,
    override_reason: str = "",
) -> FundEntry:
    """A usage entry (扣款使用明细), submitted to the approval flow."""
    _check_fund_usage(acting_user, district, department, amount, override, override_reason)
    entry = FundEntry(
        district=district,
        department=department,
        date=day,
        kind=FundEntryKind.DEBIT,
        amount=amount,
        purpose=purpose,
        override=override,
        override_reason=override_reason.strip()[:200] if override else "",
        created_by=acting_user,
    )
    entry._history_user = acting_user
    entry.save()
    _submit_fund_usage(entry, acting_user)
    return entry


@transaction.atomic
def fund_usage_resubmit(
    *,
    acting_user,
    entry: FundEntry,
    department: Unit | None = None,
    day: date,
    amount: Decimal,
    purpose: str,
    override: bool = False,
    override_reason: str = "",
    base_version: int | None = None,
) -> FundEntry:
    """Correct a returned usage entry and submit it again (the entry's history and the approval
    trail keep the returned values and the reason). `base_version` is the version the correction
    was based on: a stale one (someone resubmitted meanwhile) raises StaleVersion."""
    entry = (
        FundEntry.objects.select_for_update(of=("self",))
        .select_related("district", "department")
        .get(pk=entry.pk)
    )
    if not access.can_enter_fund_usage(acting_user, entry.district, entry.department):
        raise PermissionDenied(_("You may not change this entry."))
    check_version(entry, base_version)
    if entry.kind != FundEntryKind.DEBIT or entry.state != FundEntryState.RETURNED:
        raise ConflictError(_("Only a returned usage entry can be changed and resubmitted."))
    _check_fund_usage(acting_user, entry.district, department, amount, override, override_reason)
    claim_version(entry, base_version)
    entry.department, entry.date, entry.amount = department, day, amount
    entry.purpose = purpose
    entry.override = override
    entry.override_reason = override_reason.strip()[:200] if override else ""
    entry.state = FundEntryState.SUBMITTED
    entry.approved_by, entry.decided_at = None, None
    entry._history_user = acting_user
    entry.save()
    _submit_fund_usage(entry, acting_user)
    return entry


def fund_usage_decide(
    *, acting_user, entry: FundEntry, decision: str, expected_step: int | None, comment: str = ""
):
    """Approve or return the step of the entry's approval the approver saw
    (approvals.services.decide)."""
    return approvals.decide(
        acting_user=acting_user,
        request=approvals.pending_request(entry, _("This entry is not waiting for approval.")),
        decision=decision,
        expected_step=expected_step,
        comment=comment,
    )


def on_fund_usage_approved(entry: FundEntry, acting_user) -> None:
    """Approval hook (in the approval's transaction): checks the balance again."""
    Unit.objects.select_for_update().filter(pk=entry.district_id).first()
    balance = FundEntry.objects.filter(district_id=entry.district_id).balance()
    if entry.amount > balance and not entry.override:
        raise ValidationError(_("The fund's balance would go negative."))
    _decided(entry, acting_user)
    entry.state = FundEntryState.APPROVED
    entry.approved_by, entry.decided_at = acting_user, timezone.now()
    entry.save(update_fields=["state", "approved_by", "decided_at"])


def on_fund_usage_returned(entry: FundEntry, acting_user) -> None:
    _decided(entry, acting_user)
    entry.state = FundEntryState.RETURNED
    entry.decided_at = timezone.now()
    entry.save(update_fields=["state", "decided_at"])


def _decided(entry: FundEntry, acting_user) -> None:
    """A decision is a new version of the entry: an edit based on the version before it (a
    resubmission by someone who has not seen the decision) is refused as stale."""
    claim_version(entry, None)
    entry._history_user = acting_user
