from django.urls import path

from core.paperforms import as_format, paper_urls
from meetings.views import calendars as views

urlpatterns = [
    path("calendars/", views.calendar_list, name="calendar_list"),
    path("calendars/new/", views.calendar_create, name="calendar_create"),
    path("calendars/board/", views.calendar_submission_board, name="calendar_submission_board"),
    path("calendars/settings/", views.calendar_settings, name="calendar_settings"),
    path("calendars/<int:pk>/", views.calendar_detail, name="calendar_detail"),
    path("calendars/<int:pk>/edit/", views.calendar_edit, name="calendar_edit"),
    path("calendars/<int:pk>/submit/", views.calendar_submit, name="calendar_submit"),
    path("calendars/<int:pk>/distribute/", views.calendar_distribute, name="calendar_distribute"),
    path(
        "calendars/<int:pk>/acknowledge/", views.calendar_acknowledge, name="calendar_acknowledge"
    ),
    *paper_urls("calendars/<int:pk>/print/", views.calendar_print, "calendar_print"),
    # The Excel file's first address (links and bookmarks keep working).
    path(
        "calendars/<int:pk>/export/",
        as_format(views.calendar_print, "xlsx"),
        name="calendar_export",
    ),
]
