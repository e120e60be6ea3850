"""Demo attendance for `manage.py seed_demo` (called after the organisation exists).

The first district's active agents get the last three months of attendance up to yesterday, and
today partly (some groups' roll call taken, some agents checked in): mostly present, some late,
leave and absence, a few agents with poor records. The demo agent has leave requests in every
state, and the first department has two check records (one verified). Deterministic for a seed
and day; bulk inserts only (about a second per 25,000 records). The seeded records carry no
history rows: their audit trail starts with the first change made in the application.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from approvals.models import ApprovalAction, ApprovalRequest, ApprovalState
from attendance.models import (
    FULL_DAY,
    HALF_DAY,
    AttendanceRecord,
    AttendanceRules,
    AttendanceSource,
    AttendanceStatus,
    CheckRecord,
    LeaveRequest,
    LeaveState,
)
from attendance.services import checks as check_services
from attendance.services import leave as leave_services
from core.demo import register
from org.demo import BRANCH_CODE
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import workdays

BATCH = 1000
MONTHS = 3

# (share of agents, P(late), P(leave), P(absent)); the rest of the days are present.
PROFILES = [
    (0.82, 0.03, 0.02, 0.004),
    (0.13, 0.09, 0.05, 0.02),
    (0.05, 0.20, 0.09, 0.07),  # the few with poor records
]
LEAVE_REASONS = [
    "事假：家中有事",
    "病假：感冒发烧",
    "事假：孩子家长会",
    "病假：就医复查",
    "事假：办理证件",
]


def _profile(rng):
    roll = rng.random()
    for share, *odds in PROFILES:
        if roll < share:
            return odds
        roll -= share
    return PROFILES[0][1:]


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _status(rng, odds):
    late, leave, absent = odds
    roll = rng.random()
    if roll < absent:
        return AttendanceStatus.ABSENT
    if roll < absent + leave:
        return AttendanceStatus.LEAVE
    if roll < absent + leave + late:
        return AttendanceStatus.LATE
    return AttendanceStatus.PRESENT


def _record(rng, agent, day, status, recorder):
    record = AttendanceRecord(
        agent_id=agent["pk"],
        date=day,
        status=status,
        source=AttendanceSource.ROLL_CALL,
        recorded_by=recorder,
    )
    if status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT) and rng.random() < 0.25:
        record.fraction = HALF_DAY
    if status == AttendanceStatus.LEAVE:
        record.reported = rng.random() < 0.6
    if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) and rng.random() < 0.3:
        record.source = AttendanceSource.CHECK_IN
        record.recorded_by = None
        if status == AttendanceStatus.PRESENT:
            record.checked_in_at = _at(day, 7, 45) + timedelta(minutes=rng.randrange(44))
        else:
            record.checked_in_at = _at(day, 8, 31) + timedelta(minutes=rng.randrange(58))
    return record


def attendance_rows(rng, agents, days, today, recorder) -> list[AttendanceRecord]:
    """Records for `agents` (dicts with pk, hire_date, resigned_on, group_id) on `days`. Today
    only partly: two groups in three have taken their roll call; elsewhere some agents have
    checked in."""
    group_ids = sorted({a["group_id"] for a in agents})
    roll_call_today = {g for i, g in enumerate(group_ids) if i % 3 != 2}
    now = timezone.now()
    records = []
    for agent in agents:
        odds = _profile(rng)
        last = agent["resigned_on"] or today
        for day in days:
            if day < agent["hire_date"] or day > last:
                continue
            if day == today and agent["group_id"] not in roll_call_today:
                checked_in_at = _at(today, 7, 40) + timedelta(minutes=rng.randrange(45))
                if rng.random() < 0.4 and checked_in_at <= now:
                    records.append(
                        AttendanceRecord(
                            agent_id=agent["pk"],
                            date=day,
                            status=AttendanceStatus.PRESENT,
                            source=AttendanceSource.CHECK_IN,
                            checked_in_at=checked_in_at,
                        )
                    )
                continue
            records.append(_record(rng, agent, day, _status(rng, odds), recorder))
    return records


@register(order=60)
def seed(*, seed: int, log) -> None:
    branch = Unit.objects.filter(code=BRANCH_CODE, kind=UnitKind.BRANCH).first()
    district = (
        Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True)
        .filter(path__startswith=branch.path if branch else "/")
        .order_by("path")
        .first()
    )
    if district is None:
        return
    rng = random.Random(seed * 31 + 7)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=62)).replace(day=1)
    days = workdays(district, start, today)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "admin",
                "district_admin",
                "assistant",
                "dept_manager",
                "supervisor",
                "agent",
                "district_manager",
            ]
        )
    }
    recorder = users.get("district_admin") or users.get("admin")
    _seed_rules(district, start)
    agents = list(
        Agent.objects.in_unit(district)
        .active_during(start, today)
        .order_by("group__path", "code")
        .values("pk", "hire_date", "resigned_on", "group_id", "user_id")
    )
    records = attendance_rows(rng, agents, days, today, recorder)
    AttendanceRecord.objects.bulk_create(records, batch_size=BATCH)
    log(f"attendance: {len(records)} records for {len(agents)} agents, {len(days)} workdays")
    _seed_leave(rng, district, users, today)
    _seed_checks(district, users, today)
    _seed_deductions(district, users, today, log)
    if connection.vendor in {"postgresql", "sqlite"}:
        with connection.cursor() as cursor:
            for model in (AttendanceRecord, LeaveRequest):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _seed_rules(district, start):
    """The district's check-in window and deduction rates, taken from its published attendance
    regulation when the plans demo has one (the values its text states)."""
    from plans.models import DocumentVersion, VersionState

    version = (
        DocumentVersion.objects.filter(
            document__kind__code="attendance_regulation",
            document__unit=district,
            state=VersionState.PUBLISHED,
        )
        .order_by("-number")
        .first()
    )
    effective_from = (version.effective_date if version else None) or date(start.year, 1, 1)
    AttendanceRules.objects.get_or_create(
        district=district,
        effective_from=min(effective_from, start),
        defaults={
            "late_deduction": Decimal("5"),
            "unreported_leave_deduction": Decimal("10"),
            "absence_deduction": Decimal("20"),
            "free_reported_leave_days": Decimal("2"),
            "reported_leave_deduction": Decimal("5"),
            "source_version": version,
            "note": "按营业区差勤管理规定" if version else "演示数据",
        },
    )


def _backdated_leave(agent, first, last, half_day, reason, submitter, approver, decided_at):
    """An approved leave request as it would have gone through the flow on past dates."""
    submitted_at = decided_at - timedelta(hours=20)
    leave = LeaveRequest.objects.create(
        agent=agent,
        start_date=first,
        end_date=last,
        half_day=half_day,
        reason=reason,
        created_by=submitter,
        state=LeaveState.APPROVED,
        decided_at=decided_at,
    )
    LeaveRequest.objects.filter(pk=leave.pk).update(created_at=submitted_at)
    request = ApprovalRequest.objects.create(
        content_type=ContentType.objects.get_for_model(LeaveRequest),
        object_id=leave.pk,
        kind=leave_services.LEAVE_KIND,
        unit=agent.group,
        title=leave.title,
        url=leave.get_absolute_url(),
        state=ApprovalState.APPROVED,
        levels=[[Role.SUPERVISOR, agent.group_id]],
        step=1,
        submitted_by=submitter,
        submitted_at=submitted_at,
        decided_at=decided_at,
    )
    for action, actor, at, role in (
        ("submit", submitter, submitted_at, ""),
        ("approve", approver, decided_at, Role.SUPERVISOR),
    ):
        entry = ApprovalAction.objects.create(
            request=request,
            action=action,
            step=1,
            actor=actor,
            role=role,
            from_state=ApprovalState.SUBMITTED if action == "approve" else ApprovalState.DRAFT,
            to_state=ApprovalState.APPROVED if action == "approve" else ApprovalState.SUBMITTED,
        )
        ApprovalAction.objects.filter(pk=entry.pk).update(at=at)
    # Written without history rows, like the rest of the seeded attendance.
    fraction = HALF_DAY if half_day else FULL_DAY
    days = leave_services.leave_days(leave)
    AttendanceRecord.objects.filter(agent=agent, date__in=days).delete()
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            agent=agent,
            date=day,
            status=AttendanceStatus.LEAVE,
            fraction=fraction,
            reported=timezone.localdate(decided_at) < day,
            leave_request=leave,
            source=AttendanceSource.LEAVE,
            recorded_by=approver,
        )
        for day in days
    )
    return leave


def _seed_leave(rng, district, users, today):
    supervisor, agent_user = users.get("supervisor"), users.get("agent")
    if supervisor is None or agent_user is None:
        return
    agent = Agent.objects.select_related("group").filter(user=agent_user).first()
    if agent is None or not agent.group.path.startswith(district.path):
        return
    past = [
        d
        for d in workdays(district, today - timedelta(days=60), today - timedelta(days=1))
        if d >= agent.hire_date
    ]
    future = workdays(district, today + timedelta(days=1), today + timedelta(days=40))
    colleagues = list(
        Agent.objects.filter(group=agent.group, resigned_on__isnull=True)
        .exclude(pk=agent.pk)
        .exclude(user=supervisor)
        .order_by("code")[:4]
    )
    if len(past) >= 30:
        # Approved two days ahead (reported), and one approved only on the day (not reported).
        day = past[-25]
        _backdated_leave(
            agent,
            day,
            day,
            False,
            LEAVE_REASONS[0],
            agent_user,
            supervisor,
            _at(day, 17, 30) - timedelta(days=2),
        )
        for index, colleague in enumerate(colleagues):
            first = past[-(8 + 6 * index)]
            last = past[min(len(past) - 1, past.index(first) + index % 2)]
            on_the_day = index == 3
            decided = _at(first, 11, 0) if on_the_day else _at(first, 18, 0) - timedelta(days=1)
            _backdated_leave(
                colleague,
                first,
                last,
                False,
                LEAVE_REASONS[(index + 1) % len(LEAVE_REASONS)],
                users.get("assistant") or users["admin"],
                supervisor,
                decided,
            )
    if len(future) >= 8:
        approved = leave_services.leave_request_create(
            acting_user=agent_user,
            agent=agent,
            start_date=future[4],
            end_date=future[4],
            half_day=True,
            reason="事假：上午办理房产手续",
        )
        leave_services.leave_decide(
            acting_user=supervisor,
            leave=approved,
            decision="approve",
            expected_step=1,
            comment="同意，下午参加二早",
        )
        returned = leave_services.leave_request_create(
            acting_user=agent_user,
            agent=agent,
            start_date=future[6],
            end_date=future[7],
            reason="事假",
        )
        leave_services.leave_decide(
            acting_user=supervisor,
            leave=returned,
            decision="return",
            expected_step=1,
            comment="请写明事由",
        )
        leave_services.leave_request_create(
            acting_user=agent_user,
            agent=agent,
            start_date=future[1],
            end_date=future[1],
            reason="病假：医院复查",
        )


def _seed_checks(district, users, today):
    assistant, manager = users.get("assistant"), users.get("dept_manager")
    if assistant is None or manager is None:
        return
    department = (
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, parent=district).order_by("path").first()
    )
    if department is None:
        return
    month_start = today.replace(day=1)
    previous_days = workdays(
        department, month_start - timedelta(days=31), month_start - timedelta(days=1)
    )
    first_check = None
    if previous_days:
        check_date = first_check = previous_days[-1]
        record = check_services.check_record_create(
            acting_user=assistant,
            department=department,
            check_date=check_date,
            period_start=check_date.replace(day=1),
            period_end=check_date,
            handling_measures="旷工人员由主管当面谈话并按规定扣款；未报备请假人员在二早上重申请假流程。",
        )
        lines = list(record.lines.filter(kind="absent"))
        check_services.check_record_update(
            acting_user=assistant,
            record=record,
            handling_measures=record.handling_measures,
            handling_results={line.pk: "已谈话，按规定扣款" for line in lines},
        )
        CheckRecord.objects.filter(pk=record.pk).update(
            created_at=_at(check_date, 17, 30), refreshed_at=_at(check_date, 17, 30)
        )
        check_services.check_record_verify(
            acting_user=manager,
            record=record,
            verified_on=min(today, check_date + timedelta(days=2)),
            note="属实，已落实",
        )
    # One waiting for verification, older than three days (the reminder and 待办 show it).
    recent = workdays(department, today - timedelta(days=12), today - timedelta(days=4))
    if recent and recent[-1] != first_check:
        period_start, period_end = check_services.default_check_period(department, recent[-1])
        waiting = check_services.check_record_create(
            acting_user=assistant,
            department=department,
            check_date=recent[-1],
            period_start=period_start,
            period_end=period_end,
        )
        CheckRecord.objects.filter(pk=waiting.pk).update(
            created_at=_at(recent[-1], 17, 30), refreshed_at=_at(recent[-1], 17, 30)
        )


FUND_USAGE = [
    ("早会出勤之星奖品", Decimal("0.30"), None),
    ("营业部团队活动茶点", Decimal("0.20"), "department"),
    ("差勤宣导海报印制", Decimal("0.10"), None),
]
MEASURES = [
    ("连续两次迟到者由业务主任当面沟通并签署改善承诺", "in_progress"),
    ("请假须提前一天在系统报备，未报备按规定扣款并在早会通报", "done"),
    ("每周一早会公布上周出勤率，出勤率低于90%的组由组长说明原因", "open"),
]


def _seed_deductions(district, users, today, log) -> None:
    """Last month's deductions run and closed, three approved fund usages, the district's and
    departments' pages published, and a few improvement measures."""
    from attendance.models import DeductionMonth, ImprovementMeasure
    from attendance.services import deductions as deduction_services
    from attendance.services import fund as fund_services
    from attendance.services import publication as publication_services

    admin, manager = users.get("district_admin"), users.get("district_manager")
    if admin is None or manager is None:
        return
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if DeductionMonth.objects.filter(district=district, month=month).exists():
        return
    audit = deduction_services.deduction_run(acting_user=admin, district=district, month=month)
    deduction_month = deduction_services.deduction_close(
        acting_user=manager, deduction_month=audit.deduction_month
    )
    departments = list(
        Unit.objects.filter(
            kind=UnitKind.DEPARTMENT, district=district, closed_on__isnull=True
        ).order_by("path")
    )
    for index, (purpose, share, where) in enumerate(FUND_USAGE):
        amount = (deduction_month.total * share).quantize(Decimal("1"))
        if amount <= 0:
            continue
        entry = fund_services.fund_usage_submit(
            acting_user=admin,
            district=district,
            department=departments[0] if where and departments else None,
            day=month + timedelta(days=7 + 7 * index),
            amount=amount,
            purpose=purpose,
        )
        fund_services.fund_usage_decide(
            acting_user=manager, entry=entry, decision="approve", expected_step=1, comment="同意"
        )
    for unit in [district, *departments]:
        publication_services.publication_publish(acting_user=admin, unit=unit, month=month)
    owner = users.get("assistant") or admin
    for department in departments[:2]:
        for text, status in MEASURES:
            ImprovementMeasure.objects.create(
                district=district,
                department=department,
                month=month,
                measure=text,
                owner=owner,
                due_date=today.replace(day=1) + timedelta(days=27),
                status=status,
                follow_up="已在早会宣导" if status != "open" else "",
                created_by=manager,
            )
    log(
        f"deductions: {month:%Y-%m} closed, {deduction_month.lines.count()} agents, "
        f"¥{deduction_month.total}; fund usage and publication seeded"
    )
