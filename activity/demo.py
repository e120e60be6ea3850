"""Demo work logs: the first district, the last three months (strong, average, inactive agents;
some returned and resubmitted)."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from activity.models import (
    POINT_FIELDS,
    CardSource,
    LogState,
    ProspectCard,
    ProspectStage,
    RecruitCard,
    RecruitStage,
    Scorecard,
    WorkLog,
)
from activity.selectors.weekly_checks import can_fill, default_week
from core.demo import register
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import workdays

BATCH = 2000
MEETING_NOTES = "早会要点：本周主推产品话术，拜访前准备客户资料"


@register(order=70)
def seed(*, seed: int, log) -> None:
    district = (
        Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True).order_by("path").first()
    )
    if district is None or WorkLog.objects.filter(agent__group__district=district).exists():
        return
    rng = random.Random(seed * 37 + 11)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    start = today - timedelta(days=91)
    days = workdays(district, start, today - timedelta(days=1))
    scorecard, _created = Scorecard.objects.get_or_create(district=district)
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    agents = list(
        Agent.objects.in_unit(district)
        .active_during(start, today)
        .values("pk", "hire_date", "resigned_on")
    )
    logs = []
    now = timezone.now()
    for agent in agents:
        kind = rng.random()
        fill, scale = (0.95, 2.0) if kind < 0.2 else (0.8, 1.0) if kind < 0.8 else (0.2, 0.3)
        for day in days:
            if day < agent["hire_date"] or (agent["resigned_on"] and day > agent["resigned_on"]):
                continue
            if rng.random() > fill:
                continue
            entry = WorkLog(
                agent_id=agent["pk"],
                date=day,
                new_prospects=rng.randint(0, int(3 * scale)),
                first_visits=rng.randint(0, int(3 * scale)),
                follow_up_visits=rng.randint(0, int(3 * scale)),
                closing_visits=rng.randint(0, int(1 * scale)),
                service_visits=rng.randint(0, int(2 * scale)),
                recruiting_talks=rng.randint(0, int(1 * scale)),
                accompanied_visits=rng.randint(0, 1),
                policies_closed=1 if rng.random() < 0.05 * scale else 0,
                # most agents note the morning meeting (附件6 counts the days with notes);
                # not drawn from rng, so the other demo figures stay as they were
                meeting_notes=MEETING_NOTES if (agent["pk"] + day.toordinal()) % 10 < 7 else "",
                state=LogState.APPROVED if day < today - timedelta(days=1) else LogState.SUBMITTED,
                reviewed_by=supervisor if day < today - timedelta(days=1) else None,
                reviewed_at=now if day < today - timedelta(days=1) else None,
            )
            if day > today - timedelta(days=6) and rng.random() < 0.05:
                entry.return_comment = "请补充拜访客户的情况"
                entry.state = LogState.RETURNED
            entry.points = sum(getattr(entry, a) * getattr(scorecard, b) for a, b in POINT_FIELDS)
            logs.append(entry)
    WorkLog.objects.bulk_create(logs, batch_size=BATCH)
    log(f"activity: {len(logs)} work logs for {len(agents)} agents")
    _seed_cards(rng, [a["pk"] for a in agents if not a["resigned_on"]][:60])
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["supervisor", "assistant", "district_admin", "district_manager"]
        )
    }
    _seed_return_trail(rng, today, users)
    _seed_tools(rng, district, today, users)
    _seed_weekly_checks(rng, district, today, users)


def _seed_return_trail(rng, today, users) -> None:
    """A few logs of the demo supervisor's group returned at 二早 and resubmitted, through the
    services, so their history shows the trail (submitted → returned → resubmitted)."""
    from activity.services.logs import worklog_approve, worklog_return, worklog_save

    supervisor, assistant = users.get("supervisor"), users.get("assistant")
    if supervisor is None or assistant is None:
        return
    from org.scope import Cap, scope_for

    paths = scope_for(supervisor).paths(Cap.REVIEW_WORK_LOGS)
    if not paths:
        return
    logs = list(
        WorkLog.objects.filter(
            agent__group__path__startswith=paths[0],
            date__range=(today - timedelta(days=10), today - timedelta(days=3)),
        )
        .select_related("agent__group")
        .order_by("date", "agent__code")[:6]
    )
    comments = ["请补充拜访客户的情况", "促成数与签单数不符，请核对", "明日计划请写具体"]
    from activity.access import can_correct

    logs = [entry for entry in logs if can_correct(assistant, entry.agent)]
    for entry in logs:
        WorkLog.objects.filter(pk=entry.pk).update(state=LogState.SUBMITTED)
        entry.state = LogState.SUBMITTED
        worklog_return(acting_user=supervisor, log=entry, comment=rng.choice(comments))
        worklog_save(
            acting_user=assistant,
            agent=entry.agent,
            day=entry.date,
            data={"tomorrow_plan": "已按主管意见补充"},
            submit=True,
        )
    if logs:
        worklog_approve(acting_user=supervisor, logs=logs[: len(logs) // 2])


def _seed_tools(rng, district, today, users) -> None:
    """Receipts each month and issues to every department (never beyond the stock)."""
    from activity.models import ToolKind
    from activity.services.tools import tool_record

    user = users.get("district_admin") or users.get("district_manager")
    if user is None:
        return
    departments = list(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, path__startswith=district.path)
        .open()
        .order_by("path")
    )
    quantities = {"log_book": 200, "prospect_card": 2000, "recruit_card": 500}
    quantities["work_element_table"] = 300
    for kind in ToolKind.objects.filter(key__in=quantities):
        for months_ago in (2, 1, 0):
            day = today.replace(day=1) - timedelta(days=28 * months_ago)
            tool_record(
                acting_user=user,
                district=district,
                kind=kind,
                direction="in",
                quantity=quantities[kind.key],
                day=day,
                note="分公司配发",
            )
            for department in departments:
                tool_record(
                    acting_user=user,
                    district=district,
                    kind=kind,
                    direction="out",
                    quantity=max(
                        1, quantities[kind.key] // (len(departments) + 1) - rng.randint(0, 3)
                    ),
                    day=min(day + timedelta(days=rng.randint(1, 5)), today),
                    department=department,
                )


def _seed_weekly_checks(rng, district, today, users) -> None:
    """The last four complete weeks: most departments submitted and the district commented;
    the latest week still has departments not submitted (and one draft)."""
    from activity.services.weekly_checks import weekly_check_comment, weekly_check_save

    filler = users.get("district_admin")
    checker = users.get("district_manager") or filler
    if filler is None:
        return
    departments = list(
        Unit.objects.filter(kind=UnitKind.DEPARTMENT, path__startswith=district.path)
        .open()
        .order_by("path")
    )
    statuses = {
        "morning_meeting": ["早会按流程进行，出席率高", "早会内容偏长，需精简", "早会准时开始"],
        "second_meeting": ["各组二早正常召开", "二组二早未按时召开", "二早审批日志及时"],
        "work_element_table": ["已全部填写", "个别业务员未填写", "已填写并张贴"],
        "evening_meeting": ["周五夕会总结本周活动量", "夕会未召开", "夕会按时召开"],
        "measures": ["对未填日志人员逐一面谈", "主管加强陪访", "增员面谈每周不少于两次"],
    }
    latest = default_week()
    for weeks_ago in range(3, -1, -1):
        week = latest - timedelta(days=7 * weeks_ago)
        for index, department in enumerate(departments):
            if not can_fill(filler, department) or (weeks_ago == 0 and index % 2):
                continue  # not submitted yet
            data = {name: rng.choice(values) for name, values in statuses.items()}
            draft = weeks_ago == 0 and index == 2
            check = weekly_check_save(
                acting_user=filler,
                department=department,
                week_start=week,
                data=data,
                submit=not draft,
            )
            if weeks_ago > 0 and checker is not None:
                weekly_check_comment(
                    acting_user=checker,
                    check=check,
                    comment=rng.choice(["已检查，继续保持", "未填日志人员需跟进", "陪访量偏低"]),
                )


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _seed_cards(rng, agent_ids) -> None:
    prospects, recruits = [], []
    for agent_id in agent_ids:
        for n in range(rng.choice([5, 20, 35, 65, 110])):
            prospects.append(
                ProspectCard(
                    agent_id=agent_id,
                    name=f"{rng.choice(SURNAMES)}先生" if n % 2 else f"{rng.choice(SURNAMES)}女士",
                    contact=f"139{rng.randint(10000000, 99999999)}",
                    source=rng.choice(CardSource.values),
                    stage=rng.choice(ProspectStage.values),
                )
            )
        for _n in range(rng.randint(0, 6)):
            recruits.append(
                RecruitCard(
                    agent_id=agent_id,
                    name=f"{rng.choice(SURNAMES)}同学",
                    source=rng.choice(CardSource.values),
                    stage=rng.choice(RecruitStage.values),
                )
            )
    ProspectCard.objects.bulk_create(prospects, batch_size=BATCH)
    RecruitCard.objects.bulk_create(recruits, batch_size=BATCH)
