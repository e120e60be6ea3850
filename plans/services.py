"""Documents, versions and their flow (§9): draft → submitted → approved or returned → published.

Each function is one transaction with its audit trail (django-simple-history on documents and
versions, the approval trail for transitions) and is called alike by pages, the API, commands
and tests. Transitions lock the version row and check its state, and say clearly when the state
moved on (ConflictError). Approve and return go through approvals.services.decide, which locks
the approval request; its hooks then set the version's state.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from approvals import services as approvals
from approvals.models import ApprovalRequest, Decision
from core.exceptions import ConflictError
from core.versioning import check_version, claim_version
from notifications.models import NotificationKind
from notifications.services import notify
from org.models import Unit
from plans.access import MANAGER_ROLE, author_role, manager_condition
from plans.models import (
    EDITABLE_STATES,
    OPEN_STATES,
    Acknowledgement,
    Attachment,
    Document,
    DocumentKind,
    DocumentVersion,
    VersionState,
    period_label,
    period_start_of,
    sanitize_html,
)
from plans.selectors import publication_targets

_UNSET = object()


def _stamp(instance, acting_user, reason: str = ""):
    """Tell django-simple-history who made the change and why."""
    instance._history_user = acting_user
    if reason:
        instance._change_reason = reason


def _require_author(acting_user, unit: Unit) -> str:
    role = author_role(acting_user, unit)
    if role is None:
        raise PermissionDenied(_("You may not change documents of %(unit)s.") % {"unit": unit})
    return role


def _lock(version: DocumentVersion) -> DocumentVersion:
    return (
        DocumentVersion.objects.select_for_update(of=("self",))
        .select_related("document__kind", "document__unit", "published_by")
        .get(pk=version.pk)
    )


def _state_conflict(version: DocumentVersion) -> ConflictError:
    messages = {
        VersionState.SUBMITTED: _(
            "Version %(number)s is already submitted and waiting for approval."
        ),
        VersionState.APPROVED: _("Version %(number)s is already approved; it can be published."),
        VersionState.PUBLISHED: _("Version %(number)s was already published by %(user)s."),
        VersionState.SUPERSEDED: _("Version %(number)s has been replaced by a newer one."),
        VersionState.RETURNED: _("Version %(number)s was returned; correct and resubmit it."),
        VersionState.DRAFT: _("Version %(number)s is a draft; it has to be submitted first."),
    }
    return ConflictError(
        messages[version.state]
        % {"number": version.number, "user": version.published_by or _("someone else")}
    )


def _require_editable(version: DocumentVersion) -> None:
    if version.state in {VersionState.PUBLISHED, VersionState.SUPERSEDED}:
        raise ConflictError(_("Published documents cannot be edited; start a new version."))
    if version.state not in EDITABLE_STATES:
        raise _state_conflict(version)


def _request(version: DocumentVersion) -> ApprovalRequest:
    return approvals.pending_request(
        version, _("This version has not been submitted for approval.")
    )


def _approval_title(version: DocumentVersion) -> str:
    unit = str(version.document.unit)
    title = version.title if unit in version.title else f"{unit} · {version.title}"
    return f"{title} (v{version.number})"


# -- documents and versions -----------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    acting_user,
    kind: DocumentKind,
    unit: Unit,
    period_start: date,
    period_type: str | None = None,
    title: str = "",
    due_date: date | None = None,
    body: str = "",
    effective_date: date | None = None,
) -> Document:
    """A new document of `unit` for the period containing `period_start`, with version 1 as
    its draft."""
    _require_author(acting_user, unit)
    if not kind.active:
        raise ValidationError({"kind": _("This kind of document is no longer in use.")})
    if unit.kind != kind.unit_kind:
        raise ValidationError(
            {
                "unit": _("%(kind)s is a document of a %(unit_kind)s.")
                % {"kind": kind.name, "unit_kind": kind.get_unit_kind_display()}
            }
        )
    if not unit.is_open:
        raise ValidationError({"unit": _("%(unit)s is closed.") % {"unit": unit}})
    period_type = period_type or kind.default_period_type
    start = period_start_of(period_type, period_start)
    label = period_label(period_type, start)
    duplicate = _("%(unit)s already has a %(kind)s for %(period)s.") % {
        "unit": unit,
        "kind": kind.name,
        "period": label,
    }
    if Document.objects.filter(kind=kind, unit=unit, period_start=start).exists():
        raise ValidationError({"period_start": duplicate})
    title = (title or "").strip() or f"{unit.name} {label} {kind.name}"
    document = Document(
        kind=kind,
        unit=unit,
        period_type=period_type,
        period_start=start,
        title=title[:200],
        due_date=due_date,
        created_by=acting_user,
    )
    _stamp(document, acting_user)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:  # created by someone else a moment ago
        raise ValidationError({"period_start": duplicate}) from None
    version = DocumentVersion(
        document=document,
        number=1,
        title=document.title,
        body=sanitize_html(body),
        effective_date=effective_date,
        created_by=acting_user,
    )
    _stamp(version, acting_user)
    version.save()
    return document


@transaction.atomic
def version_update(
    *,
    acting_user,
    version: DocumentVersion,
    title: str | None = None,
    body: str | None = None,
    effective_date=_UNSET,
    base_version: int | None = None,
) -> DocumentVersion:
    """Edit a draft or returned version; anything else has to go through its flow. An edit on
    a stale `base_version` (the record's version it was based on) is refused."""
    _require_author(acting_user, version.document.unit)
    version = _lock(version)
    _require_editable(version)
    check_version(version, base_version)
    fields = []
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("A title is required.")})
        version.title = title[:200]
        fields.append("title")
    if body is not None:
        version.body = sanitize_html(body)
        fields.append("body")
    if effective_date is not _UNSET:
        version.effective_date = effective_date
        fields.append("effective_date")
    if fields:
        claim_version(version, base_version)
        _stamp(version, acting_user)
        version.save(update_fields=fields)
    return version


