"""§6.4: hand a resigned agent's prospect and recruitment cards over to an active agent of the
same department, in one step (who may, and who can receive them: activity.selectors.handover)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.models import CardHandover, ProspectCard, RecruitCard
from activity.selectors.handover import can_hand_over, is_resigned, successors


@transaction.atomic
def cards_hand_over(*, acting_user, from_agent, to_agent) -> CardHandover:
    """Move all the resigned agent's cards to `to_agent` in one step."""
    if not can_hand_over(acting_user, from_agent):
        raise PermissionDenied
    if not is_resigned(from_agent):
        raise ValidationError(_("Cards are handed over when their agent has resigned."))
    if not successors(from_agent).filter(pk=to_agent.pk).exists():
        raise ValidationError({"to_agent": _("Choose an active agent of the same department.")})
    now = timezone.now()
    moved = {}
    for name, model in (("prospect_cards", ProspectCard), ("recruit_cards", RecruitCard)):
        cards = model.objects.filter(agent=from_agent)
        cards.filter(handed_over_from__isnull=True).update(handed_over_from=from_agent)
        moved[name] = cards.update(
            agent=to_agent, handed_over_at=now, updated_at=now, version=F("version") + 1
        )
    if not any(moved.values()):
        raise ValidationError(_("This agent holds no cards."))
    handover = CardHandover(
        from_agent=from_agent, to_agent=to_agent, handed_over_by=acting_user, **moved
    )
    handover._change_reason = "hand over"
    handover.save()
    return handover
