from django.urls import include, path
from rest_framework.routers import DefaultRouter

from notifications import api

router = DefaultRouter()
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = [path("", include(router.urls))]
