from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenLoginView.as_view(), name="api-token"),
    path("auth/tokens/", api.ApiTokenViewSet.as_view({"get": "list"}), name="api-token-list"),
    path(
        "auth/tokens/<int:pk>/",
        api.ApiTokenViewSet.as_view({"delete": "destroy"}),
        name="api-token-detail",
    ),
]
