"""The OpenAPI schema and the Swagger UI page: for signed-in users (or API tokens) only, unless
settings.API_SCHEMA_PUBLIC opens them. The page loads its start-up script from the same URL
(?script) instead of inline, and has no inline <style>, so it runs under the CSP."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


class SchemaView(SpectacularAPIView):
    def get_permissions(self):
        return [AllowAny() if settings.API_SCHEMA_PUBLIC else IsAuthenticated()]


class DocsView(SpectacularSwaggerSplitView):
    template_name = "core/swagger_ui.html"

    def get_permissions(self):
        return [AllowAny() if settings.API_SCHEMA_PUBLIC else IsAuthenticated()]


_docs = DocsView.as_view(url_name="api-schema")


def docs(request, *args, **kwargs):
    """The docs page; a browser that is not signed in is sent to the log-in page."""
    if not settings.API_SCHEMA_PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _docs(request, *args, **kwargs)


schema = SchemaView.as_view()
