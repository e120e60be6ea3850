from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activity.models import Scorecard, WorkLog


@admin.register(Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["district", "weekly_target"]


@admin.register(WorkLog)
class WorkLogAdmin(SimpleHistoryAdmin):
    list_display = ["agent", "date", "state", "points"]
    list_filter = ["state"]
    raw_id_fields = ["agent", "reviewed_by"]
