"""Reads of the district's function groups (功能组)."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from accounts.models import RoleAssignment
from meetings.access import can_write_unit, readable
from meetings.models import FunctionGroup, Meeting, PeerReview, TrainingSession
from org import access
from org.access import Cap
from org.models import Agent, Unit


def function_groups_visible_to(user) -> QuerySet[FunctionGroup]:
    return FunctionGroup.objects.visible_to(user)


def function_group_list(user) -> QuerySet[FunctionGroup]:
    return (
        function_groups_visible_to(user)
        .select_related("district", "leader")
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            training_count=Count("trainings", distinct=True),
            review_count=Count("peer_reviews", distinct=True),
        )
        .order_by("district__path", "closed_on", "name", "pk")
    )


def can_read_group(user, group: FunctionGroup) -> bool:
    return function_groups_visible_to(user).filter(pk=group.pk).exists()


def can_write_group(user, group_or_district) -> bool:
    district = getattr(group_or_district, "district", None)
    if isinstance(group_or_district, FunctionGroup):
        district = group_or_district.district
    else:
        district = group_or_district
    return can_write_unit(user, district)


def writable_districts(user) -> QuerySet[Unit]:
    """Districts where the user may form function groups (PLAN_MEETINGS on the district)."""
    districts = Unit.objects.filter(kind="district", closed_on__isnull=True)
    return districts.filter(access.exact_q(user, Cap.PLAN_MEETINGS, via=""))


def leader_candidates(district) -> QuerySet:
    """The district's managers and trainers (the only allowed leaders, spec §2.1)."""
    return access.holders(Cap.LEAD_FUNCTION_GROUPS, district, exact=True)


def member_candidates(district) -> QuerySet:
    """People of the district: staff with a role in it or below, and its agents with an
    account."""
    staff = RoleAssignment.objects.current().filter(unit__path__startswith=district.path)
    agents = Agent.objects.filter(
        group__path__startswith=district.path, user__isnull=False
    ).exclude(status="resigned")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=staff.values("user_id")) | Q(pk__in=agents.values("user_id")))
        .order_by("full_name", "username")
    )


def group_detail(group_id) -> FunctionGroup:
    return FunctionGroup.objects.select_related("district", "leader").get(pk=group_id)


def members_of(group: FunctionGroup, *, include_left: bool = True) -> QuerySet:
    members = group.members.select_related("user")
    if not include_left:
        members = members.filter(left_on__isnull=True)
    return members.order_by("left_on", "joined_on", "pk")


def trainings_of(group: FunctionGroup) -> QuerySet[TrainingSession]:
    return (
        group.trainings.select_related("trainer")
        .annotate(attendee_count=Count("attendees", distinct=True))
        .prefetch_related("attendees", "materials")
        .order_by("-date", "-pk")
    )


def peer_reviews_of(group: FunctionGroup) -> QuerySet[PeerReview]:
    return (
        group.peer_reviews.annotate(
            participant_count=Count("participants", distinct=True),
            meeting_count=Count("meetings", distinct=True),
        )
        .prefetch_related("participants", "meetings__unit")
        .order_by("-date", "-pk")
    )


def reviewable_meetings(district) -> QuerySet[Meeting]:
    """Meetings of the district (its own and its departments' and groups') a review may cover."""
    return Meeting.objects.filter(unit__path__startswith=district.path).select_related("unit")


def readable_meetings(user) -> QuerySet[Meeting]:
    return readable(Meeting.objects.all(), user)
