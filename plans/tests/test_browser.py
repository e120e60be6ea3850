"""In a real browser: a department plan goes submit → approve (two levels) → publish → 已阅,
each step by the person whose job it is, with a screenshot of each."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from core.browser import log_in
from org.models import Unit
from plans import services
from plans.models import DocumentKind, VersionState


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_department_plan_flows_to_acknowledgement(live_server, browser_page, tmp_path):
    call_command("seed_demo", agents=80, verbosity=0)
    page, base = browser_page, live_server.url
    assistant = User.objects.get(username="assistant")
    department = assistant.role_assignments.get().unit
    next_month = (timezone.localdate().replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    document = services.document_create(
        acting_user=assistant,
        kind=DocumentKind.objects.get(code="department_activity_plan"),
        unit=department,
        period_start=next_month,
        title="下月活动量管理计划",
        body="<p>人均日拜访3次。</p>",
    )
    version = document.versions.get()
    url = f"{base}/plans/versions/{version.pk}/"

    def shot(name):
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 0

    log_in(page, base, "assistant")
    page.goto(url)
    page.click("form[action$='/submit/'] button[type=submit]")
    assert "待审批" in page.content() or "已提交" in page.content()
    shot("1-submitted")

    for approver in ("dept_manager", "district_manager"):
        log_in(page, base, approver)
        page.goto(f"{base}/tasks/")
        page.click(f"#task-list a[href='/plans/versions/{version.pk}/']")
        page.fill("#approve-comment", "同意")
        page.click("form[action$='/approve/'] button[type=submit]")
        shot(f"2-approved-by-{approver}")
    version.refresh_from_db()
    assert version.state == VersionState.APPROVED

    log_in(page, base, "assistant")
    page.goto(url)
    page.click("form[action$='/publish/'] button[type=submit]")
    shot("3-published")
    version.refresh_from_db()
    assert version.state == VersionState.PUBLISHED

    log_in(page, base, "supervisor")
    page.goto(url)
    page.click("form[action$='/acknowledge/'] button[type=submit]")
    shot("4-acknowledged")
    group = Unit.objects.get(role_assignments__user__username="supervisor")
    assert version.acknowledgements.get(unit=group).user.username == "supervisor"
    text = page.content()
    assert "已阅" in text
