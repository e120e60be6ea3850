"""End-to-end check in a real browser: log in, filter the agent list, open an agent, screenshot.

Uses Debian's Chromium (/usr/bin/chromium) driven by Playwright's Python API; Playwright's own
browser download is never used. Skipped when Chromium is missing, unless REQUIRE_BROWSER=1
(set by .ci/run), in which case a missing browser is a failure.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from core.browser import sync_api
from org import demo

PlaywrightTimeout = sync_api.TimeoutError if sync_api else TimeoutError

# seed_demo refuses fewer agents than its minimum (a realistic district needs a few groups).
DEMO_AGENTS = max(60, getattr(demo, "MIN_AGENTS", 60))
DEMO_USER = "supervisor"
DEMO_PASSWORD = "demo-pass-2026"

# A masked national ID: region prefix, at least six stars, last four (see core/masking.py).
MASKED_ID = re.compile(r"\d{3}\*{6,}[0-9Xx]{4}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_login_filter_agents_and_open_detail(live_server, browser_page, tmp_path):
    call_command("seed_demo", agents=DEMO_AGENTS, verbosity=0)
    page = browser_page
    base = live_server.url

    # Log in.
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", DEMO_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert "/accounts/login/" not in page.url, f"login failed, still on {page.url}"

    # Agent list, filtered to formal agents through the filter form.
    page.goto(f"{base}/org/agents/")
    page.select_option("form#agent-filter select[name=status]", "formal")
    try:
        # The form may submit itself when a select changes (data-autosubmit in app.js).
        page.wait_for_url(re.compile(r"status=formal"), timeout=3_000)
    except PlaywrightTimeout:
        pass
    with page.expect_navigation():
        page.locator("form#agent-filter [type=submit]").first.click()
    assert "status=formal" in page.url, f"filter not applied: {page.url}"
    # Rows with a link: the table's "no agents match" row has none.
    rows = page.locator("table#agent-table tbody tr:has(a)")
    assert rows.count() > 0, "agent table has no agents after filtering by status=formal"

    # Open the first agent.
    with page.expect_navigation():
        page.locator("table#agent-table tbody a").first.click()
    assert re.search(r"/org/agents/\d+/", page.url), f"not an agent page: {page.url}"
    text = page.locator("body").inner_text()
    assert "业务员" in text or "入司日期" in text, "no Chinese labels on the agent page"
    assert "*" in text and MASKED_ID.search(text), "national ID is not shown masked"

    desktop = tmp_path / "agent.png"
    page.screenshot(path=str(desktop), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    mobile = tmp_path / "agent-mobile.png"
    page.screenshot(path=str(mobile), full_page=True)
    for shot in (desktop, mobile):
        assert shot.exists() and shot.stat().st_size > 0, f"empty screenshot {shot}"
    if os.environ.get("BROWSER_SCREENSHOT_DIR"):
        # Handy for looking at the pages by hand: keep copies outside pytest's tmp_path.
        keep = Path(os.environ["BROWSER_SCREENSHOT_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        for shot in (desktop, mobile):
            (keep / shot.name).write_bytes(shot.read_bytes())
