"""Demo supervision of department meetings (§7): for every open district the default acceptance
checklist and, over the last three months, about two visits per department per month (from the
department's calendar where there is one), mostly done with scores spread between weak and strong
departments, some cancelled, the coming ones planned; issues on low-rated items, the older ones
mostly resolved. Bulk inserts only (a few queries per district)."""

import random
from datetime import timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from meetings.models import (
    AcceptanceForm,
    CalendarEntry,
    FormScore,
    Issue,
    Meeting,
    MeetingLevel,
    Visit,
    VisitState,
)
from meetings.selectors import inspections as selectors
from meetings.services.inspections import checklist_ensure_default
from org.models import Unit, UnitKind
from workcalendar.selectors import workdays

ISSUES = {
    "准时开始": "早会推迟十分钟开始，部分人员迟到",
    "晨会仪式": "晨会仪式不完整，未进行公司训导",
    "考勤通报": "未通报请假与旷工人员",
    "业绩通报": "业绩通报只念数字，缺少点评与竞赛追踪",
    "主题质量与准备": "主题准备不足，讲师照读讲稿",
    "氛围与参与": "现场气氛沉闷，互动少",
    "时间控制": "超时二十分钟，影响外出拜访",
    "物料与设备": "音响调试不到位，投影无法使用",
}
SUGGESTIONS = [
    "提前一天确认主讲人与资料，会前十分钟调试设备。",
    "业绩通报结合竞赛方案点评，表扬先进。",
    "主题活动增加互动与演练环节。",
    "严格按执行流程控制各环节时间。",
]
HIGHLIGHTS = ["晨迎热情，士气高涨", "典范分享贴近实际", "考勤通报清楚及时", "流程完整，节奏紧凑"]


def seed(*, seed: int, log) -> None:
    today = timezone.localdate()
    start = today.replace(day=1)
    for _month in range(2):  # the current month and the two before it
        start = (start - timedelta(days=1)).replace(day=1)
    for district in Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True).order_by(
        "path"
    ):
        if Visit.objects.filter(district=district).exists():
            continue
        rng = random.Random(seed * 53 + district.pk)  # noqa: S311 - reproducible demo data
        count = _seed_district(district, start, today, rng)
        log(f"meetings: {count} inspection visits in {district.name}")


def _seed_district(district, start, today, rng) -> int:
    items = [item for item in checklist_ensure_default(district=district) if item.active]
    inspectors = list(selectors.inspectors_for(district))
    departments = list(selectors.department_units(district))
    if not inspectors or not departments:
        return 0
    end = min(today + timedelta(days=14), selectors.month_bounds(today)[1])
    days = workdays(district, start, end)
    entries: dict[int, list] = {}
    for entry in CalendarEntry.objects.filter(
        calendar__unit__in=departments,
        calendar__level=MeetingLevel.DEPARTMENT,
        date__range=(start, end),
        cancelled_at__isnull=True,
    ).values("pk", "calendar__unit_id", "date"):
        entries.setdefault(entry["calendar__unit_id"], []).append(entry)
    meetings = {
        (m["unit_id"], m["date"]): m["pk"]
        for m in Meeting.objects.filter(
            unit__in=departments, level=MeetingLevel.DEPARTMENT, date__range=(start, today)
        ).values("pk", "unit_id", "date")
    }

    visits = []
    quality = {d.pk: rng.uniform(2.3, 4.8) for d in departments}
    months = sorted({day.replace(day=1) for day in days})
    for department in departments:
        for month in months:
            month_days = [d for d in days if d.replace(day=1) == month]
            own = [e for e in entries.get(department.pk, []) if e["date"].replace(day=1) == month]
            picks = rng.sample(own, min(2, len(own))) if own else []
            while len(picks) < 2 and month_days:
                picks.append({"pk": None, "date": rng.choice(month_days)})
            for pick in picks:
                day = pick["date"]
                if day > end:
                    continue
                if day >= today:
                    state = VisitState.PLANNED
                else:
                    state = VisitState.CANCELLED if rng.random() < 0.08 else VisitState.DONE
                visits.append(
                    Visit(
                        unit=department,
                        department=department,
                        district=district,
                        date=day,
                        calendar_entry_id=pick["pk"],
                        inspector=rng.choice(inspectors),
                        state=state,
                        planned_by=inspectors[0],
                        cancelled_at=timezone.now() if state == VisitState.CANCELLED else None,
                        cancel_reason="营业部临时调整早会" if state == VisitState.CANCELLED else "",
                    )
                )
    # With their history: a stale edit of a seeded visit or issue lists what was changed since
    # the version it was based on (core.history.changes_since needs that version's record).
    visits = bulk_create_with_history(visits, Visit, default_user=inspectors[0])

    forms, lines_by_form = [], []
    for visit in visits:
        if visit.state != VisitState.DONE:
            continue
        level = quality[visit.department_id]
        lines = []
        for item in items:
            rating = max(0, min(5, round(rng.gauss(level, 0.9))))
            lines.append(FormScore.for_item(item, rating))
        forms.append(
            AcceptanceForm(
                visit=visit,
                meeting_id=meetings.get((visit.unit_id, visit.date)),
                total=sum(line.points for line in lines),
                present_count=rng.randint(15, 45),
                highlights=rng.choice(HIGHLIGHTS),
                suggestions=rng.choice(SUGGESTIONS),
                filled_by=visit.inspector,
            )
        )
        lines_by_form.append((visit, lines))
    forms = AcceptanceForm.objects.bulk_create(forms)

    scores, issues = [], []
    now = timezone.now()
    for form, (visit, lines) in zip(forms, lines_by_form, strict=True):
        for line in lines:
            line.form = form
            scores.append(line)
            if line.rating <= 2 and rng.random() < 0.6:
                resolved = (today - visit.date).days > 20 and rng.random() < 0.75
                issues.append(
                    Issue(
                        form=form,
                        unit=visit.unit,
                        item=line.item,
                        description=ISSUES.get(line.title, f"{line.title}未达标准"),
                        resolved_at=now if resolved else None,
                        resolved_by=visit.inspector if resolved else None,
                        resolution="已在部内早会检讨并整改" if resolved else "",
                    )
                )
    FormScore.objects.bulk_create(scores, batch_size=2000)
    bulk_create_with_history(issues, Issue, batch_size=2000, default_user=inspectors[0])
    return len(visits)
