"""Calendar pages (行事例, 附件2): the list, the month grid and list views, the month editor, copy
from last month, submit / distribute / acknowledge, A4 print and Excel, the district's
submission board and its deadline settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError
from core.history import changes_since
from core.paperforms import respond
from core.params import int_param, month_param
from core.versioning import StaleVersion
from meetings import access
from meetings.models import Calendar, CalendarSettings, CalendarState, MeetingLevel
from meetings.paperforms import meeting_calendar
from meetings.selectors import calendars as selectors
from meetings.selectors.stale import calendar_entry_changes
from meetings.services import calendars as services
from org.access import Cap, holds
from org.models import Unit, UnitKind


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{key}: {' '.join(str(m) for m in msgs)}" if key != "__all__" else " ".join(msgs)
            for key, msgs in exc.message_dict.items()
        )
    return " ".join(str(m) for m in exc.messages)


def _get_calendar(request, pk) -> Calendar:
    return selectors.get_readable_calendar(
        request.user,
        pk,
        Calendar.objects.select_related(
            "unit__district", "submitted_by", "copied_from", "created_by"
        ),
    )


@login_required
def calendar_list(request):
    """Readable calendars filtered by unit, level and month; the units the user writes can
    start a calendar (empty or copied from last month)."""
    today = timezone.localdate()
    month = month_param(request.GET)
    level = request.GET.get("level") or ""
    unit_id = int_param(request.GET, "unit")
    calendars = (
        selectors.calendars_for(request.user)
        .select_related("unit__parent")
        .order_by("-month", "unit__path", "level")
    )
    if month:
        calendars = calendars.filter(month=month)
    if level in MeetingLevel.values:
        calendars = calendars.filter(level=level)
    if unit_id:
        calendars = calendars.filter(unit_id=unit_id)
    writable = list(selectors.writable_units(request.user)[:300])
    return render(
        request,
        "meetings/calendars_list.html",
        {
            "page": Paginator(calendars, 50).get_page(request.GET.get("page")),
            "month": month,
            "level": level,
            "unit_id": unit_id or "",
            "levels": MeetingLevel.choices,
            "writable": writable,
            "next_month": selectors.next_month(today),
            "this_month": selectors.month_start(today),
            "board_districts": access.board_districts(request.user),
        },
    )


@login_required
@require_POST
def calendar_create(request):
    """Start a calendar: empty, or copied from the month before (POST copy=1)."""
    unit = get_object_or_404(Unit, pk=int_param(request.POST, "unit") or 0)
    if not access.can_read_unit(request.user, unit):
        raise Http404
    level = request.POST.get("level", "")
    month = month_param(request.POST)
    if month is None:
        messages.error(request, _("Choose a month."))
        return redirect("meetings:calendar_list")
    try:
        if request.POST.get("copy"):
            calendar, copied, skipped = services.calendar_copy_from_previous(
                acting_user=request.user, unit=unit, level=level, month=month
            )
            messages.success(
                request,
                _(
                    "%(copied)s meetings copied from last month, %(skipped)s skipped (no such "
                    "workday this month)."
                )
                % {"copied": copied, "skipped": skipped},
            )
        else:
            calendar = services.calendar_create(
                acting_user=request.user, unit=unit, level=level, month=month
            )
    except (ValidationError, ConflictError) as exc:
        messages.error(request, _error_text(exc) if isinstance(exc, ValidationError) else str(exc))
        existing = Calendar.objects.filter(unit=unit, level=level, month=month).first()
        if existing and access.can_read_unit(request.user, unit):
            return redirect("meetings:calendar_detail", existing.pk)
        return redirect("meetings:calendar_list")
    return redirect("meetings:calendar_edit", calendar.pk)


@login_required
def calendar_detail(request, pk):
    """The month grid (default) or the list view (?view=list) of one calendar, its state,
    acknowledgements (district) and the corrections made after submission."""
    calendar = _get_calendar(request, pk)
    view = "list" if request.GET.get("view") == "list" else "month"
    rows = selectors.month_rows(calendar)
    is_district = calendar.level == MeetingLevel.DISTRICT
    ack_rows = selectors.acknowledgement_rows(calendar) if is_district else []
    mine = selectors.acknowledging_departments(request.user)
    my_acks = (
        [row for row in ack_rows if not row["ack"] and row["unit"].pk in mine]
        if calendar.state == CalendarState.DISTRIBUTED
        else []
    )
    deadline = None
    state = ""
    if not is_district:
        deadline = selectors.deadline_for(calendar.unit.district, calendar.month)
        state = selectors.submission_state(calendar, deadline, timezone.localdate())
    return render(
        request,
        "meetings/calendars_detail.html",
        {
            "calendar": calendar,
            "view": view,
            "rows": rows,
            "weeks": selectors.month_weeks(rows),
            "planned": [row for row in rows if row.entry],
            "can_write": access.can_write_unit(request.user, calendar.unit),
            "is_district": is_district,
            "ack_rows": ack_rows,
            "ack_count": sum(1 for row in ack_rows if row["ack"]),
            "my_acks": my_acks,
            "deadline": deadline,
            "submission_state": state,
            "submission_state_label": selectors.STATE_LABELS.get(state, ""),
            "changes": selectors.changes_after_submission(calendar),
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
    )


def _entries_from_post(post, rows) -> list[services.EntryInput]:
    items = []
    for row in rows:
        key = f"{row.date:%Y-%m-%d}"
        if f"topic-{key}" not in post:
            continue
        host = post.get(f"host-{key}", "")
        version = post.get(f"template-{key}", "")
        items.append(
            services.EntryInput(
                date=row.date,
                topic=post.get(f"topic-{key}", ""),
                host_id=int(host) if host.isdigit() else None,
                host_name=post.get(f"host_name-{key}", ""),
                content=post.get(f"content-{key}", ""),
                template_version_id=int(version) if version.isdigit() else None,
                cancelled=bool(post.get(f"cancel-{key}")),
            )
        )
    return items


@login_required
def calendar_edit(request, pk):
    """The month editor: one row per workday, saved all or nothing. An empty topic (or the
    cancel box) takes the day's meeting off; it is kept as cancelled."""
    calendar = _get_calendar(request, pk)
    access.require_write(request.user, calendar.unit)
    rows = selectors.month_rows(calendar, workdays_only=True)
    errors = {}
    # The month is saved as one record: the page carries the calendar's version (issue 20).
    version, stale_changes = calendar.version, None
    if request.method == "POST" and not request.POST.get("version", "").isdigit():
        errors = {"": [_("This page is out of date; reload it and try again.")]}
    elif request.method == "POST":
        version = int(request.POST["version"])
        try:
            services.calendar_entries_save(
                acting_user=request.user,
                calendar=calendar,
                entries=_entries_from_post(request.POST, rows),
                base_version=version,
            )
        except StaleVersion as exc:
            errors = {"": [exc.message]}
            stale_changes = calendar_entry_changes(exc.current, exc.base_version)
            version = exc.current.version  # saving again now is a deliberate overwrite
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "message_dict") else {"": exc.messages}
            messages.error(request, _("Nothing was saved: correct the marked days."))
        else:
            messages.success(request, _("Calendar saved."))
            return redirect("meetings:calendar_detail", calendar.pk)
    posted = request.POST if request.method == "POST" else None
    hosts = list(selectors.host_choices(calendar.unit)[:500])
    versions = list(selectors.template_choices(calendar.unit, calendar.level))
    form_rows = []
    for row in rows:
        key = f"{row.date:%Y-%m-%d}"
        entry = row.entry
        if posted is not None:
            values = {
                "topic": posted.get(f"topic-{key}", ""),
                "host": posted.get(f"host-{key}", ""),
                "host_name": posted.get(f"host_name-{key}", ""),
                "content": posted.get(f"content-{key}", ""),
                "template": posted.get(f"template-{key}", ""),
            }
        else:
            values = {
                "topic": entry.topic if entry else "",
                "host": str(entry.host_id or "") if entry else "",
                "host_name": entry.host_name if entry else "",
                "content": entry.content if entry else "",
                "template": str(entry.template_version_id or "") if entry else "",
            }
        form_rows.append({"row": row, "key": key, "values": values, "errors": errors.get(key, [])})
    return render(
        request,
        "meetings/calendars_edit.html",
        {
            "calendar": calendar,
            "form_rows": form_rows,
            "hosts": hosts,
            "versions": versions,
            "general_errors": errors.get("", []) + errors.get("__all__", []),
            "version": version,
            "stale_changes": stale_changes,
        },
    )