def validate_upload(file) -> None:
    Attachment.check_upload(file)


@transaction.atomic
def attachment_add(*, acting_user, version: DocumentVersion, file) -> Attachment:
    _require_author(acting_user, version.document.unit)
    version = _lock(version)
    _require_editable(version)
    attachment = Attachment.from_upload(file, uploaded_by=acting_user, version=version)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, acting_user, attachment: Attachment) -> None:
    """Take an attachment off an editable version (the file stays: older versions may share
    it)."""
    _require_author(acting_user, attachment.version.document.unit)
    _require_editable(_lock(attachment.version))
    attachment.mark_removed(acting_user)


@transaction.atomic
def version_new(*, acting_user, document: Document) -> DocumentVersion:
    """Start the next version as a draft copy of the published one; the published version stays
    in force and readable until the new one is published."""
    _require_author(acting_user, document.unit)
    document = Document.objects.select_for_update().get(pk=document.pk)
    versions = list(document.versions.prefetch_related("attachments").order_by("-number"))
    unfinished = next((v for v in versions if v.state in OPEN_STATES), None)
    if unfinished is not None:
        raise ConflictError(
            _("Version %(number)s is still open (%(state)s); finish it before starting another.")
            % {"number": unfinished.number, "state": unfinished.get_state_display()}
        )
    published = next((v for v in versions if v.state == VersionState.PUBLISHED), None)
    if published is None:
        raise ConflictError(_("Only a published document can get a new version."))
    version = DocumentVersion(
        document=document,
        number=versions[0].number + 1,
        title=published.title,
        body=published.body,
        effective_date=published.effective_date,
        created_by=acting_user,
    )
    _stamp(version, acting_user)
    version.save()
    Attachment.objects.bulk_create(
        Attachment(
            version=version,
            file=old.file.name,
            original_name=old.original_name,
            size=old.size,
            content_type=old.content_type,
            uploaded_by_id=old.uploaded_by_id,
        )
        for old in published.attachments.all()
    )
    return version


# -- the flow -----------------------------------------------------------------------------------


@transaction.atomic
def version_submit(*, acting_user, version: DocumentVersion, comment: str = "") -> ApprovalRequest:
    """Send a draft (or a corrected returned version) to the first approver of its chain."""
    _require_author(acting_user, version.document.unit)
    version = _lock(version)
    if version.state not in EDITABLE_STATES:
        raise _state_conflict(version)
    if not version.body.strip() and not version.attachments.exists():
        raise ValidationError({"body": _("Write the text or attach a file before submitting.")})
    request = approvals.approval_submit(
        acting_user=acting_user,
        subject=version,
        kind=version.document.kind.approval_kind,
        unit=version.document.unit,
        title=_approval_title(version),
        url=version.get_absolute_url(),
        comment=(comment or "").strip(),
    )
    _set_state(version, VersionState.SUBMITTED, acting_user)
    return request


def version_approve(
    *, acting_user, version: DocumentVersion, expected_step: int | None, comment: str = ""
) -> ApprovalRequest:
    """Approve the step the approver saw (the last step approves the version: see
    on_version_approved)."""
    return approvals.decide(
        acting_user=acting_user,
        request=_request(version),
        decision=Decision.APPROVE,
        expected_step=expected_step,
        comment=comment,
    )


