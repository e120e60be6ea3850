"""Writing the demo branch: `write_demo` turns a plan into units, ranks and agents with their
history, with bulk inserts only (a few dozen queries per thousand agents), inside the caller's
transaction. The users it links and records as author come from accounts/demo.py.
"""

from __future__ import annotations

import time as _time
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from org.demo.names import (
    BATCH,
    BRANCH_CODE,
    BRANCH_NAME,
    FORMAL,
    FUNCTIONAL_UNITS,
    HIRED,
    PROB,
    RANKS,
    RESIGNED,
)
from org.demo.plan import DemoPlan, at
from org.models import (
    Agent,
    AgentPlacement,
    AgentRankChange,
    AgentStatus,
    AgentTransfer,
    Rank,
    Unit,
    UnitKind,
)
from org.services import placements


def write_demo(plan: DemoPlan, *, admin, users: dict, log=None) -> dict:
    """Insert the plan (call inside transaction.atomic) with `admin` as author, linking the
    `users` named in the plan. Returns counts for the summary."""
    started = _time.monotonic()
    log = log or (lambda message: None)
    branch, functional = _write_units(plan, admin)
    ranks = _write_ranks(branch, admin)
    log(f"units and users ready ({_time.monotonic() - started:.1f}s)")
    _write_agents(plan, ranks, users, admin)
    log(f"agents ready ({_time.monotonic() - started:.1f}s)")
    return {
        "units": 1
        + len(functional)
        + sum(1 + len(d.departments) + len(d.groups) for d in plan.districts),
        "agents": len(plan.agents),
        "seconds": _time.monotonic() - started,
    }


def seeded_tables() -> list[str]:
    """The tables write_demo fills (their history tables included)."""
    models = [Unit, Rank, Agent]
    tables = [m._meta.db_table for m in models]
    tables += [m.history.model._meta.db_table for m in models]
    return tables + [
        AgentRankChange._meta.db_table,
        AgentTransfer._meta.db_table,
        AgentPlacement._meta.db_table,
    ]


def _insert_units(units: list[Unit], admin) -> list[Unit]:
    created = bulk_create_with_history(
        units, Unit, batch_size=BATCH, default_user=admin, default_change_reason="演示数据"
    )
    if len(created) != len(units) or any(u.pk is None for u in units):
        raise RuntimeError("The database did not return the new ids (bulk_create).")
    for unit in units:
        unit.path = Unit.child_path(unit.parent.path if unit.parent_id else "/", unit.pk)
        if unit.kind == UnitKind.DISTRICT:
            unit.district_id = unit.pk
    Unit.objects.bulk_update(units, ["path", "district"], batch_size=BATCH)
    return units


def _write_units(plan: DemoPlan, admin):
    opened = date(plan.today.year - 12, 1, 1)
    branch = Unit(kind=UnitKind.BRANCH, name=BRANCH_NAME, code=BRANCH_CODE, opened_on=opened)
    _insert_units([branch], admin)
    functional = [
        Unit(kind=kind, name=name, code=code, parent=branch, opened_on=opened)
        for kind, name, code in FUNCTIONAL_UNITS
    ]
    district_opened = plan.today - timedelta(days=3 * 365 + 60)
    for district in plan.districts:
        district.unit = Unit(
            kind=UnitKind.DISTRICT,
            name=district.name,
            code=district.code,
            parent=branch,
            opened_on=district_opened,
        )
    _insert_units(functional + [d.unit for d in plan.districts], admin)
    for district in plan.districts:
        for department in district.departments:
            department.unit = Unit(
                kind=UnitKind.DEPARTMENT,
                name=department.name,
                code=department.code,
                parent=district.unit,
                district=district.unit,
                opened_on=district_opened,
            )
    _insert_units([dep.unit for d in plan.districts for dep in d.departments], admin)
    for group in plan.groups:
        department = group.department
        group.unit = Unit(
            kind=UnitKind.GROUP,
            name=group.name,
            code=group.code,
            parent=department.unit,
            district=department.district.unit,
            opened_on=district_opened,
        )
    _insert_units([g.unit for g in plan.groups], admin)
    return branch, functional


def _write_ranks(branch: Unit, admin) -> list[Rank]:
    ranks = [
        Rank(branch=branch, code=code, name=name, level=level, is_manager_rank=manager)
        for code, name, level, manager in RANKS
    ]
    return bulk_create_with_history(
        ranks, Rank, default_user=admin, default_change_reason="演示数据"
    )


