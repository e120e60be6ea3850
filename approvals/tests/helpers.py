"""Test helpers for flows that decide through approvals.services.decide."""

from approvals.services import request_for


def step_of(subject) -> int:
    """The step the subject's approval request waits at now: what a page or API client that
    has just read the request sends back as the step it saw."""
    return request_for(subject).step
