"""What makes the forms' PDF fast (core.paperforms.pdf): the render runs with the cyclic garbage
collector paused (and resumed after, also when several renders overlap in threads), and the
WeasyPrint font configuration is reused from one PDF to the next without two threads sharing
one. The timings themselves are in bench/bench_forms.py."""

import gc
import threading

import pytest
from django.utils import translation

from core.paperforms import Column, Form, Table
from core.paperforms import pdf as pdfmod
from core.paperforms.pdf import FontConfigPool, gc_paused, render_pdf
from core.paperforms.views import document_context
from core.tests.paperform_checks import assert_cjk_font_embedded, pdf_page_count, pdf_text


def form(rows: int = 60) -> Form:
    columns = [Column("姓名", "text", 10), Column("拜访量", "int", 6)]
    return Form(
        number=5,
        name="业务员工作日志检查表",
        unit="东一部",
        period="2026年3月",
        tables=[Table(columns, [[f"业务员{n}", n] for n in range(1, rows + 1)])],
    )


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_resumed_after(collector_on):
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_resumes_after_an_error(collector_on):
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads_resume_when_the_last_ends(collector_on):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with gc_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with gc_paused():
            second_in.set()
            first_out.wait(5)
            seen["after first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after first ended": False}
    assert gc.isenabled()


def test_the_pdf_is_made_with_the_collector_paused(collector_on, monkeypatch):
    from weasyprint import HTML

    write_pdf = HTML.write_pdf
    seen = []

    def spy(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", spy)
    assert render_pdf(document_context([form(rows=3)])).startswith(b"%PDF-")
    assert seen == [False]
    assert gc.isenabled()


def test_the_font_configuration_is_reused_and_never_shared_at_once():
    pool = FontConfigPool(keep=1)
    with pool.take() as first:
        with pool.take() as second:  # taken while the first is in use: another one
            assert second is not first
    with pool.take() as again:  # the pool keeps one
        assert again is first or again is second
    with pool.take() as third:
        assert third is again


def test_pdfs_made_one_after_the_other_with_a_reused_font_configuration_are_alike(monkeypatch):
    monkeypatch.setattr(pdfmod, "font_configs", FontConfigPool(keep=1))
    first = render_pdf(document_context([form()]))
    with pdfmod.font_configs.take() as config:
        pass
    second = render_pdf(document_context([form()]))
    with pdfmod.font_configs.take() as again:
        assert again is config  # the second PDF used the first one's configuration
    for content in (first, second):
        assert pdf_page_count(content) == 2
        text = pdf_text(content)
        assert "业务员工作日志检查表" in text and "业务员60" in text and "第 2 页 / 共 2 页" in text
        assert_cjk_font_embedded(content)
    assert pdf_text(first).replace(" ", "")[:200] == pdf_text(second).replace(" ", "")[:200]


def test_pdfs_made_at_the_same_time_in_threads_are_whole(collector_on):
    results, errors = {}, []

    def make(n):
        try:
            results[n] = render_pdf(document_context([form(rows=20 + n)]))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=make, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for n, content in results.items():
        assert f"业务员{20 + n}" in pdf_text(content)
        assert_cjk_font_embedded(content)
    assert len(results) == 3 and gc.isenabled()
