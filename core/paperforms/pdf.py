"""A Form as a PDF made on the server by WeasyPrint, from the same template as the print page.

The CSS (static/css/print/paperform.css and paperform_pdf.css) names the CJK font family
("Noto Sans CJK SC", Debian's fonts-noto-cjk), repeats table headers on every page, numbers the
pages "第 N 页 / 共 M 页" and prints the unit, the period and the print time in the margins.
WeasyPrint fetches only the project's static files: StaticOnlyFetcher refuses every other URL
(network, file: paths, data:), so nothing in a form's text can make the server read a file or
call out.

Speed (bench/bench_forms.py; measured with cProfile, see bench/README.md): nearly all the time is
WeasyPrint's own per-box work (layout about 55 %, drawing 22 %, cascade 10 %, boxes 7 %); the
CJK font's subsetting is about 0.06 s a file and HTML parsing less. Two things are ours to save:
- the cyclic garbage collector: a 300-row table makes hundreds of thousands of objects that
  live until the end of the render, so Python's collector kept walking them and the whole heap
  (about a fifth of the time). The render runs with the collector paused (gc_paused) and its
  young garbage is collected once at the end, which keeps the peak memory where it was;
- the font configuration (fontconfig + a pango font map, the fonts opened and their glyphs
  measured): kept in a small pool and reused by the next PDF instead of being built anew.
"""

import gc
import threading
from contextlib import contextmanager
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


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_resume = False


@contextmanager
def gc_paused():
    """The cyclic garbage collector paused while the block runs (the reference counting that
    frees most objects goes on). Nested and concurrent uses (threads) count: the collector
    resumes when the last one ends, and only if it was running before the first; then the
    garbage made meanwhile (all in the youngest generation) is collected in one pass."""
    global _gc_pausers, _gc_resume
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_resume = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            resume = _gc_pausers == 0 and _gc_resume
            if resume:
                gc.enable()
        if resume:
            gc.collect(0)


class FontConfigPool:
    """WeasyPrint FontConfigurations (a fontconfig configuration and a pango font map, with the
    fonts it opened) reused from one PDF to the next. A pango font map must not be used by two
    threads at once: each render takes one for itself (a new one when none is free) and gives
    it back; at most `keep` wait unused."""

    def __init__(self, keep: int = 2):
        self.keep = keep
        self._free = []
        self._lock = threading.Lock()

    @contextmanager
    def take(self):
        with self._lock:
            config = self._free.pop() if self._free else None
        if config is None:
            from weasyprint.text.fonts import FontConfiguration

            config = FontConfiguration()
        try:
            yield config
        finally:
            with self._lock:
                if len(self._free) < self.keep:
                    self._free.append(config)


font_configs = FontConfigPool()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported when a PDF is made: pango loads at import

    fetcher = _fetcher_class()(allowed_protocols=["https"], allow_redirects=False)
    with font_configs.take() as font_config, gc_paused():
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(font_config=font_config)


def render_pdf(context: dict) -> bytes:
    return html_to_pdf(render_to_string("core/paperforms/pdf.html", context))
