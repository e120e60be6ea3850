"""Demo meeting records (早会档案) and evaluation feedback (附件3).

Most past calendar entries of the calendars demo were held and recorded (a few were not, so the
archive's "share held" is realistic); the items of their template ticked with actual minutes; the
head count from the day's roll call where attendance has one, else counted by hand. Without demo
calendars, workdays of the last two months are recorded for every district and department.

Feedback needs user accounts: the demo gives a login (the demo password) to up to
AGENT_LOGINS_PER_DEPARTMENT agents of each department, who then rate their meetings with a
realistic spread. Bulk inserts only."""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Role, RoleAssignment, User
from meetings.models import (
    CalendarEntry,
    Feedback,
    FlowItem,
    Meeting,
    MeetingItemHeld,
    MeetingLevel,
)
from meetings.selectors.templates import versions_for
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import workdays

BATCH = 2000
AGENT_LOGINS_PER_DEPARTMENT = 8
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the documented demo password
HELD_SHARE = 0.9
START = {
    MeetingLevel.DISTRICT: (time(8, 30), 40),
    MeetingLevel.DEPARTMENT: (time(9, 0), 60),
    MeetingLevel.EVENING: (time(17, 30), 30),
    MeetingLevel.GROUP: (time(10, 0), 30),
}
FALLBACK_TOPICS = {
    MeetingLevel.DISTRICT: ["政令宣导", "业绩点评与竞赛快报", "典范分享", "公司动态与重要通知"],
    MeetingLevel.DEPARTMENT: ["考勤与业绩通报", "拜访量追踪", "话术演练：异议处理", "新人分享"],
}
SUGGESTIONS = [
    "",
    "",
    "",
    "时间控制再紧凑一些",
    "希望多一些实际案例",
    "互动环节可以多一点",
    "音响效果需要改善",
    "分享人准备很充分，希望继续",
    "业绩通报可以更简短",
    "希望增加产品知识讲解",
]


def seed(*, seed: int, log) -> None:
    districts = list(Unit.objects.open().filter(kind=UnitKind.DISTRICT).order_by("path"))
    if not districts or Meeting.objects.filter(unit__district__in=districts).exists():
        return
    rng = random.Random(seed * 61 + 13)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    fallback = User.objects.filter(is_superuser=True).order_by("pk").first()
    if fallback is None:
        return
    units = {
        u.pk: u for u in Unit.objects.open().filter(district__in=districts).select_related("parent")
    }
    recorders = _recorders(districts, fallback)
    plans = _planned(districts, today, rng)
    if not plans:
        plans = _unplanned(districts, units, today, rng)
    present = _roll_call(districts, units, plans)
    items_by_version = _items([p["version_id"] for p in plans])
    meetings, rows_items = [], []
    for plan in plans:
        unit = units[plan["unit_id"]]
        start, minutes = START[plan["level"]]
        counted = present.get((plan["unit_id"], plan["date"]))
        head_count = counted if counted is not None else rng.randint(8, 40)
        meeting = Meeting(
            unit_id=plan["unit_id"],
            level=plan["level"],
            date=plan["date"],
            calendar_entry_id=plan.get("entry_id"),
            topic=plan["topic"],
            host_id=plan.get("host_id"),
            host_name=plan.get("host_name", ""),
            template_version_id=plan["version_id"],
            started_at=time(start.hour, start.minute + rng.choice([0, 0, 0, 5, 10])),
            duration_minutes=minutes + rng.randint(-10, 15),
            present_count=head_count,
            present_from_roll_call=counted is not None,
            notes=rng.choice(["", "", "气氛热烈", "部分人员迟到", "设备调试耽误五分钟"]),
            recorded_by_id=recorders.get(unit.pk)
            or recorders.get(unit.parent_id)
            or recorders.get(unit.district_id)
            or fallback.pk,
        )
        meetings.append(meeting)
    meetings = bulk_create_with_history(
        meetings, Meeting, batch_size=BATCH, default_user=fallback, default_change_reason="演示数据"
    )
    if not all(m.pk for m in meetings):  # backends without RETURNING ids
        ids = {
            (m.unit_id, m.level, m.date): m.pk
            for m in Meeting.objects.filter(unit__district__in=districts)
        }
        for meeting in meetings:
            meeting.pk = ids[(meeting.unit_id, meeting.level, meeting.date)]
    for meeting in meetings:
        for item in items_by_version.get(meeting.template_version_id, []):
            held = item.required or rng.random() < 0.55
            rows_items.append(
                MeetingItemHeld(
                    meeting_id=meeting.pk,
                    item_id=item.pk,
                    held=held,
                    actual_minutes=max(0, item.planned_minutes + rng.randint(-2, 3))
                    if held
                    else None,
                )
            )
    # Items held are many small rows: inserted without history rows (demo data only).
    MeetingItemHeld.objects.bulk_create(rows_items, batch_size=BATCH)
    forms = _feedback(districts, units, meetings, today, rng)
    log(
        f"meetings: {len(meetings)} meeting records, {len(rows_items)} items held, "
        f"{len(forms)} feedback forms"
    )


