"""Demo work logs: the first district, the last three months (strong, average, inactive agents;
some returned and resubmitted)."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
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
from org.models import Agent, Unit, UnitKind
from workcalendar.selectors import workdays

BATCH = 2000


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
        .filter(hire_date__lte=today)
        .filter(Q(resigned_on__isnull=True) | Q(resigned_on__gte=start))
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
