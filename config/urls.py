from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import urls as accounts_urls
from core import api_docs
from core.health import healthz
from core.imports.views import error_file
from org.urls import users as user_urls

admin.site.site_header = _("District Daily Management: administration")
admin.site.site_title = _("District Daily Management")
admin.site.index_title = _("Settings and records")

urlpatterns = [
    path("", include("home.urls")),
    path("healthz", healthz, name="healthz"),
    # Log-in, password and preferences are accounts'; the staff-user and role pages are org's,
    # under the same path and the same `accounts:` URL names.
    path(
        "accounts/",
        include((accounts_urls.urlpatterns + user_urls.urlpatterns, accounts_urls.app_name)),
    ),
    path("org/", include("org.urls")),
    path("calendar/", include("workcalendar.urls")),
    path("plans/", include("plans.urls")),
    path("notifications/", include("notifications.urls")),
    path("attendance/", include("attendance.urls")),
    path("activity/", include("activity.urls")),
    path("meetings/", include("meetings.urls")),
    path("imports/errors/<str:key>/", error_file, name="import_error_file"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", api_docs.schema, name="api-schema"),
    path("api/docs/", api_docs.docs, name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A database fault raised outside a view (in a middleware) answers 503, see core/dbfaults.py.
handler500 = "core.dbfaults.server_error"
