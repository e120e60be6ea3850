"""API routes of the meetings app, under /api/v1/meetings/…"""

from django.urls import include, path

urlpatterns = [
    path("meetings/", include("meetings.api.groups")),
    path("meetings/", include("meetings.api.templates")),
    path("meetings/", include("meetings.api.calendars")),
    path("meetings/", include("meetings.api.records")),
    path("meetings/", include("meetings.api.feedback")),
    path("meetings/", include("meetings.api.inspections")),
]