def _action(request, pk, func, done: str, **kwargs):
    calendar = _get_calendar(request, pk)
    try:
        func(acting_user=request.user, calendar=calendar, **kwargs)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("meetings:calendar_detail", calendar.pk)


@login_required
@require_POST
def calendar_submit(request, pk):
    return _action(request, pk, services.calendar_submit, _("Calendar submitted to the district."))


@login_required
@require_POST
def calendar_distribute(request, pk):
    return _action(
        request, pk, services.calendar_distribute, _("Calendar distributed to the departments.")
    )


@login_required
@require_POST
def calendar_acknowledge(request, pk):
    department = get_object_or_404(Unit, pk=int_param(request.POST, "department") or 0)
    return _action(
        request,
        pk,
        services.calendar_acknowledge,
        _("Acknowledged for %(department)s.") % {"department": department.name},
        department=department,
    )


@login_required
def calendar_print(request, pk):
    """附件2 营业区早会行事例: the A4 page, its PDF and Excel (core.paperforms)."""
    calendar = _get_calendar(request, pk)
    return respond(
        request,
        meeting_calendar(calendar),
        back=reverse("meetings:calendar_detail", args=[calendar.pk]),
    )


def _district_for_board(request) -> Unit:
    """The district whose board the user asked for (or their first), if they write its
    calendars or inspect its meetings."""
    districts = Unit.objects.open().filter(kind=UnitKind.DISTRICT).order_by("path")
    chosen = request.GET.get("district") or request.POST.get("district")
    if chosen:
        district = get_object_or_404(districts, pk=chosen if str(chosen).isdigit() else 0)
    else:
        district = next(iter(access.board_districts(request.user)), None)
        if district is None:
            raise PermissionDenied
    if not (
        access.can_write_unit(request.user, district)
        or holds(request.user, Cap.INSPECT_MEETINGS, district)
    ):
        if not holds(request.user, Cap.VIEW_ORG, district):
            raise Http404
        raise PermissionDenied
    return district


