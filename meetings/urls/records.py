"""Pages of the records part: meeting records, the archive, evaluation feedback (附件3)."""

from django.urls import path

from core.attachments import attachment_download
from core.paperforms import paper_urls
from meetings.views import records, records_archive, records_feedback

urlpatterns = [
    path("records/new/", records.meeting_create, name="meeting_create"),
    path("records/<int:pk>/", records.meeting_detail, name="meeting_detail"),
    path("records/<int:pk>/edit/", records.meeting_update, name="meeting_update"),
    path("records/<int:pk>/materials/", records.material_add, name="meeting_material_add"),
    path(
        "records/<int:owner_pk>/materials/<int:pk>/",
        attachment_download,
        {"kind": "meeting"},
        name="meeting_material_download",
    ),
    path(
        "records/<int:pk>/materials/<int:material_pk>/remove/",
        records.material_remove,
        name="meeting_material_remove",
    ),
    path("archive/", records_archive.archive, name="archive"),
    path("archive/export/", records_archive.archive_export, name="archive_export"),
    path("feedback/", records_feedback.feedback_mine, name="feedback_mine"),
    path("feedback/report/", records_feedback.feedback_report, name="feedback_report"),
    path("feedback/meeting/<int:pk>/", records_feedback.feedback_form, name="feedback_form"),
    *paper_urls(
        "feedback/meeting/<int:pk>/print/", records_feedback.feedback_print, "feedback_print"
    ),
    *paper_urls(
        "feedback/meeting/<int:pk>/summary/", records_feedback.feedback_summary, "feedback_summary"
    ),
]
