"""No visible link leads to a page the user cannot open (issue 11 §1).

For each of the twelve roles: the home page's links (navigation and menus included), then the
links on each of those pages, one level deeper (a redirect is followed, as a browser would).
None may answer 403, 404 or a server error.
"""

import re
from urllib.parse import urldefrag, urlsplit

import pytest

from core.tests.scope_world import ROLES

HREF = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"", re.IGNORECASE)
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/admin/")


def internal_links(html: str) -> set[str]:
    links = set()
    for raw in HREF.findall(html):
        href = urldefrag(raw.replace("&amp;", "&"))[0]
        if not href or href.startswith(("javascript:", "mailto:", "tel:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue  # another site (or a relative link, which the pages do not use)
        if href.startswith(SKIP_PREFIXES):
            continue
        links.add(href)
    return links


def _html(response) -> str:
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        return response.content.decode("utf-8", "replace")
    return ""


@pytest.mark.parametrize("role", list(ROLES))
def test_no_link_leads_to_a_refusal(sw, client_for, role):
    client = client_for(role)
    home = client.get("/")
    assert home.status_code == 200
    first = internal_links(_html(home))
    assert first, "the home page has no links"
    seen, broken, second = {"/"}, [], set()
    for link in sorted(first):
        seen.add(link)
        response = client.get(link, follow=True)
        if response.status_code in (403, 404) or response.status_code >= 500:
            broken.append(f"/ → {link}: {response.status_code}")
            continue
        second |= {(link, target) for target in internal_links(_html(response))}
    for source, link in sorted(second):
        if link in seen:
            continue
        seen.add(link)
        response = client.get(link, follow=True)
        if response.status_code in (403, 404) or response.status_code >= 500:
            broken.append(f"{source} → {link}: {response.status_code}")
    assert not broken, f"{role} is shown links it cannot open:\n" + "\n".join(broken)
