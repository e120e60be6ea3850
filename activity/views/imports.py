"""Excel import of work logs (all rows or nothing), on the shared import page."""

from activity.imports import WorkLogImport
from core.imports.views import ImportPageView, ImportTemplateView

import_logs = ImportPageView.as_view(
    importer_class=WorkLogImport,
    template_name="activity/import.html",
    success_url="activity:import",
    template_url="activity:import_template",
    extra_context={"may_review": True, "may_edit_scorecard": True},
)
import_template = ImportTemplateView.as_view(importer_class=WorkLogImport)
