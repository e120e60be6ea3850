"""A symmetric test world for the scope matrix and the link crawl (no tests here).

Two branches: branch 1 has districts A and B, branch 2 has district C. Every district has two
departments of two groups each, two agents per group (the first one with a login), a district
manager, a manager per department and a supervisor per group, and at least one record of every
business model in every group, department and district. The twelve role users of the matrix hold
their roles in district A (department A1, group A1-1); the `agent` login is the first agent of
group A1-1.

Every text a district's records carry includes the district's marker (`marker("B")` = "ZQBQ"),
so a page or an export that leaks a row of another district can be found by searching its text.
"""

import importlib
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from conftest import make_agent, make_user
from org.models import Rank, Unit, UnitKind

# The twelve roles of the matrix: name → (role held, over which unit of district A).
ROLES = {
    "system_admin": (Role.SYSTEM_ADMIN, "branch"),
    "marketing": (Role.MARKETING, "branch"),
    "finance": (Role.FINANCE, "branch"),
    "customer_service": (Role.CUSTOMER_SERVICE, "branch"),
    "district_manager": (Role.DISTRICT_MANAGER, "district"),
    "trainer": (Role.TRAINER, "district"),
    "district_admin": (Role.DISTRICT_ADMIN, "district"),
    "coach": (Role.COACH, "district"),
    "dept_manager": (Role.DEPT_MANAGER, "department"),
    "assistant": (Role.ASSISTANT, "department"),
    "supervisor": (Role.SUPERVISOR, "group"),
    "agent": (None, None),
}
BRANCH_ROLES = {"system_admin", "marketing", "finance", "customer_service"}
MODEL_KEYS = "district department group agent"


def marker(code: str) -> str:
    return f"ZQ{code}Q"


class District(SimpleNamespace):
    """One district's units, people and records (`records[label]` → list of rows)."""

    def add(self, obj):
        self.records.setdefault(obj._meta.label, []).append(obj)
        return obj

    def first(self, label):
        return self.records[label][0]


def _ensure_reference_data():
    """Rows the data migrations create; a transactional test elsewhere may have flushed them."""
    from activity.models import ToolKind
    from plans.models import DocumentKind

    if not DocumentKind.objects.exists():
        importlib.import_module("plans.migrations.0002_builtin_kinds").create(apps, None)
    if not ToolKind.objects.exists():
        importlib.import_module(
            "activity.migrations.0002_weekly_check_tools_handover"
        ).add_default_tool_kinds(apps, None)


def build_world():
    _ensure_reference_data()
    w = SimpleNamespace(districts={}, users={}, today=timezone.localdate())
    w.branch = Unit.objects.create(kind=UnitKind.BRANCH, name="矩阵分公司", code="XBR1")
    w.branch2 = Unit.objects.create(
        kind=UnitKind.BRANCH, name=f"他省分公司{marker('C')}", code="XBR2"
    )
    w.admin = make_user("m_admin", Role.SYSTEM_ADMIN, w.branch, is_superuser=True, is_staff=True)
    ranks = {}
    for branch in (w.branch, w.branch2):
        ranks[branch.pk] = Rank.objects.create(
            branch=branch, code=f"F{branch.code}", name="正式业务员", level=2
        )
    for code, branch in (("A", w.branch), ("B", w.branch), ("C", w.branch2)):
        w.districts[code] = _build_units(code, branch, ranks[branch.pk])
    a = w.districts["A"]
    units = {
        "branch": w.branch,
        "district": a.unit,
        "department": a.departments[0],
        "group": a.groups[0],
    }
    for name, (role, over) in ROLES.items():
        if name == "system_admin":
            w.users[name] = w.admin
        elif name == "agent":
            w.users[name] = a.agents[0].user
        else:
            w.users[name] = make_user(f"m_{name}", role, units[over], full_name=f"{name}")
    for district in w.districts.values():
        _build_records(w, district)
    return w


