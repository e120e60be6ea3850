"""Document kinds as approval kinds: labels, and the default approval chain of a new kind."""

import time

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from org.models import UnitKind

# Default approvers by the kind of unit a document belongs to (spec §9): the marketing dept
# approves district rules and plans; the department manager, then the district manager,
# approve department plans. Administrators change them per kind and unit (approval chains).
DEFAULT_LEVELS: dict[str, list[tuple[str, str]]] = {
    UnitKind.DISTRICT: [(Role.MARKETING, UnitKind.BRANCH)],
    UnitKind.DEPARTMENT: [
        (Role.DEPT_MANAGER, UnitKind.DEPARTMENT),
        (Role.DISTRICT_MANAGER, UnitKind.DISTRICT),
    ],
}

_names: dict[str, str] = {}
_loaded_at = 0.0
_TTL = 300  # seconds; an administrator's rename shows within five minutes everywhere


def kind_name(code: str) -> str:
    """The label of approval kind "document.<code>": the document kind's name (cached, one
    query every few minutes however many requests are listed)."""
    global _loaded_at
    if "." not in code:
        return _("Plans and regulations")
    kind_code = code.split(".", 1)[1]
    if kind_code not in _names or time.monotonic() - _loaded_at > _TTL:
        from plans.models import DocumentKind

        _names.clear()
        _names.update(DocumentKind.objects.values_list("code", "name"))
        _loaded_at = time.monotonic()
    return _names.get(kind_code, kind_code)


def forget_names() -> None:
    global _loaded_at
    _loaded_at = 0.0


@transaction.atomic
def ensure_default_chain(kind) -> None:
    """Give a document kind the default approval chain of its unit kind, unless it has one."""
    from approvals.models import ApprovalChain, ApprovalLevel

    chain, created = ApprovalChain.objects.get_or_create(kind=kind.approval_kind, unit=None)
    if created or not chain.levels.exists():
        ApprovalLevel.objects.bulk_create(
            ApprovalLevel(chain=chain, order=order, role=role, unit_kind=unit_kind)
            for order, (role, unit_kind) in enumerate(DEFAULT_LEVELS[kind.unit_kind], start=1)
        )
    forget_names()


def kind_members() -> list[tuple[str, str]]:
    """Every document kind as an approval kind, for configuring approval chains."""
    from plans.models import DocumentKind

    return [
        (f"document.{code}", name)
        for code, name in DocumentKind.objects.order_by("name").values_list("code", "name")
    ]
