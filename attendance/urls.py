from django.urls import path

from attendance.views import checks, daily, imports, leave, month

app_name = "attendance"

urlpatterns = [
    path("", daily.index, name="index"),
    path("roll-call/", daily.roll_call, name="roll_call"),
    path("me/", daily.mine, name="mine"),
    path("me/check-in/", daily.check_in, name="check_in"),
    path("records/<int:agent_id>/<str:day>/", daily.record_detail, name="record_detail"),
    path("month/", month.month, name="month"),
    path("month/export/", month.month_export, name="month_export"),
    path("summary/", month.summary, name="summary"),
    path("leave/", leave.leave_list, name="leave_list"),
    path("leave/new/", leave.leave_create, name="leave_create"),
    path("leave/<int:pk>/", leave.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/decide/", leave.leave_decide, name="leave_decide"),
    path("leave/<int:pk>/resubmit/", leave.leave_resubmit, name="leave_resubmit"),
    path("checks/", checks.check_list, name="check_list"),
    path("checks/new/", checks.check_create, name="check_create"),
    path("checks/<int:pk>/", checks.check_detail, name="check_detail"),
    path("checks/<int:pk>/refresh/", checks.check_refresh, name="check_refresh"),
    path("checks/<int:pk>/verify/", checks.check_verify, name="check_verify"),
    path("checks/<int:pk>/print/", checks.check_print, name="check_print"),
    path("checks/<int:pk>/export/", checks.check_export, name="check_export"),
    path("import/", imports.import_attendance, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
]
