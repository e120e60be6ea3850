from django.urls import include, path
from rest_framework.routers import DefaultRouter

from activity import api

router = DefaultRouter()
router.register("logs", api.WorkLogViewSet, basename="activity-log")
router.register("scorecards", api.ScorecardViewSet, basename="activity-scorecard")
router.register("prospect-cards", api.ProspectCardViewSet, basename="activity-prospect-card")
router.register("recruit-cards", api.RecruitCardViewSet, basename="activity-recruit-card")
router.register("weekly-checks", api.WeeklyCheckViewSet, basename="activity-weekly-check")
router.register("tools", api.ToolMovementViewSet, basename="activity-tool")
router.register("card-handovers", api.CardHandoverViewSet, basename="activity-card-handover")

urlpatterns = [
    path("activity/logs/bulk/", api.WorkLogBulkView.as_view(), name="api-activity-logs-bulk"),
    path("activity/logs/import/", api.WorkLogImportView.as_view(), name="api-activity-logs-import"),
    path("activity/tool-stock/", api.ToolStockView.as_view(), name="api-activity-tool-stock"),
    path("activity/figures/", api.FiguresView.as_view(), name="api-activity-figures"),
    path("activity/card-counts/", api.CardCountsView.as_view(), name="api-activity-card-counts"),
    path("activity/", include(router.urls)),
]
