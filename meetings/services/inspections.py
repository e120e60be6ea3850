"""Changes to the district's supervision of department meetings (§7): the checklist, visits, the
acceptance form (附件4) and its issues. Each function is one transaction taking `acting_user`;
history is written by django-simple-history on every row."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from meetings.access import can_inspect
from meetings.models import (
    DEFAULT_CHECKLIST,
    MAX_RATING,
    AcceptanceForm,
    CalendarEntry,
    ChecklistItem,
    FormScore,
    Issue,
    Visit,
    VisitState,
)
from meetings.selectors.inspections import can_resolve, find_meeting
from notifications.models import NotificationKind
from notifications.services import notify
from org import access as layer
from org.access import Cap
from org.models import Unit, UnitKind


def _require_inspect(user, unit) -> None:
    if not can_inspect(user, unit):
        raise PermissionDenied


# -- checklist -------------------------------------------------------------------------------
def checklist_ensure_default(*, district: Unit) -> list[ChecklistItem]:
    """The district's checklist, creating the default one (§7 附件4) if it has none."""
    with transaction.atomic():
        items = list(ChecklistItem.objects.filter(district=district).order_by("order", "pk"))
        if items:
            return items
        for order, (title, weight) in enumerate(DEFAULT_CHECKLIST, start=1):
            items.append(
                ChecklistItem.objects.create(
                    district=district, order=order, title=title, weight=weight
                )
            )
        return items


@transaction.atomic
def checklist_save(*, acting_user, district: Unit, items: list[dict]) -> list[ChecklistItem]:
    """Add, rename, reorder, reweight and (de)activate the district's checklist items in one go.

    `items`: dicts with `title`, `weight`, optional `id` (an existing item) with its `version`
    (the one the edit was based on; 0: the page did not show the item), `order`, `active`,
    `guidance`. Items not listed stay as they are. Items are never deleted. The active items'
    weights must sum to 100 afterwards; forms already filled keep the weights they were filled
    with. An item listed with a stale version is refused (StaleVersion, on the first such item;
    nothing is saved) before the values are checked."""
    _require_inspect(acting_user, district)
    existing = {
        item.pk: item
        for item in ChecklistItem.objects.select_for_update().filter(district=district)
    }
    bases = {}
    for data in items:
        item = existing.get(_item_id(data.get("id")))
        if item is not None and data.get("version") is not None:
            bases[item.pk] = int(data["version"])
            check_version(item, bases[item.pk])
    next_order = max((item.order for item in existing.values()), default=0) + 1
    errors = []
    touched = []
    for position, data in enumerate(items, start=1):
        title = (data.get("title") or "").strip()
        weight = data.get("weight")
        active = data.get("active", True)
        if not title:
            errors.append(_("Line %(n)s: the title is required.") % {"n": position})
            continue
        try:
            weight = int(weight)
        except (TypeError, ValueError):
            errors.append(_("Line %(n)s: the weight must be a whole number.") % {"n": position})
            continue
        if not 0 <= weight <= 100 or (active and weight == 0):
            errors.append(
                _("Line %(n)s: the weight of an active item must be between 1 and 100.")
                % {"n": position}
            )
            continue
        item_id = data.get("id")
        if item_id:
            item = existing.get(int(item_id))
            if item is None:
                errors.append(_("Line %(n)s: unknown checklist item.") % {"n": position})
                continue
        else:
            item = ChecklistItem(district=district, order=data.get("order") or next_order)
            next_order += 1
        item.title = title
        item.weight = weight
        item.active = bool(active)
        item.guidance = (data.get("guidance") or "").strip()
        if data.get("order"):
            item.order = int(data["order"])
        touched.append(item)
    if errors:
        raise ValidationError(errors)
    final = dict(existing)
    for item in touched:
        if item.pk:
            final[item.pk] = item
    active = [item for item in final.values() if item.active] + [
        item for item in touched if not item.pk and item.active
    ]
    if not active:
        raise ValidationError(_("The checklist needs at least one active item."))
    total = sum(item.weight for item in active)
    if total != 100:
        raise ValidationError(
            _("The weights of the active items must sum to 100; they sum to %(total)s.")
            % {"total": total}
        )
    for item in touched:
        item._history_user = acting_user
        if not item.pk:
            item.save()
        elif _changed(item):
            claim_version(item, bases.get(item.pk))
            item.save()
    return list(ChecklistItem.objects.filter(district=district).order_by("-active", "order"))


