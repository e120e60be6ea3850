from django.urls import include, path
from rest_framework.routers import DefaultRouter

from attendance import api

router = DefaultRouter()
router.register("records", api.RecordViewSet, basename="attendance-record")
router.register("leave-requests", api.LeaveRequestViewSet, basename="attendance-leave")
router.register("check-records", api.CheckRecordViewSet, basename="attendance-check")

urlpatterns = [
    path("attendance/roll-call/", api.RollCallView.as_view(), name="api-attendance-roll-call"),
    path("attendance/check-in/", api.CheckInView.as_view(), name="api-attendance-check-in"),
    path("attendance/summary/", api.SummaryView.as_view(), name="api-attendance-summary"),
    path("attendance/import/", api.ImportView.as_view(), name="api-attendance-import"),
    path("attendance/", include(router.urls)),
]
