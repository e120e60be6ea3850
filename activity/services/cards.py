"""The agent's own prospect and recruitment cards: an edit carries the version it was based on
(core/versioning), so a save from a second tab or phone never reverts the first."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from activity.models import Card
from core.versioning import check_version, claim_version
from org import access

CARD_FIELDS = ["name", "contact", "source", "stage", "next_contact_on", "last_contact_on", "notes"]


@transaction.atomic
def card_update(*, acting_user, card: Card, values: dict, base_version: int | None = None) -> Card:
    """Change the caller's own card; a stale `base_version` raises StaleVersion."""
    model = type(card)
    card = model.objects.select_for_update().get(pk=card.pk)
    if card.agent_id != access.own_agent_id(acting_user):
        raise PermissionDenied
    check_version(card, base_version)
    changed = [n for n in CARD_FIELDS if n in values and getattr(card, n) != values[n]]
    if not changed:
        return card
    claim_version(card, base_version)
    for name in changed:
        setattr(card, name, values[name])
    card.save()
    return card