def _build_units(code, branch, rank):
    m = marker(code)
    d = District(
        code=code, branch=branch, records={"org.Rank": [rank]}, departments=[], groups=[], agents=[]
    )
    d.unit = Unit.objects.create(
        kind=UnitKind.DISTRICT, name=f"{code}营业区{m}", code=f"M{code}", parent=branch
    )
    d.manager = make_user(f"dm_{code}", Role.DISTRICT_MANAGER, d.unit, full_name=f"区经理{m}")
    d.dept_managers, d.supervisors = [], []
    for i in (1, 2):
        dept = Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"{code}{i}部{m}", code=f"M{code}{i}", parent=d.unit
        )
        d.departments.append(dept)
        d.dept_managers.append(
            make_user(f"bm_{code}{i}", Role.DEPT_MANAGER, dept, full_name=f"部经理{m}{i}")
        )
        for j in (1, 2):
            group = Unit.objects.create(
                kind=UnitKind.GROUP, name=f"{code}{i}-{j}组{m}", code=f"M{code}{i}{j}", parent=dept
            )
            d.groups.append(group)
            d.supervisors.append(
                make_user(f"su_{code}{i}{j}", Role.SUPERVISOR, group, full_name=f"主任{m}{i}{j}")
            )
            for k in (1, 2):
                user = None
                if k == 1:
                    username = "m_agent" if (code, i, j) == ("A", 1, 1) else f"ag_{code}{i}{j}"
                    user = make_user(username, full_name=f"业务员{m}{i}{j}")
                d.agents.append(
                    make_agent(
                        group,
                        rank,
                        name=f"业务员{m}{i}{j}{k}",
                        user=user,
                        hire_date=date(2024, 3, 1),
                    )
                )
    d.agents_by_group = {g.pk: [a for a in d.agents if a.group_id == g.pk] for g in d.groups}
    return d


def _month_start(day):
    return day.replace(day=1)


