"""A Form as a PDF made on the server by WeasyPrint, from the same template as the print page.

The CSS (static/css/print/paperform.css and paperform_pdf.css) names the CJK font family
("Noto Sans CJK SC", Debian's fonts-noto-cjk), repeats table headers on every page, numbers the
pages "第 N 页 / 共 M 页" and prints the unit, the period and the print time in the margins.
WeasyPrint fetches only the project's static files: StaticOnlyFetcher refuses every other URL
(network, file: paths, data:), so nothing in a form's text can make the server read a file or
call out.
"""

from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

# The document's base URL: {% static %} paths resolve under it, and the fetcher serves only it.
BASE_URL = "https://paperforms.invalid/"
STATIC_PREFIX = "/static/"


class FetchRefused(Exception):
    """WeasyPrint asked for a URL outside the project's static files."""


def static_file(url: str):
    """The path of the static file that `url` names, or FetchRefused."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise FetchRefused(url)
    path = unquote(parts.path)
    if not path.startswith(STATIC_PREFIX) or ".." in path.split("/"):
        raise FetchRefused(url)
    try:
        found = finders.find(path.removeprefix(STATIC_PREFIX))
    except SuspiciousFileOperation as error:
        raise FetchRefused(url) from error
    if not found:
        raise FetchRefused(url)
    return found


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file(url)
            with open(path, "rb") as handle:
                body = handle.read()
            mime = "text/css" if path.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    return StaticOnlyFetcher


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported when a PDF is made: pango loads at import

    fetcher = _fetcher_class()(allowed_protocols=["https"], allow_redirects=False)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_to_string("core/paperforms/pdf.html", context))
