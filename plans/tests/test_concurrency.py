"""Two approvers acting at once on the same version make exactly one transition; the other is
told who was first. Runs on PostgreSQL (row locks) and on SQLite (serialized writers)."""

import threading

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.utils import translation

from accounts.models import Role
from approvals.services import request_for
from conftest import make_user
from core.exceptions import ConflictError
from plans import services
from plans.models import DocumentVersion, VersionState
from plans.tests.conftest import department_plan, district_regulation


def race(version, users, **kwargs) -> dict:
    """Each user approves `version` in their own thread, all released at the same moment."""
    barrier = threading.Barrier(len(users))
    outcomes: dict = {}

    def approve(user):
        close_old_connections()
        translation.activate("en")  # each thread has its own active language
        try:
            barrier.wait(timeout=10)
            services.version_approve(acting_user=user, version=version, **kwargs)
            outcomes[user.username] = "approved"
        except ConflictError as exc:
            outcomes[user.username] = exc
        except OperationalError as exc:  # pragma: no cover - SQLite without a busy wait
            outcomes[user.username] = exc
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if any(isinstance(o, OperationalError) for o in outcomes.values()):
        if connection.vendor == "sqlite":  # pragma: no cover
            pytest.skip(f"SQLite in this test setup refuses concurrent writers: {outcomes}")
        raise AssertionError(outcomes)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_marketing_approvers_at_once_approve_once(pw):
    second = make_user("marketing2", Role.MARKETING, pw.branch, full_name="营销二")
    _document, version = district_regulation(pw)
    services.version_submit(acting_user=pw.district_admin, version=version)

    outcomes = race(version, [pw.marketing, second], expected_step=1)

    winners = [name for name, outcome in outcomes.items() if outcome == "approved"]
    assert len(winners) == 1, outcomes
    loser = next(o for o in outcomes.values() if isinstance(o, ConflictError))
    winner_label = "marketing" if winners == ["marketing"] else "营销二"
    assert loser.message == f"Already approved by {winner_label}."
    request = request_for(version)
    assert list(request.actions.values_list("action", flat=True)) == ["submit", "approve"]
    assert DocumentVersion.objects.get(pk=version.pk).state == VersionState.APPROVED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_of_the_same_step_move_it_on_once(pw):
    second = make_user("dept_manager_2", Role.DEPT_MANAGER, pw.dept_a1, full_name="部经理二")
    _document, version = department_plan(pw)
    services.version_submit(acting_user=pw.assistant, version=version)

    outcomes = race(version, [pw.dept_manager, second], expected_step=1)

    assert sorted(str(type(o).__name__) for o in outcomes.values()) == ["ConflictError", "str"]
    loser = next(o for o in outcomes.values() if isinstance(o, ConflictError))
    assert "already approved by" in loser.message
    request = request_for(version)
    assert (request.step, request.current_role) == (2, "district_manager")
    assert [a.action for a in request.actions.all()] == ["submit", "approve"]