def _item_id(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _changed(item: ChecklistItem) -> bool:
    before = ChecklistItem.objects.filter(pk=item.pk).values(
        "title", "weight", "active", "guidance", "order"
    )[0]
    return any(before[name] != getattr(item, name) for name in before)


# -- visits ----------------------------------------------------------------------------------
@transaction.atomic
def visit_plan(
    *,
    acting_user,
    inspector,
    calendar_entry: CalendarEntry | None = None,
    unit: Unit | None = None,
    date: date | None = None,
    note: str = "",
) -> Visit:
    """Plan a visit to a calendar entry's meeting, or to a unit on a date without one."""
    if calendar_entry is not None:
        if calendar_entry.cancelled_at:
            raise ConflictError(_("This calendar entry was cancelled."))
        unit = calendar_entry.calendar.unit
        date = calendar_entry.date
    if unit is None or date is None:
        raise ValidationError(_("Choose a calendar entry, or a unit and a date."))
    if unit.kind not in (UnitKind.DEPARTMENT, UnitKind.GROUP):
        raise ValidationError(_("Only departments' and groups' meetings are inspected."))
    _require_inspect(acting_user, unit)
    if inspector is None or not layer.holds(inspector, Cap.INSPECT_MEETINGS, unit):
        raise ValidationError(
            _("The inspector must be a member of the district who inspects meetings.")
        )
    duplicate = Visit.objects.filter(unit=unit, date=date, inspector=inspector).exclude(
        state=VisitState.CANCELLED
    )
    if duplicate.exists():
        raise ConflictError(_("This inspector already has a visit to this unit on that day."))
    department = unit if unit.kind == UnitKind.DEPARTMENT else unit.parent
    visit = Visit.objects.create(
        unit=unit,
        department=department,
        district_id=unit.district_id,
        date=date,
        calendar_entry=calendar_entry,
        inspector=inspector,
        note=(note or "").strip(),
        planned_by=acting_user,
    )
    if inspector.pk != acting_user.pk:
        notify(
            recipients=[inspector],
            kind=NotificationKind.PUBLISHED,
            title=_("Meeting visit planned for you: %(unit)s on %(date)s")
            % {"unit": unit.name, "date": date.isoformat()},
            url=reverse("meetings:inspection_visit", args=[visit.pk]),
            dedupe_key=f"meetings:visit-planned:{visit.pk}",
        )
    return visit


@transaction.atomic
def visit_cancel(
    *, acting_user, visit: Visit, reason: str = "", base_version: int | None = None
) -> Visit:
    """Cancel a planned visit; it is kept, marked cancelled. A stale `base_version` is refused
    (StaleVersion)."""
    _require_inspect(acting_user, visit.unit)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    check_version(visit, base_version)
    if visit.state != VisitState.PLANNED:
        raise ConflictError(_("Only a planned visit can be cancelled."))
    claim_version(visit, base_version)
    visit.state = VisitState.CANCELLED
    visit.cancelled_at = timezone.now()
    visit.cancel_reason = (reason or "").strip()
    visit.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    return visit


# -- the acceptance form ---------------------------------------------------------------------
@transaction.atomic
def form_fill(
    *,
    acting_user,
    visit: Visit,
    ratings: dict[int, int],
    comments: dict[int, str] | None = None,
    issues: list[dict] | None = None,
    highlights: str = "",
    suggestions: str = "",
    present_count: int | None = None,
    base_version: int | None = None,
) -> AcceptanceForm:
    """Fill the acceptance form of a planned visit: rate every active checklist item 0–5; the item
    earns weight × rating / 5; the total (out of 100) is their sum. The items' titles and weights
    are copied onto the form. `issues`: dicts with `description` and optional `item` (an id).
    A stale `base_version` of the visit is refused (StaleVersion)."""
    _require_inspect(acting_user, visit.unit)
    visit = Visit.objects.select_for_update().select_related("unit").get(pk=visit.pk)
    check_version(visit, base_version)
    if visit.state != VisitState.PLANNED:
        raise ConflictError(
            _("This visit's form is already filled.")
            if visit.state == VisitState.DONE
            else _("This visit was cancelled.")
        )
    if visit.date > timezone.localdate():
        raise ValidationError(_("The form is filled on or after the day of the visit."))
    items = list(ChecklistItem.objects.filter(district_id=visit.district_id, active=True))
    if not items:
        items = [i for i in checklist_ensure_default(district=visit.district) if i.active]
    comments = comments or {}
    errors = []
    lines = []
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        rating = ratings.get(item.pk)
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            errors.append(_("Rate “%(item)s” from 0 to 5.") % {"item": item.title})
            continue
        if not 0 <= rating <= MAX_RATING:
            errors.append(_("Rate “%(item)s” from 0 to 5.") % {"item": item.title})
            continue
        lines.append(FormScore.for_item(item, rating, (comments.get(item.pk) or "").strip()[:200]))
    item_ids = {item.pk for item in ChecklistItem.objects.filter(district_id=visit.district_id)}
    issue_rows = []
    for issue in issues or []:
        description = (issue.get("description") or "").strip()
        if not description:
            continue
        item_id = issue.get("item") or None
        if item_id is not None and int(item_id) not in item_ids:
            errors.append(_("An issue points at an unknown checklist item."))
            continue
        issue_rows.append((description, int(item_id) if item_id else None))
    if present_count is not None and present_count < 0:
        errors.append(_("The head count cannot be negative."))
    if errors:
        raise ValidationError(errors)
    form = AcceptanceForm.objects.create(
        visit=visit,
        meeting=find_meeting(visit),
        total=sum((line.points for line in lines), start=FormScore.points_for(0, 0)),
        present_count=present_count,
        highlights=(highlights or "").strip(),
        suggestions=(suggestions or "").strip(),
        filled_by=acting_user,
    )
    for line in lines:
        line.form = form
        line.save()  # one by one, so that each line has its history row
    for description, item_id in issue_rows:
        Issue.objects.create(form=form, unit=visit.unit, item_id=item_id, description=description)
    claim_version(visit, base_version)
    visit.state = VisitState.DONE
    visit.save(update_fields=["state"])
    _notify_unit(visit, form, len(issue_rows))
    return form


def _notify_unit(visit: Visit, form: AcceptanceForm, issues: int) -> None:
    """Tell the visited unit's planners (department manager, assistant; the supervisor of a
    group) the result, so that they can resolve the issues."""
    holders = layer.holder_ids(Cap.PLAN_MEETINGS, {visit.unit_id, visit.department_id})
    recipients = sorted({user_id for ids in holders.values() for user_id in ids})
    title = _(
        "Acceptance form of %(unit)s on %(date)s: %(total)s / 100, %(issues)d issue(s) found"
    ) % {
        "unit": visit.unit.name,
        "date": visit.date.isoformat(),
        "total": form.total,
        "issues": issues,
    }
    url = reverse("meetings:inspection_visit", args=[visit.pk])
    notify(
        recipients=recipients,
        kind=NotificationKind.PUBLISHED,
        title=title,
        url=url,
        dedupe_key=f"meetings:acceptance-form:{form.pk}",
    )


@transaction.atomic
def issue_add(*, acting_user, form: AcceptanceForm, description: str, item_id=None) -> Issue:
    visit = form.visit
    _require_inspect(acting_user, visit.unit)
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Describe the issue."))
    if (
        item_id
        and not ChecklistItem.objects.filter(pk=item_id, district_id=visit.district_id).exists()
    ):
        raise ValidationError(_("An issue points at an unknown checklist item."))
    return Issue.objects.create(
        form=form, unit=visit.unit, item_id=item_id or None, description=description
    )


@transaction.atomic
def issue_resolve(
    *, acting_user, issue: Issue, resolution: str, base_version: int | None = None
) -> Issue:
    """The department (or the district) marks an issue resolved, saying how. A stale
    `base_version` (someone resolved it meanwhile) is refused (StaleVersion)."""
    if not can_resolve(acting_user, issue):
        raise PermissionDenied
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(_("Say how the issue was resolved."))
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    check_version(issue, base_version)
    if issue.resolved_at is not None:
        raise ConflictError(_("This issue is already resolved."))
    claim_version(issue, base_version)
    issue._history_user = acting_user
    issue.resolved_at = timezone.now()
    issue.resolved_by = acting_user
    issue.resolution = resolution
    issue.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return issue
