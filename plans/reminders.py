"""Reminders of documents due and of publications not yet acknowledged (through the
notification centre's `send_reminders`; each person hears of each thing once)."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from approvals.services import resolve_levels
from core.reminders import register
from notifications.models import NotificationKind
from notifications.services import Message
from org.access import Cap, holder_map
from plans.models import Acknowledgement, Document, DocumentVersion, VersionState

DUE_SOON_DAYS = 3
ACKNOWLEDGE_WITHIN_DAYS = 3
# A document is on its way once a version has been submitted.
ON_ITS_WAY = [
    VersionState.SUBMITTED,
    VersionState.APPROVED,
    VersionState.PUBLISHED,
    VersionState.SUPERSEDED,
]


@register("plans")
def plan_reminders(today: date) -> Iterator[Message]:
    yield from _documents_due(today)
    yield from _acknowledgements_pending(today)


def _holders(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], set[int]]:
    """{(role, unit id): user ids} for the current, active holders (one query)."""
    if not pairs:
        return {}
    condition = Q()
    for role, unit_id in pairs:
        condition |= Q(role=role, unit_id=unit_id)
    found: dict[tuple[str, int], set[int]] = {}
    for role, unit_id, user_id in (
        RoleAssignment.objects.current()
        .filter(condition, user__is_active=True)
        .values_list("role", "unit_id", "user_id")
    ):
        found.setdefault((role, unit_id), set()).add(user_id)
    return found


def _documents_due(today: date) -> Iterator[Message]:
    """Due soon (within three days, and on the day): the unit's authors. Overdue: the
    authors and the first approver above them."""
    on_its_way = DocumentVersion.objects.filter(document=OuterRef("pk"), state__in=ON_ITS_WAY)
    documents = list(
        Document.objects.filter(
            due_date__isnull=False, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)
        )
        .exclude(Exists(on_its_way))
        .filter(unit__closed_on__isnull=True)
        .select_related("kind", "unit")
    )
    first_approver: dict[tuple[str, int], tuple[str, int] | None] = {}
    for document in documents:
        key = (document.kind.approval_kind, document.unit_id)
        if document.due_date < today and key not in first_approver:
            try:
                first_approver[key] = tuple(resolve_levels(key[0], document.unit)[0])
            except (ValidationError, KeyError):  # no chain: the authors are reminded alone
                first_approver[key] = None
    holders = _holders({pair for pair in first_approver.values() if pair})
    author_ids = holder_map({d.unit_id for d in documents}, Cap.AUTHOR_PLANS)
    for document in documents:
        authors = set(author_ids.get((Cap.AUTHOR_PLANS, document.unit_id), []))
        url = document.get_absolute_url()
        due = f"{document.due_date:%Y-%m-%d}"
        if document.due_date >= today:
            title = _("Due on %(date)s: %(title)s") % {"date": due, "title": document.title}
            for user_id in sorted(authors):
                yield Message(
                    user_id,
                    NotificationKind.DEADLINE,
                    title,
                    url,
                    dedupe_key=f"plans:due-soon:{document.pk}:{due}:{user_id}",
                )
            continue
        title = _("Overdue since %(date)s: %(title)s") % {"date": due, "title": document.title}
        approver = first_approver.get((document.kind.approval_kind, document.unit_id))
        recipients = authors | (holders.get(approver, set()) if approver else set())
        for user_id in sorted(recipients):
            yield Message(
                user_id,
                NotificationKind.DEADLINE,
                title,
                url,
                dedupe_key=f"plans:overdue:{document.pk}:{due}:{user_id}",
            )


def _acknowledgements_pending(today: date) -> Iterator[Message]:
    """Published versions not acknowledged three days after publication: the target unit's
    manager."""
    rows = list(
        Acknowledgement.objects.filter(
            at__isnull=True,
            version__state=VersionState.PUBLISHED,
            version__published_at__date__lte=today - timedelta(days=ACKNOWLEDGE_WITHIN_DAYS),
            unit__closed_on__isnull=True,
        ).select_related("unit", "version")
    )
    holders = holder_map({row.unit_id for row in rows}, Cap.LEAD_UNIT)
    for row in rows:
        title = _("Please acknowledge: %(title)s") % {"title": row.version.title}
        for user_id in sorted(set(holders.get((Cap.LEAD_UNIT, row.unit_id), []))):
            yield Message(
                user_id,
                NotificationKind.DEADLINE,
                title,
                row.version.get_absolute_url(),
                dedupe_key=f"plans:ack:{row.version_id}:{row.unit_id}:{user_id}",
            )