@login_required
def calendar_submission_board(request):
    """Departments and groups × the calendars they submit for a month (§7.1)."""
    district = _district_for_board(request)
    today = timezone.localdate()
    month = month_param(request.GET, default=selectors.next_month(today))
    board = selectors.submission_board(district, month, today)
    return render(
        request,
        "meetings/calendars_board.html",
        {
            "board": board,
            "district": district,
            "previous": selectors.previous_month(month),
            "next": selectors.next_month(month),
            "levels": [MeetingLevel(level).label for level in selectors.BOARD_LEVELS],
            "can_settings": access.can_write_unit(request.user, district),
            "calendar_base": reverse("meetings:calendar_detail", args=[0])[:-2],
            "open_label": _("open"),
        },
    )


@login_required
def calendar_settings(request):
    """The district's deadline day and reminder lead time."""
    district = _district_for_board(request)
    access.require_write(request.user, district)
    current = CalendarSettings.objects.filter(district=district).first() or CalendarSettings(
        district=district,
        version=0,  # the defaults, nothing saved yet (issue 20)
    )
    errors, stale_changes, version = {}, None, current.version
    if request.method == "POST" and not request.POST.get("version", "").isdigit():
        errors = {"": [_("This page is out of date; reload it and try again.")]}
    elif request.method == "POST":
        version = int_param(request.POST, "version")  # no database integer holds it: 400
        try:
            services.calendar_settings_update(
                acting_user=request.user,
                district=district,
                deadline_day=int(request.POST.get("deadline_day") or 0),
                remind_days_before=int(request.POST.get("remind_days_before") or 0),
                base_version=version,
            )
        except (TypeError, ValueError):
            errors = {"deadline_day": [_("Give whole numbers.")]}
        except StaleVersion as exc:
            errors = {"": [exc.message]}
            stale_changes = changes_since(exc.current, exc.base_version)
            version = exc.current.version  # saving again now is a deliberate overwrite
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Settings saved."))
            return redirect(
                f"{reverse('meetings:calendar_submission_board')}?district={district.pk}"
            )
        current.deadline_day = request.POST.get("deadline_day")  # the user's input stays
        current.remind_days_before = request.POST.get("remind_days_before")
    return render(
        request,
        "meetings/calendars_settings.html",
        {
            "district": district,
            "settings": current,
            "errors": errors,
            "general_errors": errors.get("", []),
            "stale_changes": stale_changes,
            "version": version,
        },
    )
