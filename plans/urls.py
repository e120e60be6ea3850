from django.urls import path

from core.attachments import attachment_download
from plans.views import documents, versions

app_name = "plans"

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("new/", documents.document_create, name="document_create"),
    path("<int:pk>/", documents.document_detail, name="document_detail"),
    path("<int:pk>/compare/", documents.document_compare, name="document_compare"),
    path("versions/<int:pk>/", documents.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", versions.version_edit, name="version_edit"),
    path("versions/<int:pk>/attach/", versions.attachment_add, name="attachment_add"),
    path("versions/<int:pk>/submit/", versions.version_submit, name="version_submit"),
    path("versions/<int:pk>/approve/", versions.version_approve, name="version_approve"),
    path("versions/<int:pk>/return/", versions.version_return, name="version_return"),
    path("versions/<int:pk>/publish/", versions.version_publish, name="version_publish"),
    path(
        "versions/<int:pk>/acknowledge/", versions.version_acknowledge, name="version_acknowledge"
    ),
    path("versions/<int:pk>/new-version/", versions.version_new, name="version_new"),
    path(
        "attachments/<int:pk>/",
        attachment_download,
        {"kind": "plans"},
        name="attachment_download",
    ),
    path("attachments/<int:pk>/remove/", versions.attachment_remove, name="attachment_remove"),
]