def _recorders(districts, fallback) -> dict[int, int]:
    """Who records the meetings of each unit: the assistant or manager, the supervisor, the
    district's trainer."""
    preferred = [Role.ASSISTANT, Role.DEPT_MANAGER, Role.SUPERVISOR, Role.TRAINER]
    holders: dict[int, int] = {}
    rank = {}
    for role, unit_id, user_id in (
        RoleAssignment.objects.current()
        .filter(unit__district__in=districts, role__in=preferred, user__is_active=True)
        .order_by("pk")
        .values_list("role", "unit_id", "user_id")
    ):
        order = preferred.index(role)
        if unit_id not in holders or order < rank[unit_id]:
            holders[unit_id], rank[unit_id] = user_id, order
    return holders


def _planned(districts, today, rng) -> list[dict]:
    """Past, non-cancelled calendar entries (one per unit/level/day), most of them held."""
    entries = (
        CalendarEntry.objects.filter(
            calendar__unit__district__in=districts,
            cancelled_at__isnull=True,
            date__lt=today,
        )
        .order_by("calendar__unit", "calendar__level", "date", "pk")
        .values(
            "pk",
            "date",
            "topic",
            "host_id",
            "host_name",
            "template_version_id",
            "calendar__unit_id",
            "calendar__level",
        )
    )
    plans, seen = [], set()
    for entry in entries:
        key = (entry["calendar__unit_id"], entry["calendar__level"], entry["date"])
        if key in seen or rng.random() > HELD_SHARE:
            continue
        seen.add(key)
        plans.append(
            {
                "unit_id": key[0],
                "level": key[1],
                "date": key[2],
                "entry_id": entry["pk"],
                "topic": entry["topic"],
                "host_id": entry["host_id"],
                "host_name": entry["host_name"],
                "version_id": entry["template_version_id"],
            }
        )
    return plans


def _unplanned(districts, units, today, rng) -> list[dict]:
    """No demo calendars: district and department meetings on the last two months' workdays."""
    plans = []
    for district in districts:
        days = workdays(district, today - timedelta(days=61), today - timedelta(days=1))
        targets = [(district, MeetingLevel.DISTRICT)] + [
            (unit, MeetingLevel.DEPARTMENT)
            for unit in units.values()
            if unit.kind == UnitKind.DEPARTMENT and unit.district_id == district.pk
        ]
        for unit, level in targets:
            version = versions_for(unit, level).first()
            for day in days:
                if rng.random() > HELD_SHARE:
                    continue
                plans.append(
                    {
                        "unit_id": unit.pk,
                        "level": level,
                        "date": day,
                        "topic": rng.choice(FALLBACK_TOPICS[level]),
                        "host_name": rng.choice(["经理", "培训讲师", "绩优业务员"]),
                        "version_id": version.pk if version else None,
                    }
                )
    return plans


def _roll_call(districts, units, plans) -> dict[tuple[int, object], int]:
    """Present or late per (unit, day) from the attendance records, rolled up the tree: one
    grouped query. Only (unit, day) pairs with a roll call appear."""
    from attendance.models import ATTENDED_STATUSES, AttendanceRecord

    if not plans:
        return {}
    first = min(p["date"] for p in plans)
    last = max(p["date"] for p in plans)
    rows = (
        AttendanceRecord.objects.filter(
            agent__group__district__in=districts, date__range=(first, last)
        )
        .values("agent__group_id", "date")
        .annotate(present=Count("pk", filter=Q(status__in=[s.value for s in ATTENDED_STATUSES])))
        .order_by()
    )
    result: dict[tuple[int, object], int] = defaultdict(int)
    for row in rows:
        group = units.get(row["agent__group_id"])
        while group is not None:
            result[(group.pk, row["date"])] += row["present"]
            group = units.get(group.parent_id)
    return result


