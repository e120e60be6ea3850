"""The meetings API, one module per part; each module exposes `urlpatterns`."""
