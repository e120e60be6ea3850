"""Demo plans and regulations for `seed_demo`: published documents with their approval trail, a
department plan waiting for approval, and a few unread notifications for every demo login.

Everything goes through the real services, so the trails and notifications are what users would
have produced; only the timestamps are moved back to make the history plausible.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from approvals.models import ApprovalAction
from core.demo import register
from notifications.models import NotificationKind
from notifications.services import notify
from org.demo import BRANCH_CODE
from org.models import Unit, UnitKind
from plans import services
from plans.models import DocumentKind, DocumentVersion

DISTRICT_PLAN_BODY = """
<h3>一、目标</h3><p>本年度营业区人力增长15%，活动率保持在80%以上，出勤率不低于90%。</p>
<h3>二、日常管理重点</h3><ul><li>早会经营：营业区早会每月不少于4次，营业部早会每工作日举行。</li>
<li>活动量管理：百分卡每周计划100分，主管二早审批工作日志。</li>
<li>差勤管理：按《差勤管理规定》执行，每月公布扣款使用明细。</li></ul>
<h3>三、追踪与评估</h3><p>组训每周向区经理提交追踪评估报告，区月度KPI例会通报。</p>
"""
ACTIVITY_PLAN_BODY = """
<p>本月活动量目标：人均日拜访3次，日志填写率95%，百分卡达标率60%。</p>
<ul><li>每周一发放活动量工具；</li><li>每周五检查准主顾卡填写状况（30/60/100）。</li></ul>
"""
REGULATION_BODY = """
<h3>差勤管理规定</h3>
<p>1. 早会8:30开始，8:30前签到为出勤，8:30至9:30签到为迟到，9:30后不得签到。</p>
<p>2. 请假须提前报备并经主管批准；未报备请假按未报备请假处理。</p>
<p>3. 扣款标准：迟到每次5元；未报备请假每天10元；旷工每天20元；每月报备请假2天以内不扣款，
超过部分每天5元。扣款纳入扣款基金，每月公布使用明细。</p>
"""
DEPARTMENT_PLAN_BODY = """
<p>本部本月活动量计划：新增准主顾每人10名，增员面谈每组不少于5次。</p>
<ul><li>周一、周三夕会检查日志；</li><li>主管每周陪同拜访不少于2次。</li></ul>
"""


@register(order=50)
def seed(*, seed: int, log) -> None:
    branch = Unit.objects.get(code=BRANCH_CODE)
    district = (
        Unit.objects.filter(kind=UnitKind.DISTRICT, path__startswith=branch.path)
        .order_by("path")
        .first()
    )
    departments = list(district.children.filter(kind=UnitKind.DEPARTMENT).order_by("path"))
    users = {u.username: u for u in User.objects.all()}
    kinds = {k.code: k for k in DocumentKind.objects.all()}
    today = timezone.localdate()
    now = timezone.now()

    def published(
        kind_code, unit, period_start, title, body, author, approvers, days_ago, effective_date=None
    ):
        document = services.document_create(
            acting_user=users[author],
            kind=kinds[kind_code],
            unit=unit,
            period_start=period_start,
            title=title,
            body=body,
            effective_date=effective_date,
        )
        version = document.versions.get()
        services.version_submit(acting_user=users[author], version=version, comment="请审批")
        for step, approver in enumerate(approvers, 1):
            services.version_approve(
                acting_user=users[approver], version=version, expected_step=step, comment="同意"
            )
        version.refresh_from_db()
        services.version_publish(acting_user=users[author], version=version)
        version.refresh_from_db()
        _backdate(version, now - timedelta(days=days_ago))
        return version

    regulation = published(
        "attendance_regulation",
        district,
        today.replace(month=1, day=1),
        "西湖营业区差勤管理规定",
        REGULATION_BODY,
        "district_admin",
        ["marketing"],
        120,
        effective_date=(today - timedelta(days=120)).replace(day=1),
    )
    yearly = published(
        "district_daily_plan",
        district,
        today.replace(month=1, day=1),
        f"{today.year}年营业区日常管理计划",
        DISTRICT_PLAN_BODY,
        "district_manager",
        ["marketing"],
        60,
    )
    monthly = published(
        "district_activity_plan",
        district,
        today.replace(day=1),
        f"{today:%Y年%m月}营业区活动量管理计划",
        ACTIVITY_PLAN_BODY,
        "trainer",
        ["marketing"],
        5,
    )
    # Some departments have read the plans already; the rest show as pending.
    for version in (regulation, yearly):
        for department in departments[:4]:
            _acknowledge(version, department)
    _acknowledge(monthly, departments[0])

    # The first department's plan for this month waits for the department manager.
    waiting = services.document_create(
        acting_user=users["assistant"],
        kind=kinds["department_activity_plan"],
        unit=departments[0],
        period_start=today.replace(day=1),
        title=f"{departments[0].name}{today:%m}月活动量管理计划",
        body=DEPARTMENT_PLAN_BODY,
        due_date=today.replace(day=1) + timedelta(days=4),
    )
    services.version_submit(
        acting_user=users["assistant"], version=waiting.versions.get(), comment="请部经理审批"
    )

    notify(
        recipients=[u for name, u in users.items() if name in DEMO_LOGINS],
        kind=NotificationKind.PUBLISHED,
        title="欢迎使用营业区日常管理系统",
        body="待办、通知和各模块的入口都在顶部导航栏。",
        url="/",
    )
    log("plans: 3 published documents, 1 waiting for approval")


DEMO_LOGINS = {
    "admin",
    "marketing",
    "finance",
    "district_manager",
    "trainer",
    "district_admin",
    "coach",
    "dept_manager",
    "assistant",
    "supervisor",
    "agent",
    "service",
}


def _acknowledge(version: DocumentVersion, unit: Unit) -> None:
    managers = User.objects.filter(
        role_assignments__unit=unit,
        role_assignments__ended_on__isnull=True,
        role_assignments__role__in=["dept_manager", "supervisor", "district_manager"],
    )
    manager = managers.first()
    if manager is not None:
        services.version_acknowledge(acting_user=manager, version=version, unit=unit)


def _backdate(version: DocumentVersion, when) -> None:
    """Spread the trail over the days before `when` (publication), as it would have happened."""
    actions = list(
        ApprovalAction.objects.filter(
            request__object_id=version.pk, request__kind__startswith="document."
        )
    )
    for index, action in enumerate(actions):
        at = when - timedelta(days=len(actions) - 1 - index, hours=2)
        ApprovalAction.objects.filter(pk=action.pk).update(at=at)
    DocumentVersion.objects.filter(pk=version.pk).update(published_at=when)
