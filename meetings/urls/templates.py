"""Pages of execution flow templates (附件1)."""

from django.urls import path

from core.paperforms import paper_urls
from meetings.views import templates as views

urlpatterns = [
    path("templates/", views.template_list, name="template_list"),
    path(
        "templates/default/<int:district_id>/",
        views.template_default,
        name="template_default",
    ),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/compare/", views.template_compare, name="template_compare"),
    *paper_urls("templates/versions/<int:pk>/", views.template_version, "template_version"),
    path(
        "templates/versions/<int:pk>/edit/",
        views.template_version_edit,
        name="template_version_edit",
    ),
    path("templates/versions/<int:pk>/copy/", views.template_copy, name="template_copy"),
]
