from django.urls import path

from home import api

urlpatterns = [path("tasks/", api.TasksView.as_view(), name="api-tasks")]
