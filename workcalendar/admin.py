from django.contrib import admin

from core.admin_mixins import NoDeleteHistoryAdmin
from workcalendar.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(NoDeleteHistoryAdmin):
    list_display = ["date", "district", "is_workday", "note"]
    list_filter = ["is_workday", "district"]
