"""Pages of the meetings app; each part keeps its routes in its own module."""

from django.urls import include, path

from meetings.views import index

app_name = "meetings"

urlpatterns = [
    path("", index.index, name="index"),
    path("", include("meetings.urls.groups")),
    path("", include("meetings.urls.templates")),
    path("", include("meetings.urls.calendars")),
    path("", include("meetings.urls.records")),
    path("", include("meetings.urls.inspections")),
]
