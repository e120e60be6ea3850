"""Meeting records (早会档案): record a meeting held, change it, its materials (spec §2.3)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.history import history_rows
from core.versioning import StaleVersion
from meetings import access
from meetings.forms_records import MaterialForm, MeetingForm, MeetingStartForm
from meetings.models import Meeting, MeetingMaterial
from meetings.selectors import records as selectors
from meetings.selectors.stale import meeting_item_changes
from meetings.services import records as services


def meeting_url(meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def _meetings():
    return Meeting.objects.select_related(
        "unit", "host", "template_version__template", "calendar_entry", "recorded_by"
    )


@login_required
def meeting_create(request):
    """Step 1 picks unit, level and date; step 2 is the record prefilled from the calendar entry,
    the template and the roll call."""
    units = selectors.writable_units(request.user)
    if not units.exists():
        raise PermissionDenied
    start = MeetingStartForm(request.GET or None, units=units)
    if not start.is_valid():
        return render(request, "meetings/records_start.html", {"start": start})
    unit, level, day = (start.cleaned_data[name] for name in ("unit", "level", "date"))
    existing = Meeting.objects.filter(unit=unit, level=level, date=day).first()
    if existing is not None:
        messages.info(request, _("This meeting is already recorded; you can change it here."))
        return redirect("meetings:meeting_update", existing.pk)
    entry = selectors.calendar_entry_for(unit, level, day)
    version = selectors.default_version(unit, level, entry)
    roll_call = selectors.roll_call_count(unit, day)
    initial = {"use_roll_call": roll_call is not None, "present_count": roll_call}
    if entry is not None:
        initial.update(topic=entry.topic, host=entry.host_id, host_name=entry.host_name)
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        unit=unit,
        items=selectors.version_items(version),
        roll_call=roll_call,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                acting_user=request.user,
                unit=unit,
                level=level,
                day=day,
                topic=data["topic"],
                host=data["host"],
                host_name=data["host_name"],
                template_version=version,
                started_at=data["started_at"],
                duration_minutes=data["duration_minutes"],
                present_count=data["present_count"],
                use_roll_call=data["use_roll_call"],
                notes=data["notes"],
                items=form.cleaned_items(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect(meeting_url(meeting))
    return render(
        request,
        "meetings/records_form.html",
        {
            "form": form,
            "unit": unit,
            "level": level,
            "level_label": dict(start.fields["level"].choices)[level],
            "day": day,
            "entry": entry,
            "version": version,
            "item_rows": form.item_rows(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def meeting_update(request, pk):
    meeting = access.get_readable(_meetings(), request.user, pk)
    access.require_write(request.user, meeting.unit)
    held = {row.item_id: row for row in meeting.items_held.all()}
    roll_call = selectors.roll_call_count(meeting.unit, meeting.date)
    initial = {
        "topic": meeting.topic,
        "host": meeting.host_id,
        "host_name": meeting.host_name,
        "started_at": meeting.started_at,
        "duration_minutes": meeting.duration_minutes,
        "use_roll_call": meeting.present_from_roll_call,
        "present_count": meeting.present_count,
        "notes": meeting.notes,
    }
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        unit=meeting.unit,
        items=selectors.version_items(meeting.template_version),
        roll_call=roll_call,
        versioned=meeting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                acting_user=request.user,
                meeting=meeting,
                data=form.without_version(form.cleaned_data),
                items=form.cleaned_items(),
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
            form.stale_changes += meeting_item_changes(exc.current, exc.base_version)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting record saved."))
            return redirect(meeting_url(meeting))
    return render(
        request,
        "meetings/records_form.html",
        {
            "form": form,
            "meeting": meeting,
            "unit": meeting.unit,
            "level_label": meeting.get_level_display(),
            "day": meeting.date,
            "entry": meeting.calendar_entry,
            "version": meeting.template_version,
            "item_rows": form.item_rows(held),
        },
    )


@login_required
def meeting_detail(request, pk):
    meeting = access.get_readable(_meetings(), request.user, pk)
    can_write = access.can_write_unit(request.user, meeting.unit)
    materials = meeting.materials.select_related("uploaded_by").order_by("uploaded_at")
    if not can_write:
        materials = materials.filter(removed_at__isnull=True)
    own = meeting.feedback.filter(respondent=request.user).first()
    details = selectors.may_see_feedback_details(request.user, meeting.unit)
    return render(
        request,
        "meetings/records_detail.html",
        {
            "meeting": meeting,
            "items": meeting.items_held.select_related("item__section").order_by(
                "item__section__order", "item__order"
            ),
            "materials": materials,
            "can_write": can_write,
            "material_form": MaterialForm() if can_write else None,
            "summary": selectors.feedback_summary(Meeting.objects.filter(pk=meeting.pk)),
            "forms": selectors.visible_feedback(request.user, meeting) if details else None,
            "own_feedback": own,
            "feedback_refusal": selectors.feedback_refusal(request.user, meeting),
            "history": history_rows(meeting, limit=20) if can_write else None,
        },
    )


@login_required
@require_POST
def material_add(request, pk):
    meeting = access.get_readable(_meetings(), request.user, pk)
    access.require_write(request.user, meeting.unit)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = services.material_add(
                acting_user=request.user, meeting=meeting, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": material.original_name})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(meeting_url(meeting) + "#materials")


def _material(request, pk, material_pk) -> MeetingMaterial:
    meeting = access.get_readable(_meetings(), request.user, pk)
    return get_object_or_404(
        MeetingMaterial.objects.select_related("meeting__unit"), pk=material_pk, meeting=meeting
    )


@login_required
@require_POST
def material_remove(request, pk, material_pk):
    material = _material(request, pk, material_pk)
    services.material_remove(acting_user=request.user, material=material)
    messages.success(request, _("“%(name)s” removed.") % {"name": material.original_name})
    return redirect(meeting_url(material.meeting) + "#materials")


def parse_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
