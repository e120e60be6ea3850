"""Reads of execution flow templates (附件1)."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Length

from meetings.access import readable
from meetings.models import FlowItem, FlowTemplate, FlowTemplateVersion
from org import access
from org.access import Cap


def unit_and_ancestor_paths(unit) -> list[str]:
    parts = [p for p in unit.path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _latest_published_number():
    return Subquery(
        FlowTemplateVersion.objects.filter(
            template=OuterRef("template"), published_at__isnull=False
        )
        .order_by("-number")
        .values("number")[:1]
    )


def versions_for(unit, level) -> QuerySet[FlowTemplateVersion]:
    """The latest published versions of the templates `unit` may use for meetings of `level`: its
    own and those of the units above it, not archived. Templates made for that level come first
    (the unit's own before its parents'); the district default (附件1) is always offered too, as
    the standard flow every level may follow."""
    paths = unit_and_ancestor_paths(unit)
    return (
        FlowTemplateVersion.objects.filter(
            template__unit__path__in=paths,
            template__archived_at__isnull=True,
            published_at__isnull=False,
        )
        .filter(Q(template__level=level) | Q(template__is_default=True))
        .filter(number=_latest_published_number())
        .select_related("template", "template__unit")
        .annotate(
            level_match=Case(
                When(template__level=level, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            depth=Length("template__unit__path"),
        )
        .order_by("level_match", "-depth", "template__name", "pk")
    )


def templates_visible_to(user) -> QuerySet[FlowTemplate]:
    """Templates the user may read (their units' and those of the units above them), with the
    latest published and draft version numbers."""
    published = FlowTemplateVersion.objects.filter(
        template=OuterRef("pk"), published_at__isnull=False
    ).order_by("-number")
    drafts = FlowTemplateVersion.objects.filter(
        template=OuterRef("pk"), published_at__isnull=True
    ).order_by("-number")
    return (
        readable_templates(user)
        .select_related("unit", "copied_from__template")
        .annotate(
            published_number=Subquery(published.values("number")[:1]),
            published_id=Subquery(published.values("pk")[:1]),
            draft_id=Subquery(drafts.values("pk")[:1]),
            draft_number=Subquery(drafts.values("number")[:1]),
            version_count=Count("versions", distinct=True),
        )
        .order_by("unit__path", "level", "name", "pk")
    )


def readable_templates(user) -> QuerySet[FlowTemplate]:
    """Templates of units the user reads, plus those of the units above them (a department uses
    its district's default): readable through any unit at or under the template's unit, where
    VIEW_ORG over a department also reads its district's templates."""
    if user.is_superuser:
        return FlowTemplate.objects.all()
    above = access.paths_at_or_above(user, Cap.VIEW_ORG) | set(access.own_unit_paths(user))
    own = readable(FlowTemplate.objects.all(), user)
    return FlowTemplate.objects.filter(Q(pk__in=own.values("pk")) | Q(unit__path__in=above))


def version_with_content(version_id) -> FlowTemplateVersion:
    """A version with its sections and items loaded in two queries."""
    return (
        FlowTemplateVersion.objects.select_related("template__unit", "created_by")
        .prefetch_related("sections__items")
        .get(pk=version_id)
    )


def version_totals(version: FlowTemplateVersion) -> dict:
    """Planned minutes of the required items and of all items, by the database."""
    return FlowItem.objects.filter(section__version=version).aggregate(
        items=Count("pk"),
        required_minutes=Sum("planned_minutes", filter=Q(required=True), default=0),
        all_minutes=Sum("planned_minutes", default=0),
    )
