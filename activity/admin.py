from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activity.models import Scorecard, ToolKind, ToolMovement, WeeklyCheck, WorkLog


@admin.register(Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["district", "weekly_target"]


@admin.register(WorkLog)
class WorkLogAdmin(SimpleHistoryAdmin):
    list_display = ["agent", "date", "state", "points"]
    list_filter = ["state"]
    raw_id_fields = ["agent", "reviewed_by"]


@admin.register(ToolKind)
class ToolKindAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "active", "order"]
    list_editable = ["active", "order"]


@admin.register(ToolMovement)
class ToolMovementAdmin(SimpleHistoryAdmin):
    list_display = ["date", "district", "kind", "direction", "quantity", "department"]
    list_filter = ["direction", "kind"]
    raw_id_fields = ["district", "department", "recorded_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WeeklyCheck)
class WeeklyCheckAdmin(SimpleHistoryAdmin):
    list_display = ["department", "week_start", "state", "checked_by"]
    list_filter = ["state"]
    raw_id_fields = ["department", "filled_by", "checked_by"]
    readonly_fields = ["snapshot"]

    def has_delete_permission(self, request, obj=None):
        return False
