"""Web hygiene middleware (issue 20): the Permissions-Policy header on every response, and request
bodies refused with 413 before anything reads them. The Content-Security-Policy itself comes from
django-csp (settings.CONTENT_SECURITY_POLICY)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def body_limit(request) -> int:
    """The largest body the request may carry: file uploads (multipart) up to
    MAX_REQUEST_BODY_SIZE, every other body (forms, JSON) up to DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.content_type == "multipart/form-data":
        return settings.MAX_REQUEST_BODY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or settings.MAX_REQUEST_BODY_SIZE


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than it may be (413), with a message that
    names the limit, before the body is read. (A body without Content-Length is read as empty by
    Django; the reverse proxy's client_max_body_size bounds what reaches the server at all.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)


def too_large(request, limit: int) -> HttpResponse:
    megabytes = round(limit / 1024 / 1024, 1)
    if megabytes == int(megabytes):
        megabytes = int(megabytes)
    message = _("The request is too large: at most %(max)s MB can be sent at once.") % {
        "max": megabytes
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    page = f'<!doctype html><meta charset="utf-8"><title>413</title><p>{escape(message)}</p>'
    return HttpResponse(page, status=413)
