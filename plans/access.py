"""Who may read, write and acknowledge documents: decided here only, from org.access.

Reading: everyone whose view scope covers the document's unit, plus those whose view scope
covers a unit a version was published to (they read the published versions, not the drafts).
Authoring (create, edit, submit, publish, new version): district staff over a district for
district documents, the department manager and assistant over a department for department
documents, a system administrator anywhere. Acknowledging: the manager of a target unit.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from org import access
from org.access import Cap
from org.models import Unit, UnitKind

# Documents are authored by the district's or the department's own staff (AUTHOR_PLANS held on
# the unit itself); a document is published to the open units right below its own, and each
# one's manager (LEAD_UNIT held on it) acknowledges it.
AUTHORED_KINDS = (UnitKind.DISTRICT, UnitKind.DEPARTMENT)
TARGET_KIND: dict[str, str] = {
    UnitKind.BRANCH: UnitKind.DISTRICT,
    UnitKind.DISTRICT: UnitKind.DEPARTMENT,
    UnitKind.DEPARTMENT: UnitKind.GROUP,
}
MANAGER_ROLE: dict[str, str] = {
    kind: access.role_holding(Cap.LEAD_UNIT, kind)
    for kind in (UnitKind.DISTRICT, UnitKind.DEPARTMENT, UnitKind.GROUP)
}


def author_role(user, unit: Unit) -> str | None:
    """The role under which the user authors documents of `unit` ("" for a superuser without
    one), or None if they may not."""
    if unit.kind not in AUTHORED_KINDS:
        return None
    return access.acting_role(user, Cap.AUTHOR_PLANS, unit, exact=True)


def can_author(user, unit: Unit) -> bool:
    return author_role(user, unit) is not None


def author_condition(user, lookup: str = "unit") -> Q | None:
    """A filter on `lookup` (a unit; "" for the unit itself) for the units the user authors
    documents of; None when there are none."""
    condition = access.exact_q(user, Cap.AUTHOR_PLANS, via=lookup)
    if condition == access.NOTHING:
        return None
    prefix = f"{lookup}__" if lookup else ""
    return condition & Q(**{f"{prefix}kind__in": AUTHORED_KINDS})


def author_units(user):
    """Open units the user may create documents for."""
    condition = author_condition(user, "")
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.open().filter(condition).order_by("path")


def manager_condition(user, lookup: str = "unit") -> Q | None:
    """A filter on `lookup` for the target units the user manages (acknowledges for)."""
    ids = list(access.held_unit_paths(user, Cap.LEAD_UNIT))
    if not ids:
        return None
    return Q(**{f"{lookup}_id__in": ids, f"{lookup}__kind__in": list(MANAGER_ROLE)})


def manages(user, unit: Unit) -> bool:
    return unit.kind in MANAGER_ROLE and unit.pk in access.held_unit_paths(user, Cap.LEAD_UNIT)


def get_document_for_user(user, pk, write: bool = False):
    """The document if the user may read it (else 404), and only if they author it when
    `write` (else 403)."""
    from plans.models import Document

    documents = Document.objects.select_related("kind", "unit", "created_by")
    document = access.get_object_for_user(documents, user, pk)
    if write and not can_author(user, document.unit):
        raise PermissionDenied(
            _("You may not change documents of %(unit)s.") % {"unit": document.unit}
        )
    return document


def get_version_for_user(user, pk, write: bool = False):
    from plans.models import DocumentVersion

    versions = DocumentVersion.objects.select_related(
        "document__kind", "document__unit", "created_by", "published_by"
    )
    version = access.get_object_for_user(versions, user, pk)
    if write and not can_author(user, version.document.unit):
        raise PermissionDenied(
            _("You may not change documents of %(unit)s.") % {"unit": version.document.unit}
        )
    return version


def get_attachment_for_user(user, pk, write: bool = False):
    from plans.models import Attachment

    attachments = Attachment.objects.select_related("version__document__unit")
    attachment = access.get_object_for_user(attachments, user, pk)
    if write and not can_author(user, attachment.version.document.unit):
        raise PermissionDenied(
            _("You may not change documents of %(unit)s.")
            % {"unit": attachment.version.document.unit}
        )
    return attachment
