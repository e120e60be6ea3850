from django.urls import path

from activity.views import (
    bulk,
    cards,
    dashboard,
    handover,
    imports,
    log_checks,
    logs,
    review,
    scorecard,
    tools,
    weekly,
)
from core.paperforms import as_format, paper_urls

app_name = "activity"

urlpatterns = [
    path("", logs.index, name="index"),
    path("me/", logs.mine, name="mine"),
    path("logs/<int:agent_id>/<str:day>/", logs.log_edit, name="log_edit"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("review/", review.review, name="review"),
    path("bulk/", bulk.bulk_entry, name="bulk"),
    path("import/", imports.import_logs, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("weekly/", weekly.weekly_list, name="weekly_list"),
    path("weekly/<int:department_id>/<str:week>/", weekly.weekly_check, name="weekly_check"),
    *paper_urls(
        "weekly/<int:department_id>/<str:week>/print/", weekly.weekly_print, "weekly_print"
    ),
    # The Excel file's first address (links and bookmarks keep working).
    path(
        "weekly/<int:department_id>/<str:week>/xlsx/",
        as_format(weekly.weekly_print, "xlsx"),
        name="weekly_xlsx",
    ),
    path("log-checks/", log_checks.log_check_page, name="log_check"),
    *paper_urls("log-checks/print/", log_checks.log_check_print, "log_check_print"),
    path("tools/", tools.tool_list, name="tools"),
    path("handover/", handover.handover_list, name="handover"),
    path("handover/<int:agent_id>/", handover.handover_do, name="handover_do"),
    path("scorecard/", scorecard.scorecard, name="scorecard"),
    path("cards/counts/", cards.card_counts_page, name="card_counts"),
    path("cards/<str:kind>/", cards.card_list, name="cards"),
    path("cards/<str:kind>/<int:pk>/", cards.card_edit, name="card_edit"),
    path("review/approve/", review.approve_all, name="approve_all"),
    path("review/<int:pk>/return/", review.return_log, name="return_log"),
]
