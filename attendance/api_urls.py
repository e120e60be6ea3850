from django.urls import include, path
from rest_framework.routers import DefaultRouter

from attendance import api, api_deductions

router = DefaultRouter()
router.register("records", api.RecordViewSet, basename="attendance-record")
router.register("leave-requests", api.LeaveRequestViewSet, basename="attendance-leave")
router.register("check-records", api.CheckRecordViewSet, basename="attendance-check")
router.register("rules", api_deductions.RulesViewSet, basename="attendance-rules")
router.register(
    "deduction-months", api_deductions.DeductionMonthViewSet, basename="attendance-deduction-month"
)
router.register(
    "deduction-lines", api_deductions.DeductionLineViewSet, basename="attendance-deduction-line"
)
router.register("fund-entries", api_deductions.FundEntryViewSet, basename="attendance-fund")
router.register(
    "publications", api_deductions.PublicationViewSet, basename="attendance-publication"
)
router.register(
    "improvement-measures", api_deductions.MeasureViewSet, basename="attendance-measure"
)

urlpatterns = [
    path("attendance/roll-call/", api.RollCallView.as_view(), name="api-attendance-roll-call"),
    path("attendance/check-in/", api.CheckInView.as_view(), name="api-attendance-check-in"),
    path("attendance/summary/", api.SummaryView.as_view(), name="api-attendance-summary"),
    path("attendance/import/", api.ImportView.as_view(), name="api-attendance-import"),
    path("attendance/", include(router.urls)),
]
