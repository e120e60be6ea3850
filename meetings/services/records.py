"""Recording meetings held, their items and materials, and the attendees' evaluation feedback
(spec §2.3–§2.4, 附件3). Each function is one transaction with the acting user."""

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from meetings import access
from meetings.models import (
    FEEDBACK_TRAITS,
    LEVEL_UNIT_KIND,
    Feedback,
    Meeting,
    MeetingItemHeld,
    MeetingLevel,
    MeetingMaterial,
)
from meetings.selectors import records as selectors

EDITABLE_FIELDS = ["topic", "host", "host_name", "started_at", "duration_minutes", "notes"]


def _check_level(unit, level: str) -> None:
    if LEVEL_UNIT_KIND.get(level) != unit.kind:
        raise ValidationError(
            {
                "level": _("A %(unit)s does not hold this level of meeting.")
                % {"unit": unit.get_kind_display()}
            }
        )


def _apply_head_count(meeting, *, present_count: int | None, use_roll_call: bool) -> None:
    """Take the head count from the roll call when asked and available, else the number given."""
    counted = selectors.roll_call_count(meeting.unit, meeting.date) if use_roll_call else None
    if counted is not None:
        meeting.present_count = counted
        meeting.present_from_roll_call = True
    else:
        meeting.present_count = present_count
        meeting.present_from_roll_call = False


def _save_items(meeting, items: dict[int, dict] | None, *, creating: bool) -> None:
    """items: {FlowItem id: {"held": bool, "actual_minutes": int | None}} for the meeting's
    template version. On creation every item of the version gets a row (not held unless said)."""
    if meeting.template_version_id is None:
        if items:
            raise ValidationError({"items": _("This meeting has no template to tick items of.")})
        return
    allowed = {item.pk for item in selectors.version_items(meeting.template_version)}
    items = items or {}
    unknown = set(items) - allowed
    if unknown:
        raise ValidationError({"items": _("Some items are not part of this meeting's template.")})
    for values in items.values():
        minutes = values.get("actual_minutes")
        if minutes is not None and not 0 <= minutes <= 600:
            raise ValidationError({"items": _("Actual minutes must be between 0 and 600.")})
    if creating:
        rows = [
            MeetingItemHeld(
                meeting=meeting,
                item_id=item_id,
                held=bool(items.get(item_id, {}).get("held", False)),
                actual_minutes=items.get(item_id, {}).get("actual_minutes")
                if items.get(item_id, {}).get("held")
                else None,
            )
            for item_id in sorted(allowed)
        ]
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(rows, MeetingItemHeld, default_change_reason="record")
        return
    existing = {row.item_id: row for row in meeting.items_held.select_for_update()}
    for item_id, values in items.items():
        row = existing.get(item_id) or MeetingItemHeld(meeting=meeting, item_id=item_id)
        held = bool(values.get("held", False))
        minutes = values.get("actual_minutes") if held else None  # minutes only of items held
        if row.pk and row.held == held and row.actual_minutes == minutes:
            continue
        row.held, row.actual_minutes = held, minutes
        row.save()


def _check_host(host, host_name: str, unit) -> None:
    if not host and not (host_name or "").strip():
        raise ValidationError({"host_name": _("Say who hosted the meeting.")})
    if host and not selectors.host_choices(unit).filter(pk=host.pk).exists():
        raise ValidationError(
            {"host": _("The host must be staff or an agent of the district; else give a name.")}
        )


