"""`/healthz` for a load balancer: the database answers `SELECT 1` or not.

No login, no session, one query. 200 {"status": "ok", "database": "ok"} or
503 {"status": "error", "database": "unavailable"}."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The failed connection is closed at the end of the request (Django's request_finished),
        # so the next probe connects afresh.
        logger.warning("Health check: database unavailable: %s", exc)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
