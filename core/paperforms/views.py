"""How a page exposes its form: one view, three URLs, and ?blank=1.

    # urls.py
    *paper_urls("inspections/visits/<int:pk>/print/", views.print_form, "inspection_print"),

gives `inspection_print` (the A4 page), `inspection_print_pdf` and `inspection_print_xlsx`, all
three served by the same view, so they are scoped alike. The view fetches its records through
the access layer as for any page and ends with

    return respond(request, acceptance_form(visit), back=reverse(...))

which answers in the format of the URL; `?blank=1` on any of them gives the blank form.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core.paperforms.spec import Form
from core.xlsx import XLSX_CONTENT_TYPE

FORMATS = ("html", "pdf", "xlsx")
PDF_CONTENT_TYPE = "application/pdf"


def as_format(view, fmt: str):
    """`view` answering in `fmt` (respond() reads request.paper_format)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.paper_format = fmt
        return view(request, *args, **kwargs)

    return wrapped


def paper_urls(route: str, view, name: str) -> list:
    """The page at `route` and its PDF and Excel twins (`route`pdf/, `route`xlsx/)."""
    if not route.endswith("/"):
        raise ValueError("a form's route ends with /")
    return [
        path(route, as_format(view, "html"), name=name),
        path(f"{route}pdf/", as_format(view, "pdf"), name=f"{name}_pdf"),
        path(f"{route}xlsx/", as_format(view, "xlsx"), name=f"{name}_xlsx"),
    ]


def wants_blank(request) -> bool:
    return request.GET.get("blank") == "1"


def forms_to_render(forms, blank: bool) -> list[Form]:
    forms = forms if isinstance(forms, list) else [forms]
    if blank:
        return [forms[0].blank()] if forms else []
    return forms


def printed_at():
    return timezone.localtime(timezone.now(), timezone.get_default_timezone())


def document_context(forms: list[Form]) -> dict:
    return {"forms": forms, "printed_at": printed_at(), "time_zone": settings.TIME_ZONE}


def _twin_urls(request) -> dict:
    """The page, PDF and Excel URLs of the current form page (same kwargs and query, ?blank
    included), and the page's blank (or filled) twin."""
    match = request.resolver_match
    name = match.view_name.removesuffix("_pdf").removesuffix("_xlsx")
    query = request.GET.copy()
    other = query.copy()
    if wants_blank(request):
        other.pop("blank", None)
    else:
        other["blank"] = "1"
    urls = {}
    for key, view_name in (("html", name), ("pdf", f"{name}_pdf"), ("xlsx", f"{name}_xlsx")):
        try:
            urls[key] = reverse(view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            urls[key] = None
    page = urls["html"]
    urls = {k: f"{u}?{query.urlencode()}" if u and query else u for k, u in urls.items()}
    urls["other"] = f"{page}?{other.urlencode()}" if other else page
    return urls


def paper_links(view_name: str, *args) -> dict:
    """The buttons' URLs for a page that is not the form itself (a record's detail page):
    `page` (the print page: 打印 links there), `pdf`, `xlsx` and `other` (the blank form).
    Use: context["paper_urls"] = paper_links("attendance:check_print", record.pk), then
    {% include "core/paperforms/_buttons.html" %}."""
    page = reverse(view_name, args=args)
    return {
        "page": page,
        "html": page,
        "pdf": reverse(f"{view_name}_pdf", args=args),
        "xlsx": reverse(f"{view_name}_xlsx", args=args),
        "other": f"{page}?blank=1",
    }


def file_response(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def render_file(forms: list[Form], fmt: str) -> HttpResponse:
    """The PDF or the Excel file of `forms` (used by the pages and the API alike)."""
    name = forms[0].filename if forms else "form"
    if fmt == "pdf":
        from core.paperforms.pdf import render_pdf

        return file_response(render_pdf(document_context(forms)), PDF_CONTENT_TYPE, f"{name}.pdf")
    if fmt == "xlsx":
        from core.paperforms.excel import workbook

        return file_response(workbook(forms), XLSX_CONTENT_TYPE, f"{name}.xlsx")
    raise ValueError(fmt)


def respond(
    request,
    forms: Form | list[Form],
    *,
    back: str = "",
    template: str = "core/paperforms/page.html",
    context: dict | None = None,
) -> HttpResponse:
    """Answer a form page in the format of its URL. `template` may extend
    core/paperforms/page.html to add actions (block paper_actions) or notes (block paper_before);
    `context` is passed to it."""
    forms = forms_to_render(forms, wants_blank(request))
    fmt = getattr(request, "paper_format", "html")
    if fmt != "html":
        return render_file(forms, fmt)
    page = {
        **document_context(forms),
        **(context or {}),
        "back": back,
        "paper_urls": _twin_urls(request),
        "blank": wants_blank(request),
        "title": forms[0].name if forms else "",
    }
    return render(request, template, page)
