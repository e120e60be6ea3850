"""Helpers shared by the activity API modules."""

from rest_framework.exceptions import PermissionDenied

from org import access


def _own_agent(user):
    agent_id = access.own_agent_id(user)
    if not agent_id:
        raise PermissionDenied
    return agent_id
