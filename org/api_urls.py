from django.urls import include, path
from rest_framework.routers import DefaultRouter

from org import api, api_roster

router = DefaultRouter()
router.register("units", api.UnitViewSet, basename="unit")
router.register("ranks", api.RankViewSet, basename="rank")
router.register("agents", api.AgentViewSet, basename="agent")

urlpatterns = [
    path("agents/export/", api_roster.AgentExportView.as_view(), name="api-agent-export"),
    path("agents/import/", api_roster.RosterImportView.as_view(), name="api-roster-import"),
    path("", include(router.urls)),
]
