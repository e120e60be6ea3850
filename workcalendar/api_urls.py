from django.urls import path

from workcalendar import api

urlpatterns = [
    path("calendar/workdays/", api.WorkdaysView.as_view(), name="api-workdays"),
    path("calendar/days/", api.CalendarDaysView.as_view(), name="api-calendar-days"),
]
