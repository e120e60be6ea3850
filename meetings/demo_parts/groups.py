"""Demo function group: the first district's morning meeting function group (营业区早会功能组),
led by the district manager, with members and their duties, training sessions and peer reviews.
(Meetings are seeded after this part, so the peer reviews name no meetings.)"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import FunctionGroup
from meetings.services import groups as services
from org.models import Unit, UnitKind

MEMBERS = [
    ("trainer", "早会流程设计、功能组成员培训"),
    ("district_admin", "营业区早会考勤统计、资料与音响准备"),
    ("coach", "主持、晨迎与激励环节"),
    ("dept_manager", "营业部早会对接、典范分享人选推荐"),
    ("assistant", "行事例汇总下发、早会档案整理"),
]

TRAININGS = [
    (56, "营业区早会执行流程（附件1）逐项讲解与时间控制"),
    (35, "早会主持技巧：开场、衔接与激励"),
    (14, "评估反馈表（附件3）的发放、回收与汇总"),
]

REVIEWS = [
    (
        42,
        "各部早会准备充分，晨会仪式规范；业绩通报偏长，主题活动互动不足。",
        "业绩通报控制在10分钟内；每周安排一次典范分享，事先沟通。",
    ),
    (
        7,
        "主讲人激励性明显提升；部分营业部考勤通报未按时进行。",
        "助理每日早会前核对考勤；下次点评重点检查二早衔接。",
    ),
]


def seed(*, seed: int, log) -> None:
    district = (
        Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True).order_by("path").first()
    )
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["district_manager", *(name for name, _d in MEMBERS)]
        )
    }
    leader = users.get("district_manager")
    if (
        district is None
        or leader is None
        or FunctionGroup.objects.filter(district=district).exists()
    ):
        return
    today = timezone.localdate()
    group = services.function_group_create(
        acting_user=leader,
        district=district,
        name="营业区早会功能组",
        purpose="由区经理自任组长，小组成员共同制定小组工作职责并明确分工；"
        "制定营业区早会行事例并下发各营业部；定期组织成员相互点评、分享，"
        "建立营业区标准早会流程及早会档案。",
        leader=leader,
    )
    members = []
    for username, duties in MEMBERS:
        if username in users:
            services.member_add(
                acting_user=leader,
                group=group,
                user=users[username],
                duties=duties,
                joined_on=today - timedelta(days=70),
            )
            members.append(users[username])
    for days_ago, content in TRAININGS:
        services.training_save(
            acting_user=leader,
            group=group,
            day=today - timedelta(days=days_ago),
            content=content,
            trainer=leader if days_ago != 35 else users.get("trainer", leader),
            attendees=members,
        )
    for days_ago, conclusions, actions in REVIEWS:
        services.peer_review_save(
            acting_user=leader,
            group=group,
            day=today - timedelta(days=days_ago),
            conclusions=conclusions,
            follow_up_actions=actions,
            participants=[leader, *members],
        )
    log(f"meetings: function group {group.name} with {len(members)} members")