def _build_records(w, d):  # noqa: PLR0915 - one row of every kind, in order
    from activity.models import (
        CardHandover,
        LogState,
        ProspectCard,
        RecruitCard,
        Scorecard,
        ToolKind,
        ToolMovement,
        WeeklyCheck,
        WorkLog,
    )
    from approvals.models import ApprovalRequest
    from attendance.models import (
        AttendanceRecord,
        AttendanceRules,
        FundEntry,
        ImprovementMeasure,
        Publication,
    )
    from attendance.services import checks as check_services
    from attendance.services import deductions as deduction_services
    from attendance.services import fund as fund_services
    from attendance.services import leave as leave_services
    from meetings.models import (
        AcceptanceForm,
        Calendar,
        CalendarEntry,
        CalendarSettings,
        ChecklistItem,
        Feedback,
        FunctionGroup,
        FunctionGroupMember,
        Issue,
        Meeting,
        MeetingLevel,
        MeetingMaterial,
        PeerReview,
        TrainingMaterial,
        TrainingSession,
        Visit,
    )
    from meetings.services import inspections, templates
    from notifications.models import Notification
    from plans import services as plans_services
    from plans.models import DocumentKind
    from workcalendar.models import CalendarDay

    m = marker(d.code)
    admin = w.admin
    today = w.today
    month = _month_start(today)
    last_month = _month_start(month - timedelta(days=1))
    monday = today - timedelta(days=today.weekday())

    d.add(
        CalendarDay.objects.create(
            district=d.unit, date=date(2026, 10, 1), is_workday=False, note=f"国庆{m}"
        )
    )
    d.add(Scorecard.objects.create(district=d.unit))
    d.add(CalendarSettings.objects.create(district=d.unit))
    d.add(AttendanceRules.objects.create(district=d.unit, effective_from=date(2024, 1, 1)))
    inspections.checklist_ensure_default(district=d.unit)
    d.records["meetings.ChecklistItem"] = list(ChecklistItem.objects.filter(district=d.unit))

    # Per agent: attendance, a work log, cards, a leave request.
    for agent in d.agents:
        d.add(
            AttendanceRecord.objects.create(
                agent=agent,
                date=last_month + timedelta(days=2),
                status="absent",
                source="roll_call",
            )
        )
        d.add(
            WorkLog.objects.create(
                agent=agent,
                date=today,
                state=LogState.SUBMITTED,
                new_prospects=2,
                meeting_notes=f"日志{m}",
            )
        )
        d.add(ProspectCard.objects.create(agent=agent, name=f"准主顾{m}"))
        d.add(RecruitCard.objects.create(agent=agent, name=f"增员{m}"))
        d.add(
            leave_services.leave_request_create(
                acting_user=admin,
                agent=agent,
                start_date=today + timedelta(days=30),
                end_date=today + timedelta(days=30),
                reason=f"事假{m}",
            )
        )
    first, second = d.agents[0], d.agents[1]
    d.add(CardHandover.objects.create(from_agent=first, to_agent=second, handed_over_by=admin))

    # Per department.
    kinds = {k.code: k for k in DocumentKind.objects.all()}
    for i, dept in enumerate(d.departments):
        d.add(
            check_services.check_record_create(
                acting_user=admin,
                department=dept,
                check_date=today - timedelta(days=1),
                period_start=last_month,
                period_end=last_month + timedelta(days=27),
                handling_measures=f"整改{m}",
            )
        )
        d.add(
            ImprovementMeasure.objects.create(
                district=d.unit,
                department=dept,
                month=last_month,
                measure=f"举措{m}",
                owner=d.dept_managers[i],
                created_by=admin,
            )
        )
        d.add(WeeklyCheck.objects.create(department=dept, week_start=monday))
        document = plans_services.document_create(
            acting_user=d.dept_managers[i],
            kind=kinds["department_activity_plan"],
            unit=dept,
            period_start=month,
            title=f"活动计划{m}{i}",
            body=f"<p>{m}</p>",
        )
        d.add(document)
        version = document.versions.get()
        d.add(version)
        d.add(
            plans_services.attachment_add(
                acting_user=d.dept_managers[i],
                version=version,
                file=ContentFile(b"%PDF-1.4 test", name=f"plan{m}.pdf"),
            )
        )
        plans_services.version_submit(acting_user=d.dept_managers[i], version=version)
    # District documents.
    document = plans_services.document_create(
        acting_user=d.manager,
        kind=kinds["district_daily_plan"],
        unit=d.unit,
        period_start=date(today.year, 1, 1),
        title=f"日常管理方案{m}",
        body=f"<p>{m}</p>",
    )
    d.add(document)
    d.add(document.versions.get())

    # Deductions, fund, publication.
    deduction_services.deduction_run(acting_user=admin, district=d.unit, month=last_month)
    from attendance.models import DeductionLine, DeductionMonth

    d.records["attendance.DeductionMonth"] = list(DeductionMonth.objects.filter(district=d.unit))
    d.records["attendance.DeductionLine"] = list(
        DeductionLine.objects.filter(deduction_month__district=d.unit)
    )
    d.add(
        FundEntry.objects.create(
            district=d.unit,
            date=today,
            kind="credit",
            amount=Decimal("100"),
            purpose=f"入账{m}",
            created_by=admin,
            deduction_month=d.first("attendance.DeductionMonth"),
        )
    )
    d.add(
        fund_services.fund_usage_submit(
            acting_user=admin,
            district=d.unit,
            department=d.departments[0],
            day=today,
            amount=Decimal("10"),
            purpose=f"奖励{m}",
            override=True,
            override_reason=f"测试{m}",
        )
    )
    d.add(
        Publication.objects.create(
            district=d.unit,
            unit=d.departments[0],
            month=last_month,
            published_at=timezone.now(),
            published_by=admin,
        )
    )

    # Activity tools.
    d.add(
        ToolMovement.objects.create(
            district=d.unit,
            kind=ToolKind.objects.first(),
            direction="in",
            quantity=5,
            date=today,
            recorded_by=admin,
            note=f"入库{m}",
        )
    )

    # Meetings: templates, calendars, records, feedback, function groups, inspections.
    template = templates.default_flow_template(district=d.unit, acting_user=admin)
    d.add(template)
    d.add(template.versions.get())
    levels = [(d.unit, MeetingLevel.DISTRICT, d.manager)]
    levels += [
        (dept, MeetingLevel.DEPARTMENT, d.dept_managers[i]) for i, dept in enumerate(d.departments)
    ]
    levels += [(group, MeetingLevel.GROUP, d.supervisors[i]) for i, group in enumerate(d.groups)]
    for unit, level, person in levels:
        calendar = d.add(
            Calendar.objects.create(unit=unit, level=level, month=month, created_by=person)
        )
        entry = d.add(
            CalendarEntry.objects.create(
                calendar=calendar,
                date=today,
                topic=f"主题{m}",
                host=person,
            )
        )
        meeting = d.add(
            Meeting.objects.create(
                unit=unit,
                level=level,
                date=today - timedelta(days=1),
                topic=f"早会{m}",
                host=person,
                recorded_by=person,
            )
        )
        d.add(
            MeetingMaterial.objects.create(
                meeting=meeting,
                file=ContentFile(b"%PDF-1.4", name=f"m{m}.pdf"),
                original_name=f"m{m}.pdf",
                size=8,
                uploaded_by=person,
            )
        )
        if level == MeetingLevel.DEPARTMENT:
            d.add(
                Visit.objects.create(
                    unit=unit,
                    department=unit,
                    district=d.unit,
                    date=today,
                    inspector=d.manager,
                    planned_by=d.manager,
                    calendar_entry=entry,
                    note=f"督导{m}",
                )
            )
    for agent in d.agents:
        if agent.user_id:
            meeting = next(
                x for x in d.records["meetings.Meeting"] if x.unit_id == agent.group.parent_id
            )
            d.add(
                Feedback.objects.create(
                    meeting=meeting, respondent=agent.user, suggestions=f"建议{m}"
                )
            )
    visit = d.first("meetings.Visit")
    form = d.add(
        AcceptanceForm.objects.create(
            visit=visit,
            total=Decimal("80"),
            filled_by=d.manager,
            highlights=f"亮点{m}",
        )
    )
    d.add(Issue.objects.create(form=form, unit=visit.unit, description=f"问题{m}"))
    group = d.add(
        FunctionGroup.objects.create(
            district=d.unit,
            name=f"功能组{m}",
            leader=d.manager,
        )
    )
    d.add(
        FunctionGroupMember.objects.create(
            function_group=group,
            user=d.dept_managers[0],
            joined_on=today - timedelta(days=10),
        )
    )
    training = d.add(
        TrainingSession.objects.create(
            function_group=group,
            date=today,
            content=f"培训{m}",
            trainer=d.manager,
            recorded_by=d.manager,
        )
    )
    d.add(
        TrainingMaterial.objects.create(
            training=training,
            file=ContentFile(b"%PDF-1.4", name=f"t{m}.pdf"),
            original_name=f"t{m}.pdf",
            size=8,
            uploaded_by=d.manager,
        )
    )
    d.add(
        PeerReview.objects.create(
            function_group=group,
            date=today,
            conclusions=f"点评{m}",
            recorded_by=d.manager,
        )
    )

    # Notifications of the district's manager; approvals of the district.
    d.add(Notification.objects.create(recipient=d.manager, kind="deadline", title=f"提醒{m}"))
    d.records["approvals.ApprovalRequest"] = list(
        ApprovalRequest.objects.filter(unit__path__startswith=d.unit.path)
    )
    d.records["accounts.RoleAssignment"] = list(
        RoleAssignment.objects.filter(unit__path__startswith=d.unit.path)
    )
    d.records["accounts.User"] = [d.manager]

    # A transfer and a rank change of the district's first agent, scheduled for next month.
    from org.models import Rank
    from org.services import agents as org_services

    later = today + timedelta(days=40)
    d.add(
        org_services.agent_transfer(
            acting_user=w.admin, agent=d.agents[0], to_group=d.groups[1], effective_date=later
        )
    )
    senior = Rank.objects.create(
        branch=d.unit.parent, code=f"S{d.unit.code}", name=f"主任{d.code}", level=3
    )
    d.add(
        org_services.agent_change_rank(
            acting_user=w.admin, agent=d.agents[0], to_rank=senior, effective_date=later
        )
    )
    d.records["org.Unit"] = [d.unit, *d.departments, *d.groups]
    d.records["org.Agent"] = list(d.agents)