def version_return(
    *, acting_user, version: DocumentVersion, comment: str, expected_step: int | None
) -> ApprovalRequest:
    """Return the version to its authors with the reason; they correct and resubmit it."""
    return approvals.decide(
        acting_user=acting_user,
        request=_request(version),
        decision=Decision.RETURN,
        expected_step=expected_step,
        comment=comment,
    )


def _set_state(version: DocumentVersion, state: str, acting_user) -> None:
    """Every move of the flow (submit, approve, return, publish, supersede) is a new version of
    the record, so an edit based on the version before it is refused as stale."""
    claim_version(version, None)
    version.state = state
    _stamp(version, acting_user)
    version.save(update_fields=["state"])


def on_version_approved(version: DocumentVersion, acting_user) -> None:
    """Hook of the approval flow (registered in apps.py): the last step approved it."""
    _set_state(version, VersionState.APPROVED, acting_user)


def on_version_returned(version: DocumentVersion, acting_user) -> None:
    _set_state(version, VersionState.RETURNED, acting_user)


@transaction.atomic
def version_publish(*, acting_user, version: DocumentVersion, comment: str = "") -> DocumentVersion:
    """Publish an approved version to the units below: it replaces the version in force, and
    each target unit's manager is notified and asked to acknowledge it."""
    role = _require_author(acting_user, version.document.unit)
    version = _lock(version)
    if version.state != VersionState.APPROVED:
        raise _state_conflict(version)
    document = version.document
    for old in DocumentVersion.objects.select_for_update().filter(
        document=document, state=VersionState.PUBLISHED
    ):
        _set_state(old, VersionState.SUPERSEDED, acting_user)
    claim_version(version, None)
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = acting_user
    _stamp(version, acting_user)
    version.save(update_fields=["state", "published_at", "published_by"])
    targets = list(publication_targets(document.unit))
    Acknowledgement.objects.bulk_create(Acknowledgement(version=version, unit=u) for u in targets)
    approvals.approval_record(
        acting_user=acting_user,
        request=_request(version),
        action="publish",
        comment=(comment or "").strip(),
        role=role,
    )
    notify(
        recipients=target_managers(targets),
        kind=NotificationKind.PUBLISHED,
        title=_("Published to your unit: %(title)s") % {"title": _approval_title(version)},
        url=version.get_absolute_url(),
        body=(comment or "").strip(),
        dedupe_key=f"plans:published:{version.pk}",
    )
    return version


def target_managers(units) -> list[int]:
    """Ids of the active users who manage the given target units (one query)."""
    by_role: dict[str, list[int]] = {}
    for unit in units:
        by_role.setdefault(MANAGER_ROLE[unit.kind], []).append(unit.pk)
    if not by_role:
        return []
    condition = Q()
    for role, unit_ids in by_role.items():
        condition |= Q(role=role, unit_id__in=unit_ids)
    return sorted(
        set(
            RoleAssignment.objects.current()
            .filter(condition, user__is_active=True)
            .values_list("user_id", flat=True)
        )
    )


@transaction.atomic
def version_acknowledge(
    *, acting_user, version: DocumentVersion, unit: Unit | None = None, comment: str = ""
) -> list[Acknowledgement]:
    """已阅: the manager of a unit the version was published to confirms having read it (for
    `unit`, or for every target unit they manage that has not yet)."""
    condition = manager_condition(acting_user, "unit")
    refused = PermissionDenied(
        _("Only the manager of a unit this was published to can acknowledge it.")
    )
    if condition is None:
        raise refused
    rows = (
        Acknowledgement.objects.select_for_update(of=("self",))
        .select_related("unit", "user")
        .filter(condition, version=version)
    )
    if unit is not None:
        rows = rows.filter(unit=unit)
    rows = list(rows)
    if not rows:
        raise refused
    version = DocumentVersion.objects.get(pk=version.pk)
    if version.state == VersionState.SUPERSEDED:
        raise ConflictError(_("A newer version has been published; acknowledge that one."))
    pending = [row for row in rows if row.at is None]
    if not pending:
        done = rows[0]
        raise ConflictError(
            _("%(unit)s already acknowledged it (%(user)s, %(at)s).")
            % {
                "unit": done.unit,
                "user": done.user,
                "at": timezone.localtime(done.at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    now = timezone.now()
    request = _request(version)
    for row in pending:
        row.user, row.at = acting_user, now
        row.save(update_fields=["user", "at"])
        note = f"{row.unit}" + (f": {comment.strip()}" if (comment or "").strip() else "")
        approvals.approval_record(
            acting_user=acting_user,
            request=request,
            action="acknowledge",
            comment=note,
            role=MANAGER_ROLE[row.unit.kind],
        )
    return pending
