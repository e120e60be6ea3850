"""Function groups (功能组) of a district: forming them, members and their duties (分工),
training sessions and peer review sessions (相互点评、分享), spec §2.1 and §2.4.

Writes need PLAN_MEETINGS over the district (`can_write_unit(user, district)`). Members leave by
getting a `left_on` date; no row is ever deleted."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from meetings.access import can_write_unit
from meetings.models import (
    FunctionGroup,
    FunctionGroupMember,
    PeerReview,
    TrainingMaterial,
    TrainingSession,
)
from meetings.selectors.groups import leader_candidates, member_candidates, reviewable_meetings


def _require_write(acting_user, district) -> None:
    if not can_write_unit(acting_user, district):
        raise PermissionDenied


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("A name of 1 to 100 characters is required.")})
    return name


def _check_leader(district, leader) -> None:
    if leader is None or not leader_candidates(district).filter(pk=leader.pk).exists():
        raise ValidationError(
            {
                "leader": _("The leader must be the district manager or a trainer of %(district)s.")
                % {"district": district}
            }
        )


def _clean_duties(duties: str) -> str:
    duties = (duties or "").strip()
    if len(duties) > 200:
        raise ValidationError({"duties": _("Duties are at most 200 characters.")})
    return duties


def _lock(group: FunctionGroup) -> FunctionGroup:
    return FunctionGroup.objects.select_for_update().select_related("district").get(pk=group.pk)


def _lock_member(member: FunctionGroupMember) -> FunctionGroupMember:
    return (
        FunctionGroupMember.objects.select_for_update()
        .select_related("function_group__district")
        .get(pk=member.pk)
    )


@transaction.atomic
def function_group_create(
    *, acting_user, district, name: str, purpose: str = "", leader
) -> FunctionGroup:
    _require_write(acting_user, district)
    if district.kind != "district":
        raise ValidationError(_("Function groups are formed by a sales district."))
    name = _clean_name(name)
    _check_leader(district, leader)
    return FunctionGroup.objects.create(
        district=district, name=name, purpose=(purpose or "").strip(), leader=leader
    )


@transaction.atomic
def function_group_update(
    *,
    acting_user,
    group: FunctionGroup,
    name: str,
    purpose: str = "",
    leader,
    closed_on: date | None = None,
    base_version: int | None = None,
) -> FunctionGroup:
    """Change the group; an edit on a stale `base_version` is refused (StaleVersion)."""
    group = _lock(group)
    _require_write(acting_user, group.district)
    check_version(group, base_version)
    group.name = _clean_name(name)
    group.purpose = (purpose or "").strip()
    if leader.pk != group.leader_id:
        _check_leader(group.district, leader)
    group.leader = leader
    group.closed_on = closed_on
    claim_version(group, base_version)
    group.save()
    return group


@transaction.atomic
def member_add(
    *, acting_user, group: FunctionGroup, user, duties: str = "", joined_on: date | None = None
) -> FunctionGroupMember:
    group = _lock(group)
    _require_write(acting_user, group.district)
    if group.closed_on:
        raise ConflictError(_("This function group is closed."))
    if not member_candidates(group.district).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Members must be people of the district.")})
    if group.members.filter(user=user, left_on__isnull=True).exists():
        raise ValidationError({"user": _("%(user)s is already a member.") % {"user": user}})
    duties = _clean_duties(duties)
    return FunctionGroupMember.objects.create(
        function_group=group,
        user=user,
        duties=duties,
        joined_on=joined_on or timezone.localdate(),
    )


@transaction.atomic
def member_set_duties(
    *, acting_user, member: FunctionGroupMember, duties: str, base_version: int | None = None
) -> FunctionGroupMember:
    """Change a member's duties; a stale `base_version` is refused (StaleVersion)."""
    member = _lock_member(member)
    _require_write(acting_user, member.function_group.district)
    if member.left_on:
        raise ConflictError(_("This member has left the group."))
    check_version(member, base_version)
    duties = _clean_duties(duties)
    claim_version(member, base_version)
    member.duties = duties
    member.save(update_fields=["duties"])
    return member


@transaction.atomic
def member_remove(
    *,
    acting_user,
    member: FunctionGroupMember,
    left_on: date | None = None,
    base_version: int | None = None,
) -> FunctionGroupMember:
    """The member leaves the group: the row stays, with the day they left."""
    member = _lock_member(member)
    _require_write(acting_user, member.function_group.district)
    check_version(member, base_version)
    if member.left_on:
        raise ConflictError(_("This member has already left the group."))
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    claim_version(member, base_version)
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    return member


