from django.urls import include, path

from attendance.api import checks, daily, deductions, figures, fund, leave, measures, publication
from core.api import Router

router = Router()
router.register("records", daily.RecordViewSet, basename="attendance-record")
router.register("leave-requests", leave.LeaveRequestViewSet, basename="attendance-leave")
router.register("check-records", checks.CheckRecordViewSet, basename="attendance-check")
router.register("rules", deductions.RulesViewSet, basename="attendance-rules")
router.register(
    "deduction-months", deductions.DeductionMonthViewSet, basename="attendance-deduction-month"
)
router.register(
    "deduction-lines", deductions.DeductionLineViewSet, basename="attendance-deduction-line"
)
router.register("fund-entries", fund.FundEntryViewSet, basename="attendance-fund")
router.register("publications", publication.PublicationViewSet, basename="attendance-publication")
router.register("improvement-measures", measures.MeasureViewSet, basename="attendance-measure")

urlpatterns = [
    path("attendance/roll-call/", daily.RollCallView.as_view(), name="api-attendance-roll-call"),
    path("attendance/check-in/", daily.CheckInView.as_view(), name="api-attendance-check-in"),
    path("attendance/summary/", figures.SummaryView.as_view(), name="api-attendance-summary"),
    path("attendance/import/", daily.ImportView.as_view(), name="api-attendance-import"),
    path("attendance/", include(router.urls)),
]
