from django.urls import path

from workcalendar import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.month, name="month"),
    path("<int:district_id>/set/", views.set_day, name="set_day"),
]
