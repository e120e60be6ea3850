"""Who may read, write and acknowledge documents: decided here only, from org.scope's scope.

Reading: everyone whose view scope covers the document's unit, plus those whose view scope
covers a unit a version was published to (they read the published versions, not the drafts).
Authoring (create, edit, submit, publish, new version): district staff over a district for
district documents, the department manager and assistant over a department for department
documents, a system administrator anywhere. Acknowledging: the manager of a target unit.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role
from org.models import Unit, UnitKind
from org.access import scope_for

AUTHOR_ROLES: dict[str, set[str]] = {
    UnitKind.DISTRICT: {Role.DISTRICT_MANAGER, Role.TRAINER, Role.DISTRICT_ADMIN},
    UnitKind.DEPARTMENT: {Role.DEPT_MANAGER, Role.ASSISTANT},
}
# A document is published to the open units right below its own; each one's manager reads it.
MANAGER_ROLE: dict[str, str] = {
    UnitKind.DISTRICT: Role.DISTRICT_MANAGER,
    UnitKind.DEPARTMENT: Role.DEPT_MANAGER,
    UnitKind.GROUP: Role.SUPERVISOR,
}
TARGET_KIND: dict[str, str] = {
    UnitKind.BRANCH: UnitKind.DISTRICT,
    UnitKind.DISTRICT: UnitKind.DEPARTMENT,
    UnitKind.DEPARTMENT: UnitKind.GROUP,
}


def _authored_kinds(role: str) -> list[str]:
    if role == Role.SYSTEM_ADMIN:
        return list(AUTHOR_ROLES)
    return [kind for kind, roles in AUTHOR_ROLES.items() if role in roles]


def author_role(user, unit: Unit) -> str | None:
    """The role under which the user authors documents of `unit` ("" for a superuser without
    one), or None if they may not."""
    scope = scope_for(user)
    for role, _unit_id, path in scope.assignments:
        if unit.kind in _authored_kinds(role) and unit.path.startswith(path):
            return role
    return "" if scope.is_superuser else None


def can_author(user, unit: Unit) -> bool:
    return author_role(user, unit) is not None


def author_condition(user, lookup: str = "unit") -> Q | None:
    """A filter on `lookup` (a unit; "" for the unit itself) for the units the user authors
    documents of; None when there are none."""
    scope = scope_for(user)
    prefix = f"{lookup}__" if lookup else ""
    if scope.is_superuser:
        return Q(**{f"{prefix}kind__in": list(AUTHOR_ROLES)})
    condition = None
    for role, _unit_id, path in scope.assignments:
        kinds = _authored_kinds(role)
        if kinds:
            part = Q(**{f"{prefix}path__startswith": path, f"{prefix}kind__in": kinds})
            condition = part if condition is None else condition | part
    return condition


def author_units(user):
    """Open units the user may create documents for."""
    condition = author_condition(user, "")
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.open().filter(condition).order_by("path")


def manager_condition(user, lookup: str = "unit") -> Q | None:
    """A filter on `lookup` for the target units the user manages (acknowledges for)."""
    condition = None
    for role, unit_id, _path in scope_for(user).assignments:
        kinds = [kind for kind, manager in MANAGER_ROLE.items() if manager == role]
        if kinds:
            part = Q(**{f"{lookup}_id": unit_id, f"{lookup}__kind__in": kinds})
            condition = part if condition is None else condition | part
    return condition


def manages(user, unit: Unit) -> bool:
    role = MANAGER_ROLE.get(unit.kind)
    return any(
        r == role and unit_id == unit.pk for r, unit_id, _path in scope_for(user).assignments
    )


def get_document_for_user(user, pk, write: bool = False):
    """The document if the user may read it (else 404), and only if they author it when
    `write` (else 403)."""
    from plans.models import Document

    try:
        document = (
            Document.objects.visible_to(user)
            .select_related("kind", "unit", "created_by")
            .get(pk=pk)
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_author(user, document.unit):
        raise PermissionDenied(
            _("You may not change documents of %(unit)s.") % {"unit": document.unit}
        )
    return document


def get_version_for_user(user, pk, write: bool = False):
    from plans.models import DocumentVersion

    try:
        version = (
            DocumentVersion.objects.visible_to(user)
            .select_related("document__kind", "document__unit", "created_by", "published_by")
            .get(pk=pk)
        )
    except (DocumentVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_author(user, version.document.unit):
        raise PermissionDenied(
            _("You may not change documents of %(unit)s.") % {"unit": version.document.unit}
        )
    return version


def get_attachment_for_user(user, pk, write: bool = False):
    from plans.models import Attachment

    try:
        attachment = Attachment.objects.select_related("version__document__unit").get(
            pk=pk, version__in=_visible_version_ids(user)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_author(user, attachment.version.document.unit):
        raise PermissionDenied(
            _("You may not change documents of %(unit)s.")
            % {"unit": attachment.version.document.unit}
        )
    return attachment


def _visible_version_ids(user):
    from plans.models import DocumentVersion

    return DocumentVersion.objects.visible_to(user).values("pk")
