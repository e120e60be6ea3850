"""In a real browser: the district manager fills the acceptance form (附件4) of a planned visit,
watches the total add up and sees it on the visit once saved."""

import pytest
from django.utils import timezone

from core.browser import log_in
from meetings.models import AcceptanceForm
from meetings.services import inspections as svc


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_district_manager_fills_an_acceptance_form(live_server, browser_page, world, tmp_path):
    page, base = browser_page, live_server.url
    items = [i for i in svc.checklist_ensure_default(district=world.district_a) if i.active]
    today = timezone.localdate()
    visit = svc.visit_plan(
        acting_user=world.district_manager,
        inspector=world.district_manager,
        unit=world.dept_a1,
        date=today,
    )

    log_in(page, base, "district_manager")
    page.goto(f"{base}/meetings/inspections/plan/?month={today:%Y-%m}")
    page.click(f"[data-fill='{visit.pk}']")
    page.wait_for_selector("#acceptance-form")
    for item in items:
        page.click(f"label[for='rating-{item.pk}-4']")
    # 主题质量与准备 (weight 20) rated 2 instead of 4: 80 − 8 = 72
    theme = next(i for i in items if i.weight == 20)
    page.click(f"label[for='rating-{theme.pk}-2']")
    assert page.text_content("#live-total").strip() == "72.0"
    page.fill("#issue-0", "主题准备不足，讲师照读讲稿")
    page.fill("#suggestions", "提前一天试讲")
    page.click("#fill-submit")
    page.wait_for_selector("#form-total")
    page.screenshot(path=str(tmp_path / "acceptance-form.png"), full_page=True)
    assert page.text_content("#form-total").strip().startswith("72.0")
    assert "主题准备不足" in page.text_content("#visit-issues")
    assert AcceptanceForm.objects.get(visit=visit).total == 72
