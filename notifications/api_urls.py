from django.urls import include, path

from core.api import Router
from notifications import api

router = Router()
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = [path("", include(router.urls))]
