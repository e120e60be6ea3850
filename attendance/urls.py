from django.urls import path

from attendance.views import checks, daily, deductions, fund, imports, leave, measures, month
from core.paperforms import as_format, paper_urls

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
    *paper_urls("checks/<int:pk>/print/", checks.check_print, "check_print"),
    # The 附件7 Excel file under its first address.
    path("checks/<int:pk>/export/", as_format(checks.check_print, "xlsx"), name="check_export"),
    path("import/", imports.import_attendance, name="import"),
    path("import/template/", imports.import_template, name="import_template"),
    path("deductions/", deductions.deduction_index, name="deductions"),
    path("deductions/run/", deductions.deduction_run, name="deduction_run"),
    path("deductions/<int:pk>/", deductions.deduction_month, name="deduction_month"),
    path("deductions/<int:pk>/close/", deductions.deduction_close, name="deduction_close"),
    path("deductions/<int:pk>/reopen/", deductions.deduction_reopen, name="deduction_reopen"),
    path("deductions/<int:pk>/export/", deductions.deduction_export, name="deduction_export"),
    path(
        "deductions/published/<int:unit_id>/<str:month>/",
        deductions.publication,
        name="publication",
    ),
    path(
        "deductions/published/<int:unit_id>/<str:month>/publish/",
        deductions.publication_publish,
        name="publication_publish",
    ),
    path(
        "regulation/<int:version_id>/rules/", deductions.regulation_rules, name="regulation_rules"
    ),
    path("fund/", fund.fund, name="fund"),
    path("fund/<int:pk>/", fund.fund_entry, name="fund_entry"),
    path("fund/<int:pk>/decide/", fund.fund_entry_decide, name="fund_entry_decide"),
    path("fund/<int:pk>/resubmit/", fund.fund_entry_resubmit, name="fund_entry_resubmit"),
    path("measures/", measures.measure_list, name="measures"),
    path("measures/new/", measures.measure_edit, name="measure_create"),
    path("measures/<int:pk>/", measures.measure_edit, name="measure_edit"),
]
