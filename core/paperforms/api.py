"""The forms in the API: `PaperFormActions` adds GET …/<pk>/pdf/ and …/<pk>/xlsx/ to a viewset,
on the viewset's own get_object() (so the access layer scopes them as the JSON detail).

    class VisitViewSet(PaperFormActions, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
        def paper_form(self, visit):
            return acceptance_form(visit)

`?blank=1` gives the blank form, as on the pages. `paper_list_actions(path)` does the same for
a form made of a list (a month's archive, a meeting's summary): GET …/<path>/pdf/ and …/xlsx/.
"""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer

from core.paperforms.views import PDF_CONTENT_TYPE, forms_to_render, render_file, wants_blank
from core.xlsx import XLSX_CONTENT_TYPE


class _FileRenderer(BaseRenderer):
    """Lets a client ask for the file by media type; errors still come out as JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class PdfRenderer(_FileRenderer):
    media_type = PDF_CONTENT_TYPE
    format = "pdf"


class XlsxFormRenderer(_FileRenderer):
    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"


BLANK = OpenApiParameter(
    "blank", str, enum=["1"], description="1 = the blank form (to fill in by hand)."
)


def file_schema(media_type: str, what: str):
    return extend_schema(
        summary=f"The paper form (attachment) of this object as {what}",
        parameters=[BLANK],
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=what),
            404: OpenApiResponse(description="Not found or outside the caller's scope."),
        },
    )


def paper_response(request, forms, fmt: str):
    return render_file(forms_to_render(forms, wants_blank(request)), fmt)


class PaperFormActions:
    """Mixin for a viewset: define `paper_form(self, obj) -> Form | list[Form]`."""

    def paper_form(self, obj):
        raise NotImplementedError

    @file_schema(PDF_CONTENT_TYPE, "PDF")
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, *args, **kwargs):
        return paper_response(request, self.paper_form(self.get_object()), "pdf")

    @file_schema(XLSX_CONTENT_TYPE, "Excel")
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, XlsxFormRenderer])
    def xlsx(self, request, *args, **kwargs):
        return paper_response(request, self.paper_form(self.get_object()), "xlsx")


def paper_list_actions(url_path: str, what: str):
    """A mixin for a viewset: define `paper_list_form(self, request) -> Form | list[Form]` (it
    reads the request's filters and asks the access layer, like the page of the same form)."""

    class PaperListActions:
        def paper_list_form(self, request):
            raise NotImplementedError

        @file_schema(PDF_CONTENT_TYPE, f"PDF ({what})")
        @action(
            detail=False,
            methods=["get"],
            url_path=f"{url_path}/pdf",
            renderer_classes=[JSONRenderer, PdfRenderer],
        )
        def list_pdf(self, request, *args, **kwargs):
            return paper_response(request, self.paper_list_form(request), "pdf")

        @file_schema(XLSX_CONTENT_TYPE, f"Excel ({what})")
        @action(
            detail=False,
            methods=["get"],
            url_path=f"{url_path}/xlsx",
            renderer_classes=[JSONRenderer, XlsxFormRenderer],
        )
        def list_xlsx(self, request, *args, **kwargs):
            return paper_response(request, self.paper_list_form(request), "xlsx")

    return PaperListActions
