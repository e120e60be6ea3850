from django.urls import path

from approvals import api

urlpatterns = [
    path("approvals/waiting/", api.WaitingView.as_view(), name="api-approvals-waiting"),
    path("approvals/bulk/", api.ApprovalBulkView.as_view(), name="api-approval-bulk"),
]
