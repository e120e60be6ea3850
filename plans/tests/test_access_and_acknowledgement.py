"""Who reads which documents, and read acknowledgements (已阅) of published versions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from approvals.tests.helpers import step_of
from core.exceptions import ConflictError
from plans import selectors, services
from plans.access import author_units, get_document_for_user, get_version_for_user
from plans.models import Document, DocumentVersion
from plans.tests.conftest import (
    department_plan,
    district_plan,
    district_regulation,
    published_district_plan,
)

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Document.objects.visible_to(user).values_list("title", flat=True))


def test_drafts_are_read_by_the_units_scope_only(pw):
    district, _v = district_plan(pw)
    department, _v = department_plan(pw)
    both = {district.title, department.title}
    for who in ["district_manager", "trainer", "district_admin", "marketing", "admin"]:
        assert visible(getattr(pw, who)) == both, who
    for who in ["dept_manager", "assistant"]:
        assert visible(getattr(pw, who)) == {department.title}, who
    for who in ["supervisor", "outsider", "agent_user", "dept_manager_b1", "dept_manager_a2"]:
        assert visible(getattr(pw, who)) == set(), who


def test_published_documents_are_read_by_the_units_below(pw):
    document, version = published_district_plan(pw)
    for who in ["dept_manager", "assistant", "dept_manager_a2"]:
        assert visible(getattr(pw, who)) == {document.title}, who
        assert get_version_for_user(getattr(pw, who), version.pk) == version
    for who in ["outsider", "dept_manager_b1", "supervisor", "agent_user"]:
        assert visible(getattr(pw, who)) == set(), who
        with pytest.raises(Http404):
            get_version_for_user(getattr(pw, who), version.pk)


def test_get_document_for_user_404_outside_and_403_without_write(pw):
    document, _v = department_plan(pw)
    assert get_document_for_user(pw.assistant, document.pk, write=True) == document
    with pytest.raises(PermissionDenied):
        get_document_for_user(pw.district_manager, document.pk, write=True)
    with pytest.raises(Http404):
        get_document_for_user(pw.outsider, document.pk)
    with pytest.raises(Http404):
        get_document_for_user(pw.assistant, "abc")


def test_authors_units(pw):
    assert list(author_units(pw.assistant)) == [pw.dept_a1]
    assert list(author_units(pw.dept_manager_a2)) == [pw.dept_a2]
    assert list(author_units(pw.trainer)) == [pw.district_a]
    assert list(author_units(pw.supervisor)) == []
    assert list(author_units(pw.marketing)) == []
    assert set(author_units(pw.admin)) == {
        pw.district_a,
        pw.district_b,
        pw.dept_a1,
        pw.dept_a2,
        pw.dept_b1,
    }


def test_board_lists_the_departments_with_counts(pw):
    _document, version = published_district_plan(pw)
    board = selectors.acknowledgement_board(version)
    assert [row.unit for row in board.rows] == [pw.dept_a1, pw.dept_a2]
    assert (board.acknowledged, board.total) == (0, 2)

    done = services.version_acknowledge(acting_user=pw.dept_manager, version=version)
    assert [row.unit for row in done] == [pw.dept_a1]
    board = selectors.acknowledgement_board(version)
    assert (board.acknowledged, board.total, board.pending) == (1, 2, 1)
    assert board.rows[0].user == pw.dept_manager and board.rows[0].at is not None
    assert board.rows[1].user is None


@pytest.mark.parametrize(
    "who", ["assistant", "district_manager", "dept_manager_b1", "supervisor", "marketing"]
)
def test_only_managers_of_target_units_acknowledge(pw, who):
    _document, version = published_district_plan(pw)
    with pytest.raises(PermissionDenied):
        services.version_acknowledge(acting_user=getattr(pw, who), version=version)
    assert selectors.acknowledgement_board(version).acknowledged == 0


def test_acknowledging_twice_names_who_did(pw):
    _document, version = published_district_plan(pw)
    services.version_acknowledge(acting_user=pw.dept_manager, version=version)
    with pytest.raises(ConflictError) as exc:
        services.version_acknowledge(acting_user=pw.dept_manager, version=version)
    assert "dept_manager" in exc.value.message


def test_acknowledging_a_draft_or_a_superseded_version_is_refused(pw):
    document, v1 = published_district_plan(pw)
    _other, draft = district_regulation(pw)
    with pytest.raises(PermissionDenied):  # never published to department A1
        services.version_acknowledge(acting_user=pw.dept_manager, version=draft)
    v2 = services.version_new(acting_user=pw.district_manager, document=document)
    services.version_submit(acting_user=pw.district_manager, version=v2)
    services.version_approve(acting_user=pw.marketing, version=v2, expected_step=step_of(v2))
    services.version_publish(
        acting_user=pw.district_manager, version=DocumentVersion.objects.get(pk=v2.pk)
    )
    with pytest.raises(ConflictError):
        services.version_acknowledge(acting_user=pw.dept_manager, version=v1)
    services.version_acknowledge(acting_user=pw.dept_manager, version=v2)


def test_acknowledgement_is_in_the_trail_with_the_unit(pw):
    _document, version = published_district_plan(pw)
    services.version_acknowledge(acting_user=pw.dept_manager, version=version, comment="已组织学习")
    from approvals.services import request_for

    last = request_for(version).actions.last()
    assert (last.action, last.actor, last.role) == ("acknowledge", pw.dept_manager, "dept_manager")
    assert last.comment == "东一部: 已组织学习"
