"""The five built-in document kinds (spec §9) and their default approval chains."""

from django.db import migrations

KINDS = [
    # code, name, unit kind, default period, [(role, held over), ...]
    ("district_daily_plan", "营业区日常管理计划", "district", "year", [("marketing", "branch")]),
    ("district_activity_plan", "营业区活动量管理计划", "district", "month", [("marketing", "branch")]),
    (
        "department_activity_plan",
        "营业部活动量管理计划",
        "department",
        "month",
        [("dept_manager", "department"), ("district_manager", "district")],
    ),
    ("attendance_regulation", "差勤管理规定", "district", "year", [("marketing", "branch")]),
    ("meeting_group_charter", "早会功能组章程", "district", "year", [("district_manager", "district")]),
]


def create(apps, schema_editor):
    DocumentKind = apps.get_model("plans", "DocumentKind")
    ApprovalChain = apps.get_model("approvals", "ApprovalChain")
    ApprovalLevel = apps.get_model("approvals", "ApprovalLevel")
    for code, name, unit_kind, period, levels in KINDS:
        DocumentKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit_kind": unit_kind, "default_period_type": period},
        )
        chain, created = ApprovalChain.objects.get_or_create(kind=f"document.{code}", unit=None)
        if created:
            for order, (role, over) in enumerate(levels, start=1):
                ApprovalLevel.objects.create(chain=chain, order=order, role=role, unit_kind=over)


def remove(apps, schema_editor):
    ApprovalChain = apps.get_model("approvals", "ApprovalChain")
    DocumentKind = apps.get_model("plans", "DocumentKind")
    codes = [code for code, *_rest in KINDS]
    ApprovalChain.objects.filter(kind__in=[f"document.{c}" for c in codes], unit=None).delete()
    DocumentKind.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("approvals", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, remove)]
