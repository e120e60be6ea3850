"""Pages of org (units, agents, roster); the staff-user pages are in `users`, mounted under
/accounts/ by config/urls.py."""

from django.urls import path

from org.views import agents, roster, units

app_name = "org"

urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/rename/", units.unit_rename, name="unit_rename"),
    path("units/<int:pk>/close/", units.unit_close, name="unit_close"),
    path("units/<int:pk>/new/", units.unit_create, name="unit_create"),
    path("agents/", agents.agent_list, name="agent_list"),
    path("agents/new/", agents.agent_create, name="agent_create"),
    path("agents/export/", roster.agent_export, name="agent_export"),
    path("agents/import/", roster.roster_import, name="roster_import"),
    path("agents/import/template/", roster.roster_template, name="roster_template"),
    path("agents/<int:pk>/", agents.agent_detail, name="agent_detail"),
    path("agents/<int:pk>/edit/", agents.agent_edit, name="agent_edit"),
    path("agents/<int:pk>/transfer/", agents.agent_transfer, name="agent_transfer"),
    path("agents/<int:pk>/rank/", agents.agent_change_rank, name="agent_change_rank"),
    path(
        "agents/<int:pk>/transfers/<int:change_pk>/cancel/",
        agents.agent_transfer_cancel,
        name="agent_transfer_cancel",
    ),
    path(
        "agents/<int:pk>/rank/<int:change_pk>/cancel/",
        agents.agent_rank_change_cancel,
        name="agent_rank_change_cancel",
    ),
    path("agents/<int:pk>/reveal/", agents.agent_reveal, name="agent_reveal"),
]
