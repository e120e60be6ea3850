"""The forms 附件1–9 (spec §11): each described once, rendered four ways.

A form is a `Form` (core.paperforms.spec): number (N of 附件N) and name, unit and period, header
fields, tables (columns with a label, a kind — text, int, decimal, date, percent, or value for
a label/value list whose numbers stay numbers — and a width; rows), free-text sections (with
tick boxes), signature and date lines, and its orientation.
From that one description come:

1. the A4 print page (templates/core/paperforms/page.html, browser print, print CSS in
   static/css/print/paperform.css; no inline script or style block under the CSP);
2. the PDF made on the server by WeasyPrint (core.paperforms.pdf): CJK font, table headers
   repeated on each page, "第 N 页 / 共 M 页", unit, period and print time in the margins,
   landscape where declared; it fetches the project's static files and nothing else;
3. the Excel file written with XlsxWriter (core.paperforms.excel): title rows, header fields,
   frozen table header, column widths, numbers as numbers, dates as dates, money with two
   decimals, text that looks like a formula written as text (core.xlsx.text_value);
4. the blank form of each (Form.blank(): the rows to fill by hand, empty sections and lines;
   columns and fields marked `keep` stay, e.g. a checklist's items).

Adding a form
-------------
1. In the app, a module `<app>/paperforms.py` (imported at startup by core.apps) registers the
   builder, which turns records the view already fetched into a Form:

       from core.paperforms import Column, Form, Table, register

       @register(6, gettext_lazy("Agent work log check table"), key="week")
       def work_log_check(check) -> Form:
           return Form(unit=check.department.name, period=..., tables=[Table(columns=[
               Column(_("Name"), "text", 10), Column(_("Visits"), "int", 6)], rows=[...])],
               signatures=[Signature(_("Supervisor"))], filename=f"form6-{...}")

   The registry fills in the number and the name (`registered()` lists every form).
2. The page's view fetches its records through the access layer as any page does, and ends
   with `return respond(request, work_log_check(check), back=...)`.
3. Its URLs: `*paper_urls("checks/<int:pk>/print/", views.check_print, "check_print")` gives
   the page, `check_print_pdf` and `check_print_xlsx`, served by the same view (so scoped
   alike); `?blank=1` on any of them gives the blank form. The page shows the buttons
   打印 / PDF / Excel / 空白表 (templates/core/paperforms/_buttons.html) at the same place.
   A record's own page shows them too with `paper_urls=paper_links("app:check_print", pk)`
   in its context (打印 then opens the print page).
4. The API: add `PaperFormActions` (core.paperforms.api) to the model's viewset and define
   `paper_form(self, obj)`; it adds GET …/<pk>/pdf/ and …/<pk>/xlsx/ (in the OpenAPI schema)
   on the viewset's own scoped queryset.

Tests use core/tests/paperform_checks.py (PDF text, page count, embedded fonts; the workbook
read back with openpyxl).
"""

from core.paperforms.registry import PaperFormType, get, register, registered
from core.paperforms.spec import (
    LANDSCAPE,
    PORTRAIT,
    Column,
    Form,
    HeaderField,
    Section,
    Signature,
    Table,
)
from core.paperforms.views import as_format, paper_links, paper_urls, render_file, respond

__all__ = [
    "LANDSCAPE",
    "PORTRAIT",
    "Column",
    "Form",
    "HeaderField",
    "PaperFormType",
    "Section",
    "Signature",
    "Table",
    "as_format",
    "get",
    "paper_links",
    "paper_urls",
    "register",
    "registered",
    "render_file",
    "respond",
]
