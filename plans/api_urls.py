from django.urls import include, path

from core.api import Router
from plans import api

router = Router()
router.register("document-kinds", api.DocumentKindViewSet, basename="document-kind")
router.register("documents", api.DocumentViewSet, basename="document")
router.register("versions", api.VersionViewSet, basename="document-version")

urlpatterns = [
    # Generic: approval requests of any module (lives here until approvals has an API).
    path("", include(router.urls)),
]
