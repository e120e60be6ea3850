from django.contrib import admin

from attendance.models import AttendanceRecord, AttendanceRules, CheckRecord, LeaveRequest
from core.admin_mixins import NoDeleteHistoryAdmin


@admin.register(AttendanceRules)
class AttendanceRulesAdmin(NoDeleteHistoryAdmin):
    """The district's check-in window and deduction rates, effective from a date."""

    list_display = [
        "district",
        "effective_from",
        "on_time_until",
        "late_until",
        "late_deduction",
        "unreported_leave_deduction",
        "absence_deduction",
    ]
    list_filter = ["district"]
    raw_id_fields = ["source_version"]


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(NoDeleteHistoryAdmin):
    """Read-only here: attendance is recorded through roll call, check-in, import and leave,
    which check the rules and keep the trail."""

    list_display = ["date", "agent", "status", "fraction", "reported", "source", "recorded_by"]
    list_filter = ["status", "source", "date"]
    search_fields = ["agent__code", "agent__name"]
    raw_id_fields = ["agent", "leave_request", "recorded_by"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(NoDeleteHistoryAdmin):
    list_display = ["agent", "start_date", "end_date", "half_day", "state", "created_by"]
    list_filter = ["state"]
    search_fields = ["agent__code", "agent__name"]
    raw_id_fields = ["agent", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckRecord)
class CheckRecordAdmin(NoDeleteHistoryAdmin):
    list_display = ["department", "check_date", "author", "verifier", "verified_on"]
    list_filter = ["department"]
    raw_id_fields = ["department", "author", "verifier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