def _write_agents(plan: DemoPlan, ranks: list[Rank], users: dict, admin) -> None:
    rank_ids = [r.pk for r in ranks]
    rows = []
    for a in plan.agents:
        user = users.get(a.username) if a.username else None
        rows.append(
            Agent(
                code=a.code,
                name=a.name,
                gender=a.gender,
                id_number=a.id_number,
                mobile=a.mobile,
                education=a.education,
                hire_date=a.hire_date,
                group_id=a.group.unit.pk,
                rank_id=rank_ids[a.rank],
                status=a.status,
                resigned_on=a.resigned_on,
                practice_certificate_no=a.practice_no,
                practice_certificate_valid_until=a.practice_until,
                qualification_certificate_no=a.qualification_no,
                deposit_paid=a.deposit,
                user=user,
            )
        )
    # Inserted in hire order, batch by batch: a recruiter is always an earlier row, so its id
    # is usually known when the recruit is inserted; the few recruited by someone in the same
    # batch get their recruiter in one update afterwards.
    pending = []
    for start in range(0, len(rows), BATCH):
        batch = list(
            zip(plan.agents[start : start + BATCH], rows[start : start + BATCH], strict=True)
        )
        for a, row in batch:
            if a.recruiter is not None:
                if a.recruiter.pk is not None:
                    row.recruiter_id = a.recruiter.pk
                else:
                    pending.append((a, row))
        Agent.objects.bulk_create([row for _a, row in batch])
        for a, row in batch:
            if row.pk is None:
                raise RuntimeError("The database did not return the new ids (bulk_create).")
            a.pk = row.pk
    for a, row in pending:
        row.recruiter_id = a.recruiter.pk
    Agent.objects.bulk_update([row for _a, row in pending], ["recruiter"], batch_size=BATCH)

    rank_changes, transfers = [], []
    for a in plan.agents:
        previous = None
        for day, rank, reason in a.ranks:
            rank_changes.append(
                AgentRankChange(
                    agent_id=a.pk,
                    from_rank_id=None if previous is None else rank_ids[previous],
                    to_rank_id=rank_ids[rank],
                    effective_date=day,
                    reason=reason,
                    created_by=admin,
                )
            )
            previous = rank
        transfers.append(
            AgentTransfer(
                agent_id=a.pk,
                from_group=None,
                to_group_id=a.initial_group.unit.pk,
                effective_date=a.hire_date,
                reason=HIRED,
                created_by=admin,
            )
        )
        if a.first_group is not None:
            transfers.append(
                AgentTransfer(
                    agent_id=a.pk,
                    from_group_id=a.first_group.unit.pk,
                    to_group_id=a.group.unit.pk,
                    effective_date=a.transfer_on,
                    reason=a.transfer_reason,
                    created_by=admin,
                )
            )
    AgentRankChange.objects.bulk_create(rank_changes, batch_size=BATCH)
    AgentTransfer.objects.bulk_create(transfers, batch_size=BATCH)
    _write_scheduled_transfer(plan, admin)
    placements.rebuild([a.pk for a in plan.agents])
    _write_agent_history(plan, rows, rank_ids, admin)


def _write_scheduled_transfer(plan: DemoPlan, admin) -> None:
    """One transfer scheduled for the 1st of next month, to show on the agent page (the first
    agent without a login who can move to another group of their department)."""
    today = plan.today
    first_of_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    for a in plan.agents:
        if a.resigned_on or a.first_group is not None or a.pk is None:
            continue
        group = Unit.objects.get(pk=a.group.unit.pk)
        other = (
            Unit.objects.filter(parent_id=group.parent_id, kind=UnitKind.GROUP, closed_on=None)
            .exclude(pk=group.pk)
            .order_by("path")
            .first()
        )
        if other is None or Agent.objects.get(pk=a.pk).user_id is not None:
            continue
        AgentTransfer.objects.create(
            agent_id=a.pk,
            from_group=group,
            to_group=other,
            effective_date=first_of_next,
            reason="调整至本部另一组（已排期）",
            created_by=admin,
        )
        return


def _write_agent_history(plan: DemoPlan, rows: list[Agent], rank_ids: list[int], admin) -> None:
    """The audit trail as it would have grown: created at hire, then each 转正, promotion,
    transfer and resignation on its date (what bulk_create_with_history does, plus the later
    changes, which a single 'created' record could not show)."""
    History = Agent.history.model
    tracked = [f.attname for f in History.tracked_fields]
    created, changed = [], []
    for a, row in zip(plan.agents, rows, strict=True):
        values = {name: getattr(row, name) for name in tracked}
        state = {
            "group_id": a.initial_group.unit.pk,
            "rank_id": rank_ids[a.ranks[0][1]],
            "status": (
                AgentStatus.CANDIDATE
                if a.status == AgentStatus.CANDIDATE
                else AgentStatus.PROBATION
                if a.ranks[0][1] == PROB
                else AgentStatus.FORMAL
            ),
            "resigned_on": None,
        }
        created.append(
            History(
                **{**values, **state},
                history_type="+",
                history_user=admin,
                history_date=at(a.hire_date),
                history_change_reason=HIRED,
            )
        )
        events = [
            (
                day,
                {
                    "rank_id": rank_ids[rank],
                    **({"status": AgentStatus.FORMAL} if rank == FORMAL else {}),
                },
                reason,
            )
            for day, rank, reason in a.ranks[1:]
        ]
        if a.transfer_on:
            events.append((a.transfer_on, {"group_id": a.group.unit.pk}, a.transfer_reason))
        if a.resigned_on:
            events.append(
                (
                    a.resigned_on,
                    {"status": AgentStatus.RESIGNED, "resigned_on": a.resigned_on},
                    RESIGNED,
                )
            )
        for seq, (day, change, reason) in enumerate(sorted(events, key=lambda e: e[0])):
            state.update(change)
            changed.append(
                (
                    day,
                    a.order,
                    seq,
                    History(
                        **{**values, **state},
                        history_type="~",
                        history_user=admin,
                        history_date=at(day, 10, seq),
                        history_change_reason=reason,
                    ),
                )
            )
    History.objects.bulk_create(created, batch_size=BATCH)
    changed.sort(key=lambda item: item[:3])
    History.objects.bulk_create([item[3] for item in changed], batch_size=BATCH)
