"""Pages of the district's function groups (功能组)."""

from django.urls import path

from core.attachments import attachment_download
from meetings.views import groups as views

urlpatterns = [
    path("groups/", views.function_group_list, name="function_group_list"),
    path("groups/new/", views.function_group_create, name="function_group_create"),
    path("groups/<int:pk>/", views.function_group_detail, name="function_group_detail"),
    path("groups/<int:pk>/edit/", views.function_group_edit, name="function_group_edit"),
    path(
        "groups/members/<int:pk>/duties/",
        views.function_group_member_duties,
        name="function_group_member_duties",
    ),
    path(
        "groups/members/<int:pk>/remove/",
        views.function_group_member_remove,
        name="function_group_member_remove",
    ),
    path(
        "groups/<int:pk>/trainings/new/",
        views.function_group_training,
        name="function_group_training_create",
    ),
    path(
        "groups/<int:pk>/trainings/<int:training_id>/",
        views.function_group_training,
        name="function_group_training_edit",
    ),
    path(
        "groups/<int:pk>/reviews/new/",
        views.function_group_review,
        name="function_group_review_create",
    ),
    path(
        "groups/<int:pk>/reviews/<int:review_id>/",
        views.function_group_review,
        name="function_group_review_edit",
    ),
    path(
        "groups/<int:pk>/trainings/<int:training_id>/materials/",
        views.function_group_material_add,
        name="function_group_material_add",
    ),
    path(
        "groups/materials/<int:pk>/",
        attachment_download,
        {"kind": "training"},
        name="function_group_material",
    ),
    path(
        "groups/materials/<int:pk>/remove/",
        views.function_group_material_remove,
        name="function_group_material_remove",
    ),
]
