from django.urls import include, path

from activity.api import (
    bulk,
    cards,
    figures,
    handover,
    log_checks,
    logs,
    scorecard,
    tools,
    weekly_checks,
)
from core.api import Router

router = Router()
router.register("logs", logs.WorkLogViewSet, basename="activity-log")
router.register("scorecards", scorecard.ScorecardViewSet, basename="activity-scorecard")
router.register("prospect-cards", cards.ProspectCardViewSet, basename="activity-prospect-card")
router.register("recruit-cards", cards.RecruitCardViewSet, basename="activity-recruit-card")
router.register("weekly-checks", weekly_checks.WeeklyCheckViewSet, basename="activity-weekly-check")
router.register("tools", tools.ToolMovementViewSet, basename="activity-tool")
router.register("card-handovers", handover.CardHandoverViewSet, basename="activity-card-handover")

urlpatterns = [
    path("activity/logs/bulk/", bulk.WorkLogBulkView.as_view(), name="api-activity-logs-bulk"),
    path(
        "activity/logs/import/", logs.WorkLogImportView.as_view(), name="api-activity-logs-import"
    ),
    path("activity/tool-stock/", tools.ToolStockView.as_view(), name="api-activity-tool-stock"),
    path("activity/figures/", figures.FiguresView.as_view(), name="api-activity-figures"),
    path("activity/log-checks/", log_checks.LogCheckView.as_view(), name="api-activity-log-checks"),
    path(
        "activity/log-checks/pdf/",
        log_checks.LogCheckPdfView.as_view(),
        name="api-activity-log-checks-pdf",
    ),
    path(
        "activity/log-checks/xlsx/",
        log_checks.LogCheckXlsxView.as_view(),
        name="api-activity-log-checks-xlsx",
    ),
    path("activity/card-counts/", cards.CardCountsView.as_view(), name="api-activity-card-counts"),
    path("activity/", include(router.urls)),
]
