"""Demo calendars (行事例): the two previous months, the current one and — for the district, in
draft — the next, at all levels, for every open district. District calendars are distributed
and mostly acknowledged; most departments and groups submit on time, some late, a few not at
all. Bulk inserts only (a few queries per district and month)."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from meetings.models import (
    Calendar,
    CalendarAcknowledgement,
    CalendarEntry,
    CalendarState,
    MeetingLevel,
)
from meetings.selectors import calendars as selectors
from meetings.selectors.templates import versions_for
from org.models import Unit, UnitKind
from workcalendar.selectors import workdays

BATCH = 2000

DISTRICT_TOPICS = [
    ("政令宣导：增员激励方案", "解读本月增员激励方案与竞赛规则"),
    ("业绩点评与竞赛快报", "上周业绩点评，竞赛排名与方案追踪"),
    ("典范分享：绩优业务员经验", "事先沟通的绩优人员分享拜访经验"),
    ("专题演讲：客户经营", "客户分类经营与转介绍"),
    ("KPI指标分析", "活动率、人均产能、增员率分析"),
    ("表彰颁奖", "上月达成人员表彰"),
    ("公司动态与重要通知", "分公司新闻、产品上市与营业区重要通知"),
    ("专题演讲：保险的意义与功用", "寿险功能与需求导向销售"),
]
DEPARTMENT_TOPICS = [
    ("考勤与业绩通报", "考勤通报、昨日业绩与本月进度"),
    ("拜访量追踪", "各组活动量检视与目标追踪"),
    ("产品知识：重疾险要点", "条款要点与常见问题"),
    ("话术演练：异议处理", "两人一组演练常见异议"),
    ("竞赛快报与激励", "部内竞赛排名与激励方案"),
    ("新人分享", "新人第一单的经验"),
    ("主题活动：职业规划", "晋升通道与考核要点"),
]
EVENING_TOPICS = [
    ("当日业绩回顾", "当日成交与拜访回顾"),
    ("明日拜访计划", "各组明日拜访安排"),
    ("案例研讨", "本周疑难案例讨论"),
]
GROUP_TOPICS = [
    ("昨日活动量检视", "逐人检视工作日志"),
    ("今日拜访计划", "确认每人今日拜访对象"),
    ("话术演练", "组内演练开场与促成"),
    ("案例分享", "组员分享成交案例"),
    ("陪访安排", "主任陪访与辅导安排"),
]
GUEST_SPEAKERS = ["分公司培训部讲师", "绩优业务员", "产品部讲师", "理赔部专员"]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(*, seed: int, log) -> None:
    districts = list(Unit.objects.open().filter(kind=UnitKind.DISTRICT).order_by("path"))
    if not districts or Calendar.objects.filter(unit__in=districts).exists():
        return
    rng = random.Random(seed * 53 + 7)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    this_month = selectors.month_start(today)
    months = [
        selectors.previous_month(selectors.previous_month(this_month)),
        selectors.previous_month(this_month),
        this_month,
    ]
    next_month = selectors.next_month(this_month)
    fallback = User.objects.filter(is_superuser=True).order_by("pk").first()
    now = timezone.now()
    calendars, entries_by_calendar, acks = [], [], []
    for district in districts:
        units = list(
            Unit.objects.open()
            .filter(district=district, kind__in=[UnitKind.DEPARTMENT, UnitKind.GROUP])
            .order_by("path")
        )
        holders: dict[tuple[str, int], int] = {}
        for role, unit_id, user_id in (
            RoleAssignment.objects.current()
            .filter(unit__path__startswith=district.path, user__is_active=True)
            .order_by("pk")
            .values_list("role", "unit_id", "user_id")
        ):
            holders.setdefault((role, unit_id), user_id)
        district_staff = [
            holders.get((role, district.pk))
            for role in (Role.TRAINER, Role.DISTRICT_MANAGER, Role.DISTRICT_ADMIN)
        ]
        district_staff = [user for user in district_staff if user] or [fallback.pk]
        version = versions_for(district, MeetingLevel.DISTRICT).first()
        version_id = version.pk if version else None
        departments = [u for u in units if u.kind == UnitKind.DEPARTMENT]

        def calendar_for(unit, level, month, state, submitted_at, by, **extra):
            calendar = Calendar(
                unit=unit,
                level=level,
                month=month,
                state=state,
                submitted_at=submitted_at,
                submitted_by_id=by if submitted_at else None,
                created_by_id=by,
                **extra,
            )
            calendars.append(calendar)
            return calendar

        def plan(calendar, days, topics, speakers, version_id=version_id):
            items = []
            for index, day in enumerate(days):
                topic, content = topics[(index + rng.randrange(len(topics))) % len(topics)]
                speaker = rng.choice(speakers)
                items.append(
                    CalendarEntry(
                        date=day,
                        topic=topic,
                        host_id=speaker if isinstance(speaker, int) else None,
                        host_name=speaker if isinstance(speaker, str) else "",
                        content=content,
                        template_version_id=version_id,
                    )
                )
            # One planned meeting taken off, kept as cancelled.
            if items and rng.random() < 0.2:
                items[rng.randrange(len(items))].cancelled_at = now
            entries_by_calendar.append((calendar, items))

        for month in [*months, next_month]:
            days = workdays(district, month, selectors.month_end(month))
            deadline = selectors.deadline_for(district, month)
            # The district calendar: distributed before the month (next month still in draft).
            if month == next_month:
                district_calendar = calendar_for(
                    district,
                    MeetingLevel.DISTRICT,
                    month,
                    CalendarState.DRAFT,
                    None,
                    district_staff[0],
                )
            else:
                distributed = _at(deadline - timedelta(days=rng.randint(3, 8)), 16)
                district_calendar = calendar_for(
                    district,
                    MeetingLevel.DISTRICT,
                    month,
                    CalendarState.DISTRIBUTED,
                    distributed,
                    district_staff[0],
                )
                share = 0.7 if month == this_month else 0.92
                for department in departments:
                    # The demo department manager still has this month's to acknowledge.
                    waiting = month == this_month and department == departments[0]
                    if rng.random() < share and not waiting:
                        ack_by = holders.get((Role.DEPT_MANAGER, department.pk)) or holders.get(
                            (Role.ASSISTANT, department.pk)
                        )
                        if ack_by:
                            acks.append((district_calendar, department, ack_by, distributed))
            plan(
                district_calendar,
                days,
                DISTRICT_TOPICS,
                district_staff + GUEST_SPEAKERS[:2],
            )
            if month == next_month:
                continue
            # Departments and groups submit theirs to the district.
            for unit in units:
                if unit.kind == UnitKind.DEPARTMENT:
                    writer = holders.get((Role.DEPT_MANAGER, unit.pk)) or holders.get(
                        (Role.ASSISTANT, unit.pk)
                    )
                    levels = [
                        (MeetingLevel.DEPARTMENT, days, DEPARTMENT_TOPICS),
                        (
                            MeetingLevel.EVENING,
                            [d for d in days if d.weekday() in (1, 3)],
                            EVENING_TOPICS,
                        ),
                    ]
                else:
                    writer = holders.get((Role.SUPERVISOR, unit.pk)) or holders.get(
                        (Role.DEPT_MANAGER, unit.parent_id)
                    )
                    levels = [(MeetingLevel.GROUP, days, GROUP_TOPICS)]
                writer = writer or district_staff[0]
                for level, level_days, topics in levels:
                    luck = rng.random()
                    if luck < 0.06:
                        continue  # missing: never written
                    if luck < 0.1:
                        state, submitted = CalendarState.DRAFT, None  # written, never submitted
                    elif luck < 0.22:
                        state = CalendarState.SUBMITTED
                        submitted = _at(deadline + timedelta(days=rng.randint(1, 5)), 10)
                    else:
                        state = CalendarState.SUBMITTED
                        submitted = _at(deadline - timedelta(days=rng.randint(0, 5)), 17)
                    calendar = calendar_for(unit, level, month, state, submitted, writer)
                    plan(calendar, level_days, topics, [writer, "业务主任", "绩优业务员"])
        # Next month: some departments and groups have submitted already.
        for unit in units:
            if rng.random() < 0.35:
                writer = (
                    holders.get((Role.DEPT_MANAGER, unit.pk))
                    or holders.get((Role.SUPERVISOR, unit.pk))
                    or district_staff[0]
                )
                level = (
                    MeetingLevel.DEPARTMENT
                    if unit.kind == UnitKind.DEPARTMENT
                    else MeetingLevel.GROUP
                )
                submitted = min(now, _at(today - timedelta(days=rng.randint(0, 3)), 11))
                calendar = calendar_for(
                    unit, level, next_month, CalendarState.SUBMITTED, submitted, writer
                )
                days = workdays(district, next_month, selectors.month_end(next_month))
                topics = DEPARTMENT_TOPICS if unit.kind == UnitKind.DEPARTMENT else GROUP_TOPICS
                plan(calendar, days, topics, [writer, "业务主任"])
    Calendar.objects.bulk_create(calendars, batch_size=BATCH)
    entries = []
    for calendar, items in entries_by_calendar:
        for item in items:
            item.calendar_id = calendar.pk
            entries.append(item)
    CalendarEntry.objects.bulk_create(entries, batch_size=BATCH)
    rows = CalendarAcknowledgement.objects.bulk_create(
        [
            CalendarAcknowledgement(calendar_id=calendar.pk, unit=department, user_id=user_id)
            for calendar, department, user_id, _distributed in acks
        ],
        batch_size=BATCH,
    )
    # `at` is set on insert: move it to a day or two after the distribution.
    for row, (_calendar, _department, _user, distributed) in zip(rows, acks, strict=True):
        row.at = distributed + timedelta(days=rng.randint(0, 2), hours=rng.randint(1, 6))
    CalendarAcknowledgement.objects.bulk_update(rows, ["at"], batch_size=BATCH)
    log(f"meetings: {len(calendars)} calendars, {len(entries)} calendar entries, {len(acks)} acks")