def _members_on(group: FunctionGroup, day: date):
    return group.members.filter(joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


def _check_day(day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({"date": _("Sessions are recorded after they took place.")})


@transaction.atomic
def training_save(
    *,
    acting_user,
    group: FunctionGroup,
    training: TrainingSession | None = None,
    day: date,
    content: str,
    trainer,
    attendees,
    base_version: int | None = None,
) -> TrainingSession:
    """Record (or correct) a training session; attendees are chosen from the members of that
    day, the trainer from the people of the district. A correction on a stale `base_version` is
    refused (StaleVersion)."""
    group = _lock(group)
    _require_write(acting_user, group.district)
    if training is not None and training.function_group_id != group.pk:
        raise PermissionDenied
    if training is not None:
        training = TrainingSession.objects.select_for_update().get(pk=training.pk)
        check_version(training, base_version)
    _check_day(day)
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("Describe the content of the training.")})
    if trainer is None or not (
        trainer.pk == group.leader_id
        or member_candidates(group.district).filter(pk=trainer.pk).exists()
    ):
        raise ValidationError({"trainer": _("The trainer must be a person of the district.")})
    attendee_ids = {user.pk for user in attendees}
    allowed = set(_members_on(group, day).values_list("user_id", flat=True))
    if attendee_ids - allowed:
        raise ValidationError(
            {"attendees": _("Attendees must be members of the group on that day.")}
        )
    if training is None:
        training = TrainingSession(function_group=group, recorded_by=acting_user)
    else:
        claim_version(training, base_version)
    training.date = day
    training.content = content
    training.trainer = trainer
    training.save()
    training.attendees.set(attendee_ids)
    return training


@transaction.atomic
def peer_review_save(
    *,
    acting_user,
    group: FunctionGroup,
    review: PeerReview | None = None,
    day: date,
    conclusions: str,
    follow_up_actions: str = "",
    participants,
    meetings=(),
    base_version: int | None = None,
) -> PeerReview:
    """Record (or correct) a peer review and sharing session; participants are the members of
    that day and the leader; the meetings reviewed are meetings of the district. A correction
    on a stale `base_version` is refused (StaleVersion)."""
    group = _lock(group)
    _require_write(acting_user, group.district)
    if review is not None and review.function_group_id != group.pk:
        raise PermissionDenied
    if review is not None:
        review = PeerReview.objects.select_for_update().get(pk=review.pk)
        check_version(review, base_version)
    _check_day(day)
    conclusions = (conclusions or "").strip()
    if not conclusions:
        raise ValidationError({"conclusions": _("Write down the conclusions.")})
    participant_ids = {user.pk for user in participants}
    allowed = set(_members_on(group, day).values_list("user_id", flat=True)) | {group.leader_id}
    if participant_ids - allowed:
        raise ValidationError(
            {"participants": _("Participants must be the leader or members on that day.")}
        )
    meeting_ids = {meeting.pk for meeting in meetings}
    if meeting_ids:
        found = reviewable_meetings(group.district).filter(pk__in=meeting_ids).count()
        if found != len(meeting_ids):
            raise ValidationError(
                {"meetings": _("Only meetings of this district can be reviewed.")}
            )
    if review is None:
        review = PeerReview(function_group=group, recorded_by=acting_user)
    else:
        claim_version(review, base_version)
    review.date = day
    review.conclusions = conclusions
    review.follow_up_actions = (follow_up_actions or "").strip()
    review.save()
    review.participants.set(participant_ids)
    review.meetings.set(meeting_ids)
    return review


def validate_material(file) -> None:
    TrainingMaterial.check_upload(file)


@transaction.atomic
def training_material_add(*, acting_user, training: TrainingSession, file) -> TrainingMaterial:
    """Attach a file (slides, handouts) to a training session."""
    _require_write(acting_user, training.function_group.district)
    material = TrainingMaterial.from_upload(file, uploaded_by=acting_user, training=training)
    material.save()
    return material


@transaction.atomic
def training_material_remove(*, acting_user, material: TrainingMaterial) -> TrainingMaterial:
    """Take a file off a training session; the row and the file stay, marked removed."""
    material = (
        TrainingMaterial._base_manager.select_for_update()
        .select_related("training__function_group__district")
        .get(pk=material.pk)
    )
    _require_write(acting_user, material.training.function_group.district)
    material.mark_removed(acting_user)
    return material
