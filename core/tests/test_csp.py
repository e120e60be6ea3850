"""Content-Security-Policy and Permissions-Policy on every page (issue 20, web hygiene).

Every page a user can reach (the pages the link-crawl test visits, for a few roles) carries both
headers, and its HTML has nothing the policy would block: no inline <script> (JSON data blocks
are not scripts), no on*= handler, no javascript: link, no <style> element.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.tests.test_link_crawl import _html, internal_links

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
CRAWL_ROLES = ("district_admin", "district_manager", "dept_manager", "agent")


class _InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline handler")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not names.get("src") and not names.get("nonce"):
            if (names.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.problems.append("inline <script> without a nonce")
        if tag == "style" and not names.get("nonce"):
            self.problems.append("<style> element")


def inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


def policy(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            directives[name] = value
    return directives


def check_page(url: str, response) -> list[str]:
    found = []
    directives = policy(response)
    for name, value in REQUIRED_DIRECTIVES.items():
        if directives.get(name) != value:
            found.append(f"{url}: CSP {name} is {directives.get(name)!r}, not {value}")
    for name in ("script-src", "default-src", "style-src"):
        for word in ("'unsafe-inline'", "'unsafe-eval'", "http:", "https:", "*"):
            if word in directives.get(name, "").split():
                found.append(f"{url}: CSP {name} allows {word}")
    features = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        if feature not in features:
            found.append(f"{url}: Permissions-Policy lacks {feature}")
    found += [f"{url}: {problem}" for problem in inline_problems(_html(response))]
    return found


def test_the_finder_sees_what_the_policy_blocks():
    bad = (
        '<script>alert(1)</script><button onclick="x()">x</button><style>p{}</style>'
        '<a href="javascript:x()">x</a>'
    )
    assert len(inline_problems(bad)) == 4
    good = (
        '<script src="/static/js/app.js"></script>'
        '<script id="d" type="application/json">{"a": 1}</script><p style="width: 1rem">x</p>'
    )
    assert inline_problems(good) == []


@pytest.mark.parametrize("role", CRAWL_ROLES)
def test_every_page_has_the_policies_and_no_inline_script(sw, client_for, role):
    client = client_for(role)
    home = client.get("/")
    problems = check_page("/", home)
    seen, frontier = {"/"}, internal_links(_html(home))
    for _depth in range(2):
        following = set()
        for link in sorted(frontier - seen):
            seen.add(link)
            response = client.get(link, follow=True)
            if response.status_code != 200:
                continue
            problems += check_page(link, response)
            following |= internal_links(_html(response))
        frontier = following
    assert len(seen) > 10, f"{role} crawled too few pages: {sorted(seen)}"
    assert not problems, "\n".join(problems)


def test_editor_chart_and_login_pages(sw, client_for, client):
    from plans.models import DocumentVersion, VersionState

    drafts = DocumentVersion.objects.filter(
        state=VersionState.DRAFT, document__unit=sw.districts["A"].unit
    )
    manager = client_for("district_manager")
    pages = {
        "/": manager,
        reverse("plans:version_edit", args=[drafts.first().pk]): manager,
        reverse("activity:dashboard"): client_for("district_admin"),
        reverse("accounts:login"): client,
        reverse("api-docs"): manager,
    }
    problems = []
    for url, user_client in pages.items():
        response = user_client.get(url)
        assert response.status_code == 200, url
        problems += check_page(url, response)
    assert not problems, "\n".join(problems)
    editor = manager.get(reverse("plans:version_edit", args=[drafts.first().pk]))
    assert b"data-richtext" in editor.content


def test_permissions_policy_on_api_and_errors_too(sw, client_for, client):
    for response in (
        client_for("agent").get("/api/v1/"),
        client.get("/no-such-page/"),
        client.get("/api/v1/agents/"),
    ):
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