def _items(version_ids) -> dict[int, list]:
    by_version = defaultdict(list)
    for item in (
        FlowItem.objects.filter(section__version_id__in={v for v in version_ids if v})
        .select_related("section")
        .order_by("section__order", "order")
    ):
        by_version[item.section.version_id].append(item)
    return by_version


def _agent_logins(districts, units, fallback) -> dict[int, list[int]]:
    """Users of agents per department (creating demo logins for a few agents of each)."""
    today = timezone.localdate()
    active = (
        Agent.objects.filter(group__district__in=districts)
        .active_on(today)
        .exclude(status="resigned")
        .order_by("group__path", "code")
    )
    by_department: dict[int, list] = defaultdict(list)
    for agent in active.select_related("group"):
        by_department[agent.group.parent_id].append(agent)
    password = make_password(DEMO_PASSWORD)
    new_users, linked = [], []
    for agents in by_department.values():
        with_login = [a for a in agents if a.user_id]
        for agent in [a for a in agents if not a.user_id][
            : max(0, AGENT_LOGINS_PER_DEPARTMENT - len(with_login))
        ]:
            user = User(
                username=f"a{agent.code.lower()}",
                full_name=agent.name,
                password=password,
                language="zh-hans",
            )
            new_users.append(user)
            linked.append((agent, user))
    if new_users:
        taken = set(
            User.objects.filter(username__in=[u.username for u in new_users]).values_list(
                "username", flat=True
            )
        )
        pairs = [(a, u) for a, u in linked if u.username not in taken]
        created = bulk_create_with_history(
            [u for _a, u in pairs], User, default_user=fallback, default_change_reason="演示数据"
        )
        ids = dict(
            User.objects.filter(username__in=[u.username for u in created]).values_list(
                "username", "pk"
            )
        )
        for agent, user in pairs:
            agent.user_id = ids[user.username]
        # With a history record each, as any change of an agent: otherwise the agent's next real
        # edit would show this link as its own change ("login user — → …").
        bulk_update_with_history(
            [a for a, _u in pairs],
            Agent,
            ["user"],
            batch_size=BATCH,
            default_user=fallback,
            default_change_reason="演示数据",
        )
    result: dict[int, list[int]] = defaultdict(list)
    for agent in Agent.objects.filter(group__district__in=districts, user__isnull=False).values(
        "group_id", "user_id"
    ):
        group = units.get(agent["group_id"])
        while group is not None:
            result[group.pk].append(agent["user_id"])
            group = units.get(group.parent_id)
    return result


def _feedback(districts, units, meetings, today, rng) -> list[Feedback]:
    """Several forms per meeting from agents of the unit; each speaker has a profile (some are
    well prepared but not fluent, etc.)."""
    fallback = User.objects.filter(is_superuser=True).order_by("pk").first()
    logins = _agent_logins(districts, units, fallback)
    profiles: dict[object, dict] = {}
    forms = []
    for meeting in meetings:
        if meeting.date < today - timedelta(days=75):
            continue
        pool = [u for u in logins.get(meeting.unit_id, []) if u != meeting.host_id]
        if not pool:
            continue
        speaker = meeting.host_id or meeting.host_name
        profile = profiles.setdefault(
            speaker,
            {
                "well_prepared": rng.uniform(0.5, 0.95),
                "motivating": rng.uniform(0.3, 0.9),
                "substantive": rng.uniform(0.4, 0.9),
                "fluent": rng.uniform(0.5, 0.95),
            },
        )
        count = min(len(pool), rng.randint(2, 7))
        for user_id in rng.sample(pool, count):
            forms.append(
                Feedback(
                    meeting_id=meeting.pk,
                    respondent_id=user_id,
                    suggestions=rng.choice(SUGGESTIONS),
                    **{trait: rng.random() < share for trait, share in profile.items()},
                )
            )
    forms = bulk_create_with_history(
        forms, Feedback, batch_size=BATCH, default_user=fallback, default_change_reason="演示数据"
    )
    # Submitted on the day of the meeting, not at seeding time.
    days = {meeting.pk: meeting.date for meeting in meetings}
    for form in forms:
        form.submitted_at = timezone.make_aware(
            datetime.combine(days[form.meeting_id], time(11, 0))
        ) + timedelta(minutes=rng.randrange(600))
    Feedback.objects.bulk_update([f for f in forms if f.pk], ["submitted_at"], batch_size=BATCH)
    return forms