@transaction.atomic
def meeting_create(
    *,
    acting_user,
    unit,
    level: str,
    day: date,
    topic: str = "",
    host=None,
    host_name: str = "",
    template_version=None,
    started_at: time | None = None,
    duration_minutes: int | None = None,
    present_count: int | None = None,
    use_roll_call: bool = True,
    notes: str = "",
    items: dict[int, dict] | None = None,
) -> Meeting:
    """Record a meeting held. Topic, host and template default to the calendar entry of that
    unit/level/date; the head count defaults to the roll call of that day."""
    access.require_write(acting_user, unit)
    _check_level(unit, level)
    if day > timezone.localdate():
        raise ValidationError({"date": _("A meeting cannot be recorded before it is held.")})
    if Meeting.objects.filter(unit=unit, level=level, date=day).exists():
        raise ConflictError(
            _("A %(level)s of %(unit)s is already recorded for %(day)s; open it to change it.")
            % {
                "level": MeetingLevel(level).label,
                "unit": unit.name,
                "day": day.isoformat(),
            }
        )
    entry = selectors.calendar_entry_for(unit, level, day)
    if template_version is None:
        template_version = selectors.default_version(unit, level, entry)
    elif not (
        (entry and entry.template_version_id == template_version.pk)
        or selectors.usable_versions(unit, level).filter(pk=template_version.pk).exists()
    ):
        raise ValidationError({"template_version": _("This template is not usable by the unit.")})
    if entry is not None:
        topic = topic or entry.topic
        if not host and not host_name:
            host, host_name = entry.host, entry.host_name
    if not (topic or "").strip():
        raise ValidationError({"topic": _("Give the meeting's topic.")})
    _check_host(host, host_name, unit)
    meeting = Meeting(
        unit=unit,
        level=level,
        date=day,
        calendar_entry=entry,
        topic=topic.strip(),
        host=host,
        host_name=(host_name or "").strip(),
        template_version=template_version,
        started_at=started_at,
        duration_minutes=duration_minutes,
        notes=notes or "",
        recorded_by=acting_user,
    )
    _apply_head_count(meeting, present_count=present_count, use_roll_call=use_roll_call)
    meeting._change_reason = "record"
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise ConflictError(_("This meeting was recorded by someone else meanwhile.")) from None
    _save_items(meeting, items, creating=True)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    acting_user,
    meeting: Meeting,
    data: dict,
    items: dict[int, dict] | None = None,
    base_version: int | None = None,
) -> Meeting:
    """Change a recorded meeting (unit, level and date stay). `data` may hold EDITABLE_FIELDS,
    `present_count` and `use_roll_call`. A stale `base_version` is refused (StaleVersion)."""
    access.require_write(acting_user, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    check_version(meeting, base_version)
    claim_version(meeting, base_version)
    for name in EDITABLE_FIELDS:
        if name in data:
            value = data[name]
            if name in ("topic", "host_name", "notes"):
                value = (value or "").strip()
            setattr(meeting, name, value)
    if not meeting.topic:
        raise ValidationError({"topic": _("Give the meeting's topic.")})
    _check_host(meeting.host, meeting.host_name, meeting.unit)
    if "present_count" in data or "use_roll_call" in data:
        _apply_head_count(
            meeting,
            present_count=data.get("present_count", meeting.present_count),
            use_roll_call=bool(data.get("use_roll_call", False)),
        )
    meeting._change_reason = "update"
    meeting.save()
    if items is not None:
        _save_items(meeting, items, creating=False)
    return meeting


@transaction.atomic
def meeting_items_save(
    *,
    acting_user,
    meeting: Meeting,
    items: dict[int, dict],
    base_version: int | None = None,
) -> Meeting:
    """Save the items held; they are part of the meeting record, so its version moves (a stale
    `base_version` is refused) and the record's history gets a row."""
    access.require_write(acting_user, meeting.unit)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    check_version(meeting, base_version)
    claim_version(meeting, base_version)
    meeting._change_reason = "items"
    meeting.save(update_fields=["updated_at"])
    _save_items(meeting, items, creating=False)
    return meeting


def check_material(upload) -> None:
    """Refuse files of other types or too big, with a message saying what is allowed."""
    MeetingMaterial.check_upload(upload)


@transaction.atomic
def material_add(*, acting_user, meeting: Meeting, upload) -> MeetingMaterial:
    access.require_write(acting_user, meeting.unit)
    material = MeetingMaterial.from_upload(upload, uploaded_by=acting_user, meeting=meeting)
    material.save()
    return material


@transaction.atomic
def material_remove(*, acting_user, material: MeetingMaterial) -> MeetingMaterial:
    """Mark the file removed; the file and its row are kept (nothing is deleted)."""
    access.require_write(acting_user, material.meeting.unit)
    material.mark_removed(acting_user)
    return material


# -- feedback -----------------------------------------------------------------------------------
def _feedback_values(feedback: Feedback, data: dict) -> None:
    for trait in FEEDBACK_TRAITS:
        setattr(feedback, trait, bool(data.get(trait, False)))
    feedback.suggestions = (data.get("suggestions") or "").strip()[:2000]


@transaction.atomic
def feedback_submit(*, acting_user, meeting: Meeting, data: dict) -> Feedback:
    """The acting user's evaluation of the meeting (附件3); one form per person per meeting."""
    refusal = selectors.feedback_refusal(acting_user, meeting)
    if refusal:
        raise PermissionDenied(refusal)
    already = _(
        "You already gave feedback on this meeting; you can change your form until the end "
        "of the day you submitted it."
    )
    if Feedback.objects.filter(meeting=meeting, respondent=acting_user).exists():
        raise ConflictError(already)
    feedback = Feedback(meeting=meeting, respondent=acting_user)
    _feedback_values(feedback, data)
    feedback._change_reason = "submit"
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise ConflictError(already) from None
    return feedback


@transaction.atomic
def feedback_update(
    *, acting_user, feedback: Feedback, data: dict, base_version: int | None = None
) -> Feedback:
    """The respondent changes their own form, on the day they submitted it. A stale
    `base_version` (two tabs of the same form) is refused (StaleVersion)."""
    if feedback.respondent_id != acting_user.pk:
        raise PermissionDenied(_("Only the respondent can change their form."))
    if not selectors.feedback_editable(feedback, acting_user):
        raise ConflictError(_("Forms can only be changed on the day they were submitted."))
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    check_version(feedback, base_version)
    claim_version(feedback, base_version)
    _feedback_values(feedback, data)
    feedback._change_reason = "update"
    feedback.save()
    return feedback
