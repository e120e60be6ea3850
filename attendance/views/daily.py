"""The daily pages: overview, roll call (点名), the agent's own page with phone check-in, and one
record's audit trail."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance.access import can_record_attendance, may_change_past_days
from attendance.models import (
    FULL_DAY,
    HALF_DAY,
    HALF_DAY_STATUSES,
    AttendanceRecord,
    AttendanceStatus,
    LeaveRequest,
)
from attendance.selectors import figures as figure_selectors
from attendance.selectors import month as month_selectors
from attendance.selectors import rules as rule_selectors
from attendance.services import daily as services
from attendance.views.common import (
    SUMMARY_KINDS,
    pick_unit,
    recordable_units,
    unit_label,
    viewable_units,
)
from core.exceptions import ConflictError
from core.history import history_rows
from core.params import BadParameter, date_param, parse_date
from org import access
from org.access import Cap
from org.models import Agent
from workcalendar.selectors import workdays

STATUS_BUTTONS = [
    (AttendanceStatus.PRESENT, "success"),
    (AttendanceStatus.LATE, "warning"),
    (AttendanceStatus.LEAVE, "info"),
    (AttendanceStatus.ABSENT, "danger"),
]


@login_required
def index(request):
    """Staff: today's attendance per unit, with the way to each page. Agents: their own page."""
    if not access.holds(request.user, Cap.VIEW_ORG):
        if access.own_agent_id(request.user):
            return redirect("attendance:mine")
        raise PermissionDenied
    today = timezone.localdate()
    day = min(date_param(request.GET, "date", default=today), today)
    units = viewable_units(request.user, SUMMARY_KINDS)
    unit = pick_unit(request.user, request.GET, units)
    overview = None
    if unit is not None:
        overview = figure_selectors.summary(
            Agent.objects.visible_to(request.user), unit, day, day, with_agents=False
        )
    recordable = {u.pk for u in recordable_units(request.user)}
    return render(
        request,
        "attendance/index.html",
        {
            "unit": unit,
            "units": units,
            "day": day,
            "today": today,
            "is_workday": bool(unit and workdays(unit, day, day)),
            "overview": overview,
            "recordable": recordable,
            "can_record": bool(recordable),
            "own_agent_id": access.own_agent_id(request.user),
        },
    )


def _entries_from_post(post, rows, day) -> list[services.Entry]:
    """The roll call form's toggles as entries: half day only for leave/absence, reported only
    for leave (the toggles are shown for every row; the rules are the service's)."""
    entries = []
    for row in rows:
        pk = row.agent.pk
        status = post.get(f"s{pk}")
        if not status:
            continue
        half = f"h{pk}" in post and status in HALF_DAY_STATUSES
        entries.append(
            services.Entry(
                agent_id=pk,
                day=day,
                status=status,
                fraction=HALF_DAY if half else FULL_DAY,
                reported=f"r{pk}" in post and status == AttendanceStatus.LEAVE,
            )
        )
    return entries


@login_required
def roll_call(request):
    today = timezone.localdate()
    params = request.POST if request.method == "POST" else request.GET
    day = date_param(params, "date", default=today)
    units = recordable_units(request.user)
    if not units.exists():
        raise PermissionDenied
    unit = pick_unit(request.user, params, units)
    visible = Agent.objects.visible_to(request.user)
    is_workday = bool(workdays(unit, day, day)) if day <= today else False
    rows = month_selectors.roll_call_sheet(visible, unit, day) if is_workday else []
    if request.method == "POST" and is_workday:
        entries = _entries_from_post(request.POST, rows, day)
        try:
            result = services.attendance_record_day(
                acting_user=request.user,
                unit=unit,
                day=day,
                entries=entries,
                reason=request.POST.get("reason", "").strip()[:100],
            )
        except (ValidationError, PermissionDenied, ConflictError) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(
                request,
                _("Roll call saved for %(unit)s on %(day)s: %(created)s new, %(updated)s changed.")
                % {
                    "unit": unit_label(unit),
                    "day": day.isoformat(),
                    "created": result.created,
                    "updated": result.updated,
                },
            )
            return redirect(f"{reverse('attendance:roll_call')}?unit={unit.pk}&date={day}")
    counts = {status: 0 for status, _css in STATUS_BUTTONS}
    for row in rows:
        if row.record:
            counts[row.record.status] += 1
    return render(
        request,
        "attendance/roll_call.html",
        {
            "unit": unit,
            "units": units,
            "day": day,
            "today": today,
            "is_future": day > today,
            "is_workday": is_workday,
            "rows": rows,
            "unmarked": sum(1 for row in rows if row.record is None),
            "counts": counts,
            "buttons": [
                (status, AttendanceStatus(status).label, css) for status, css in STATUS_BUTTONS
            ],
            "can_save": is_workday and can_record_attendance(request.user, unit, day),
            "can_pick_past": may_change_past_days(request.user, unit),
        },
    )


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", None) or str(exc) or _("Permission denied.")


@login_required
def mine(request):
    """The agent's own attendance: check in, this month, leave requests."""
    agent_id = access.own_agent_id(request.user)
    if not agent_id:
        raise PermissionDenied
    agent = Agent.objects.select_related("group__parent").get(pk=agent_id)
    now = timezone.localtime()
    today = now.date()
    is_workday = bool(workdays(agent.group, today, today))
    rules = rule_selectors.rules_for(agent.group.district_id, today)
    record = AttendanceRecord.objects.filter(agent=agent, date=today).first()
    first, last = month_selectors.month_bounds(today.year, today.month)
    agents = Agent.objects.filter(pk=agent.pk)
    figures = figure_selectors.agent_figures(agents, [agent], first, last, today=today)[agent.pk]
    recent = AttendanceRecord.objects.filter(agent=agent, date__range=(first, last)).order_by(
        "-date"
    )
    return render(
        request,
        "attendance/mine.html",
        {
            "agent": agent,
            "now": now,
            "today": today,
            "is_workday": is_workday,
            "rules": rules,
            "record": record,
            "window_open": is_workday
            and record is None
            and services.check_in_status(now, rules) is not None
            and agent.hire_date <= today,
            "figures": figures,
            "recent": recent,
            "leaves": LeaveRequest.objects.filter(agent=agent).select_related("agent")[:10],
            "month_start": first,
        },
    )


@login_required
@require_POST
def check_in(request):
    try:
        record = services.attendance_check_in(acting_user=request.user)
    except (ValidationError, PermissionDenied, ConflictError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            _("Checked in at %(time)s: %(status)s.")
            % {
                "time": timezone.localtime(record.checked_in_at).strftime("%H:%M"),
                "status": record.get_status_display(),
            },
        )
    return redirect("attendance:mine")


@login_required
def record_detail(request, agent_id, day):
    """One agent's day: the record and its audit trail (who changed what, when)."""
    try:
        day = parse_date(day, "day")
    except BadParameter:
        raise Http404 from None
    try:
        agent = (
            Agent.objects.visible_to(request.user).select_related("group__parent").get(pk=agent_id)
        )
    except Agent.DoesNotExist:
        raise Http404 from None
    record = (
        AttendanceRecord.objects.filter(agent=agent, date=day)
        .select_related("recorded_by", "leave_request")
        .first()
    )
    return render(
        request,
        "attendance/record_detail.html",
        {
            "agent": agent,
            "day": day,
            "record": record,
            "symbol": month_selectors.symbol(record.status, record.fraction, record.reported)
            if record
            else "",
            "history": history_rows(record) if record else [],
            "can_change": can_record_attendance(request.user, agent.group, day),
            "attended": record.attended if record else Decimal("0"),
        },
    )
