"""The district's scorecard (百分卡): an edit carries the version it was based on
(core/versioning)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from activity.access import can_edit_scorecard
from activity.models import Scorecard
from core.versioning import check_version, claim_version

SCORECARD_FIELDS = [
    "new_prospect",
    "first_visit",
    "follow_up_visit",
    "closing_visit",
    "service_visit",
    "recruiting_talk",
    "policy_closed",
    "weekly_target",
]


@transaction.atomic
def scorecard_save(
    *, acting_user, district, values: dict, base_version: int | None = None
) -> Scorecard:
    """Set the district's points and target. `base_version` is the version the edit was based
    on; 0 means the page showed the defaults (no scorecard yet): stale once one was saved."""
    if not can_edit_scorecard(acting_user, district):
        raise PermissionDenied
    scorecard = Scorecard.objects.select_for_update().filter(district=district).first()
    if scorecard is None:
        scorecard = Scorecard(district=district)
    else:
        check_version(scorecard, base_version)
        claim_version(scorecard, base_version)
    for name in SCORECARD_FIELDS:
        if name in values:
            setattr(scorecard, name, values[name])
    scorecard.save()
    return scorecard
