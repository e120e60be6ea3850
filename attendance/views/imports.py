"""Excel import of attendance (all rows or nothing) and its template, on the shared import page."""

from attendance.imports import AttendanceImport
from core.imports.views import ImportPageView, ImportTemplateView

import_template = ImportTemplateView.as_view(importer_class=AttendanceImport)
import_attendance = ImportPageView.as_view(
    importer_class=AttendanceImport,
    template_name="attendance/import.html",
    success_url="attendance:import",
    template_url="attendance:import_template",
)
