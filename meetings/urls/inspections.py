"""Pages of the district's supervision of department meetings (§7), under /meetings/inspections/."""

from django.urls import path

from core.paperforms import as_format, paper_urls
from meetings.views import inspections as views
from meetings.views import inspections_checklist, inspections_report

urlpatterns = [
    path("inspections/", views.archive, name="inspection_list"),
    *paper_urls("inspections/archive/print/", views.archive_print, "inspection_archive_print"),
    # The archive's Excel file under its first address (the 附件4 list).
    path(
        "inspections/export.xlsx",
        as_format(views.archive_print, "xlsx"),
        name="inspection_list_xlsx",
    ),
    path("inspections/plan/", views.plan, name="inspection_plan"),
    path("inspections/checklist/", inspections_checklist.checklist, name="inspection_checklist"),
    path("inspections/issues/", views.issues, name="inspection_issues"),
    path(
        "inspections/issues/<int:pk>/resolve/",
        views.issue_resolve,
        name="inspection_issue_resolve",
    ),
    path("inspections/report/", inspections_report.report, name="inspection_report"),
    path(
        "inspections/report.xlsx", inspections_report.report_export, name="inspection_report_xlsx"
    ),
    path("inspections/visits/<int:pk>/", views.visit_detail, name="inspection_visit"),
    path("inspections/visits/<int:pk>/cancel/", views.visit_cancel, name="inspection_cancel"),
    path("inspections/visits/<int:pk>/form/", views.fill, name="inspection_fill"),
    *paper_urls("inspections/visits/<int:pk>/print/", views.print_form, "inspection_print"),
    path("inspections/visits/<int:pk>/issues/", views.issue_add, name="inspection_issue_add"),
]
