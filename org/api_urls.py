from django.urls import include, path

from core.api import Router
from org.api import agents, roster, units

router = Router()
router.register("units", units.UnitViewSet, basename="unit")
router.register("ranks", units.RankViewSet, basename="rank")
router.register("agents", agents.AgentViewSet, basename="agent")

urlpatterns = [
    path("agents/export/", roster.AgentExportView.as_view(), name="api-agent-export"),
    path("agents/import/", roster.RosterImportView.as_view(), name="api-roster-import"),
    path("", include(router.urls)),
]
