"""In a real browser, under the Content-Security-Policy: the rich-text editor still edits and
saves, the charts draw (with their tooltips) and the API docs load —
with no CSP violation reported by the page and no script error."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from core.browser import log_in
from plans import services
from plans.models import DocumentKind

# Reports every violation the page sees, from before its own scripts run.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " at " +
    (event.sourceFile || location.pathname) + ":" + event.lineNumber
  );
});
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_and_charts_work_under_the_policy(live_server, browser_page):
    call_command("seed_demo", agents=80, verbosity=0)
    page, base = browser_page, live_server.url
    problems = []
    page.add_init_script(COLLECT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))

    def violations():
        return page.evaluate("window.__cspViolations || []")

    def visit(url):
        response = page.goto(url)
        assert response.status == 200, url
        assert "object-src 'none'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]

    # The rich-text editor: type, make a word bold, save.
    assistant = User.objects.get(username="assistant")
    next_month = (timezone.localdate().replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    document = services.document_create(
        acting_user=assistant,
        kind=DocumentKind.objects.get(code="department_activity_plan"),
        unit=assistant.role_assignments.get().unit,
        period_start=next_month,
        title="下月活动量管理计划",
        body="<p>原文</p>",
    )
    version = document.versions.get()
    log_in(page, base, "assistant")
    visit(f"{base}/plans/versions/{version.pk}/edit/")
    editor = page.locator("#version-form .richtext-body")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type("人均日拜访3次")
    page.keyboard.press("Shift+Home")
    page.locator("#version-form .richtext [role=toolbar] button").first.click()  # bold
    problems += violations()
    with page.expect_navigation():
        page.click("#version-form button[type=submit]")
    version.refresh_from_db()
    assert "人均日拜访3次" in version.body
    assert re.search(r"<(strong|b)>", version.body), version.body
    problems += violations()

    # A chart page: the chart draws on a canvas and its tooltip opens.
    log_in(page, base, "district_manager")
    visit(f"{base}/activity/dashboard/")
    page.wait_for_selector("#activity-chart canvas")
    box = page.locator("#activity-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    problems += violations()

    # The API docs (Swagger UI, its start-up script loaded from ?script, not inline).
    visit(f"{base}/api/docs/")
    page.wait_for_selector("#swagger-ui .information-container", timeout=20_000)
    problems += violations()

    assert not problems, "\n".join(problems)

    # The collector does see a violation: an inline handler slipped into the page is blocked.
    visit(f"{base}/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\" "
        'onerror="window.__ran = true">\')'
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
