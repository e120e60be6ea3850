"""The staff-user and role pages. Mounted by config/urls.py under /accounts/ in the `accounts`
namespace, so their paths and URL names (accounts:user_list …) are those of the log-in pages."""

from django.urls import path

from org.views import users

urlpatterns = [
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("roles/<int:pk>/end/", users.role_end, name="role_end"),
]
