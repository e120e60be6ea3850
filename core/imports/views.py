"""The import page, the template download, the error file and the API view, once for every
import. An app plugs its Importer in:

    import_logs = ImportPageView.as_view(importer_class=WorkLogImport,
                                         template_name="activity/import.html",
                                         success_url="activity:import")
    import_template = ImportTemplateView.as_view(importer_class=WorkLogImport)
    WorkLogImportAPI = import_api_view(WorkLogImport, operation_id="work_logs_import", ...)
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.imports.base import ImportResult
from core.xlsx import XLSX_CONTENT_TYPE, append, display, header_style, workbook_bytes, write

MAX_ERRORS_SHOWN = 500
MAX_ERROR_FILE_ROWS = 2000
SESSION_KEY = "import_error_files"


def check_upload(upload, importer) -> None:
    """The upload check shared by the page and the API: .xlsx by name, the size."""
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise forms.ValidationError(
            _("Only Excel .xlsx files can be imported. Save the sheet as .xlsx and try again.")
        )
    if upload.size > importer.max_upload_bytes:
        raise forms.ValidationError(
            _("The file is larger than %(max)s MB.")
            % {"max": importer.max_upload_bytes // 1024 // 1024}
        )


class ImportForm(forms.Form):
    file = forms.FileField()

    def __init__(self, *args, importer, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.fields["file"].label = importer.file_label
        self.fields["file"].widget.attrs["accept"] = ".xlsx," + XLSX_CONTENT_TYPE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, self.importer)
        return upload


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def error_context(errors: list[dict]) -> dict:
    return {
        "errors": errors[:MAX_ERRORS_SHOWN],
        "error_count": len(errors),
        "error_rows": len({error["row"] for error in errors if error["row"]}),
    }


class ImportPageView(LoginRequiredMixin, View):
    """GET: the upload form and the columns. POST: check and import (redirect with a message),
    or with `preview` check only and show what would change; errors are listed by row and
    column with a downloadable error file."""

    importer_class = None
    template_name = "core/import.html"
    success_url = None
    template_url = None  # URL name of the template download
    extra_context: dict | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.importer = self.importer_class(request.user)
        self.importer.check_permission()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(ImportForm(importer=self.importer))

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES, importer=self.importer)
        if not form.is_valid():
            return self.render(form)
        preview = "preview" in request.POST
        result = self.importer.run(form.cleaned_data["file"], dry_run=preview)
        if result.ok and not preview:
            messages.success(request, self.importer.success_message(result))
            return redirect(self.success_url)
        return self.render(form, result)

    def render(self, form, result: ImportResult | None = None):
        context = {
            "form": form,
            "importer": self.importer,
            "columns": self.importer.columns,
            "max_rows": self.importer.max_rows,
            "template_url": self.template_url,
            **error_context(result.errors if result else []),
            "preview": result if result is not None and result.ok else None,
            **(self.extra_context or {}),
        }
        if result is not None and result.errors:
            context["error_file_key"] = store_error_file(self.request, self.importer, result)
        return render(self.request, self.template_name, context)


class ImportTemplateView(LoginRequiredMixin, View):
    importer_class = None

    def get(self, request, *args, **kwargs):
        importer = self.importer_class(request.user)
        importer.check_permission()
        return xlsx_response(importer.template(), str(importer.template_filename))


# -- the error file ----------------------------------------------------------------------------


def store_error_file(request, importer, result: ImportResult) -> str:
    """Keep what the error file needs in the session (bounded); returns its key."""
    headers = [column.header for column in importer.columns]
    extras = [importer.header_of(key) for key in importer.extra_positions]
    by_row: dict = {}
    for error in result.errors:
        by_row.setdefault(error["row"], []).append(error)
    rows = []
    for number, errors in list(by_row.items())[:MAX_ERROR_FILE_ROWS]:
        row = result.error_rows.get(number)
        values = []
        if row is not None:
            values = [display(row.raw.get(column.key)) for column in importer.columns]
            values += [display(row.raw.get(key)) for key in importer.extra_positions]
        message = "；".join(
            f"{error['column']}: {error['message']}" if error["column"] else error["message"]
            for error in errors
        )
        rows.append([number, values, message])
    key = secrets.token_urlsafe(8)
    files = request.session.get(SESSION_KEY, {})
    files = dict(list(files.items())[-2:])  # keep the last few only
    files[key] = {
        "name": str(importer.template_filename),
        "headers": headers + extras,
        "rows": rows,
    }
    request.session[SESSION_KEY] = files
    return key


def error_file(request, key: str):
    """The rows with problems as they were uploaded, with a 错误 column saying what is wrong."""
    data = request.session.get(SESSION_KEY, {}).get(key)
    if data is None or not request.user.is_authenticated:
        raise Http404
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Errors")[:31]
    append(sheet, [_("Row"), *data["headers"], _("Problems")])
    for cell in sheet[1]:
        header_style(cell)
    for number, values, message in data["rows"]:
        append(sheet, [number or "", *[""] * len(data["headers"]), message])
        for index, value in enumerate(values, start=2):
            write(sheet, sheet.max_row, index, value)
    sheet.column_dimensions["A"].width = 6
    sheet.freeze_panes = "B2"
    name = data["name"].removesuffix(".xlsx") + "-" + _("errors") + ".xlsx"
    return xlsx_response(workbook_bytes(workbook), name)


# -- API -----------------------------------------------------------------------------------------


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Excel row number; null for the whole file."
    )
    column = serializers.CharField(
        help_text="The sheet's column header in the user's language, e.g. National ID number."
    )
    value = serializers.CharField()
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)


class ImportSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    dry_run = serializers.BooleanField(required=False)
    changes = serializers.ListField(child=serializers.DictField(), required=False)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel .xlsx, at most 5 MB.")


class ImportAPIView(APIView):
    """POST a file (multipart, field `file`): 200 with the counts, or 400 with
    {detail, errors: [{row, column, value, message}]}; `?dry_run=1` checks and counts only."""

    importer_class = None
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        importer = self.importer_class(request.user)
        importer.check_permission()
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise forms.ValidationError(_("Choose a file to upload."))
            check_upload(upload, importer)
        except forms.ValidationError as exc:
            return errors_response([_file_error(message) for message in exc.messages])
        dry_run = request.query_params.get("dry_run") in {"1", "true", "yes"}
        result = importer.run(upload, dry_run=dry_run)
        if not result.ok:
            return errors_response(result.errors)
        return Response(result.summary())


def _file_error(message) -> dict:
    return {"row": None, "column": "", "value": "", "message": str(message)}


def errors_response(errors: list[dict]) -> Response:
    detail = (
        ngettext(
            "Nothing was imported: the file has %(count)s problem.",
            "Nothing was imported: the file has %(count)s problems.",
            len(errors),
        )
        % {"count": len(errors)}
        if errors and errors[0]["row"] is not None or len(errors) > 1
        else errors[0]["message"]
    )
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def import_api_view(importer_class, *, operation_id: str, summary: str, tags: list[str]):
    """An ImportAPIView for `importer_class`, with its OpenAPI description."""

    def post(self, request):  # a function of its own: the schema is attached to it
        return ImportAPIView.post(self, request)

    class View(ImportAPIView):
        pass

    View.importer_class = importer_class
    View.__name__ = View.__qualname__ = importer_class.__name__ + "APIView"
    View.post = extend_schema(
        operation_id=operation_id,
        summary=summary,
        description="Every row is validated first; if any row is wrong nothing is written and "
        "the errors name each row and column. Re-importing the same file changes nothing. "
        "`?dry_run=1` checks and counts without writing.",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportSummarySerializer,
            400: ImportErrorsSerializer,
            403: None,
        },
        parameters=[
            OpenApiParameter("dry_run", str, enum=["1"], description="1 = check and count only.")
        ],
        tags=tags,
    )(post)
    return View
