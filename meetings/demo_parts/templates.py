"""Demo execution flow templates: the default (附件1) of every demo district, and the first
department's adapted copy for its department morning meetings, in two published versions."""

from django.contrib.auth import get_user_model

from accounts.models import Role, RoleAssignment
from meetings.models import FlowTemplate, MeetingLevel
from meetings.services import templates as services
from org.models import Unit, UnitKind


def _department_content(base: list[dict], *, second: bool) -> list[dict]:
    content = [dict(section, items=[dict(item) for item in section["items"]]) for section in base]
    performance = content[3]["items"]
    performance[0]["title"] = "业绩点评（本部各组）"
    training = {
        "title": "专题训练",
        "items": [
            {"title": "话术演练", "required": True, "planned_minutes": 15},
            {"title": "产品知识", "required": False, "planned_minutes": 10},
        ],
    }
    content.insert(4, training)
    if second:
        training["items"].append(
            {"title": "拜访案例研讨", "required": False, "planned_minutes": 10}
        )
        content[0]["items"][0]["planned_minutes"] = 5
        content[-1]["items"].insert(
            5, {"title": "二早工作安排", "required": True, "planned_minutes": 3}
        )
    return content


def seed(*, seed: int, log) -> None:
    users = get_user_model().objects
    admin = users.filter(is_superuser=True).order_by("pk").first() or users.order_by("pk").first()
    if admin is None:
        return
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT, closed_on__isnull=True).order_by("path")
    for district in districts:
        manager = (
            RoleAssignment.objects.current()
            .filter(unit=district, role=Role.DISTRICT_MANAGER)
            .select_related("user")
            .first()
        )
        services.default_flow_template(
            district=district, acting_user=manager.user if manager else admin
        )
    assignment = (
        RoleAssignment.objects.current()
        .filter(role=Role.DEPT_MANAGER, unit__kind=UnitKind.DEPARTMENT)
        .select_related("user", "unit")
        .order_by("unit__path")
        .first()
    )
    if assignment is None or FlowTemplate.objects.filter(unit=assignment.unit).exists():
        return
    department, manager = assignment.unit, assignment.user
    default = FlowTemplate.objects.get(unit_id=department.district_id, is_default=True)
    source = default.versions.get(number=1)
    copy = services.template_copy(
        acting_user=manager,
        source=source,
        unit=department,
        name=f"{department.name}早会流程",
        level=MeetingLevel.DEPARTMENT,
    )
    base = services.version_content(source)
    v1 = copy.versions.get()
    services.version_update_content(
        acting_user=manager,
        version=v1,
        sections=_department_content(base, second=False),
        note="按营业部早会调整：增加专题训练",
    )
    services.version_publish(acting_user=manager, version=v1)
    v2 = services.version_create_draft(
        acting_user=manager, template=copy, note="增加拜访案例研讨和二早工作安排"
    )
    services.version_update_content(
        acting_user=manager, version=v2, sections=_department_content(base, second=True)
    )
    services.version_publish(acting_user=manager, version=v2)
    log(f"meetings: {districts.count()} default templates, {copy.name} v1–v2")
