"""All API routes under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("org.api_urls")),
    path("", include("workcalendar.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("home.api_urls")),
    path("", include("approvals.api_urls")),
    path("", include("plans.api_urls")),
    path("", include("attendance.api_urls")),
    path("", include("activity.api_urls")),
    path("", include("meetings.api_urls")),
]
