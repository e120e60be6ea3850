"""Reads about documents that need some thought: lists, trails, the acknowledgement board,
version comparison and what a user may do with a version."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals import selectors as approval_selectors
from approvals import services as approvals
from approvals.models import ApprovalRequest
from core.history import history_rows
from org.models import Unit
from plans.access import TARGET_KIND, author_role, manager_condition
from plans.models import (
    EDITABLE_STATES,
    OPEN_STATES,
    Acknowledgement,
    Document,
    DocumentVersion,
    VersionState,
    html_to_lines,
    periods_containing,
)

ACTION_LABELS = {
    "submit": gettext_lazy("Submitted"),
    "approve": gettext_lazy("Approved"),
    "return": gettext_lazy("Returned"),
    "publish": gettext_lazy("Published"),
    "acknowledge": gettext_lazy("Acknowledged"),
}


def publication_targets(unit: Unit):
    """The open units right below `unit` that a document of it is published to."""
    kind = TARGET_KIND.get(unit.kind)
    if kind is None:
        return Unit.objects.none()
    return Unit.objects.open().filter(parent=unit, kind=kind).order_by("path")


def parse_period(value: str) -> Q | None:
    """ "2026" (the year's documents), "2026-03" or "2026-Q1" (documents whose period contains
    that month or quarter's first day); None if unreadable."""
    value = (value or "").strip()
    if match := re.fullmatch(r"(\d{4})", value):
        return Q(period_start__year=int(match[1]))
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        month = int(match[2])
        return periods_containing(date(int(match[1]), month, 1)) if 1 <= month <= 12 else None
    if match := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
        return periods_containing(date(int(match[1]), 3 * int(match[2]) - 2, 1))
    return None


def document_list(user, *, unit: Unit | None = None, kind=None, period: str = ""):
    """Documents the user may read, filtered, with their latest visible version and the
    acknowledgement count of the version in force (one query)."""
    documents = Document.objects.visible_to(user).select_related("kind", "unit")
    if unit is not None:
        documents = documents.filter(unit__path__startswith=unit.path)
    if kind is not None:
        documents = documents.filter(kind=kind)
    if period:
        condition = parse_period(period)
        documents = documents.filter(condition) if condition is not None else documents.none()
    latest = (
        DocumentVersion.objects.visible_to(user).filter(document=OuterRef("pk")).order_by("-number")
    )
    acknowledgements = Acknowledgement.objects.filter(
        version__document=OuterRef("pk"), version__state=VersionState.PUBLISHED
    ).values("version__document")

    def count(queryset):
        return Coalesce(
            Subquery(queryset.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
            Value(0),
        )

    return documents.annotate(
        latest_version_id=Subquery(latest.values("pk")[:1]),
        latest_number=Subquery(latest.values("number")[:1]),
        latest_state=Subquery(latest.values("state")[:1]),
        targets_total=count(acknowledgements),
        targets_acknowledged=count(acknowledgements.filter(at__isnull=False)),
    ).order_by("-period_start", "unit__path", "kind__name")


def document_versions(user, document: Document) -> list[DocumentVersion]:
    return list(
        DocumentVersion.objects.visible_to(user)
        .filter(document=document)
        .select_related("created_by", "published_by")
        .order_by("-number")
    )


def approval_trail(request: ApprovalRequest | None) -> list[dict]:
    """Who did what, as which role, when, with which comment."""
    return [
        {
            "action": entry.action,
            "action_display": ACTION_LABELS.get(entry.action, entry.action),
            "step": entry.step,
            "actor": entry.actor,
            "role": entry.role,
            "role_display": entry.get_role_display() if entry.role else "",
            "comment": entry.comment,
            "at": entry.at,
        }
        for entry in approval_selectors.trail(request)
    ]


@dataclass
class Board:
    rows: list[Acknowledgement] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def acknowledged(self) -> int:
        return sum(1 for row in self.rows if row.at is not None)

    @property
    def pending(self) -> int:
        return self.total - self.acknowledged


def acknowledgement_board(version: DocumentVersion) -> Board:
    """Each unit the version was published to: acknowledged by whom and when, or pending."""
    return Board(
        list(
            Acknowledgement.objects.filter(version=version)
            .select_related("unit", "user")
            .order_by("unit__path")
        )
    )


def version_history(version: DocumentVersion) -> list[dict]:
    """The version's change history; the text shows as a short excerpt (compare versions for
    the full difference)."""
    body_label = DocumentVersion._meta.get_field("body").verbose_name
    rows = history_rows(version)
    for row in rows:
        for change in row["changes"]:
            if change["field"] == body_label:
                for side in ("old", "new"):
                    text = " ".join(html_to_lines(str(change[side])))
                    change[side] = (text[:40] + "…") if len(text) > 40 else (text or "—")
    return rows


@dataclass
class Actions:
    """What the user may do with a version now (the services check again)."""

    edit: bool = False
    submit: bool = False
    approve: bool = False  # approve or return the current step
    step: int = 0
    publish: bool = False
    acknowledge: list[Acknowledgement] = field(default_factory=list)
    new_version: bool = False

    @property
    def any(self) -> bool:
        return any(
            [self.edit, self.submit, self.approve, self.publish, self.acknowledge, self.new_version]
        )


def available_actions(
    user,
    version: DocumentVersion,
    *,
    versions: list[DocumentVersion],
    request: ApprovalRequest | None,
    board: Board,
) -> Actions:
    is_author = author_role(user, version.document.unit) is not None
    actions = Actions()
    if is_author:
        actions.edit = actions.submit = version.state in EDITABLE_STATES
        actions.publish = version.state == VersionState.APPROVED
        actions.new_version = version.state == VersionState.PUBLISHED and not any(
            v.state in OPEN_STATES for v in versions
        )
    if request is not None and approvals.can_act(user, request):
        actions.approve, actions.step = True, request.step
    if version.state == VersionState.PUBLISHED and board.pending:
        condition = manager_condition(user, "unit")
        if condition is not None:
            mine = set(
                Acknowledgement.objects.filter(condition, version=version).values_list(
                    "pk", flat=True
                )
            )
            actions.acknowledge = [r for r in board.rows if r.pk in mine and r.at is None]
    return actions


def compare_table(a: DocumentVersion, b: DocumentVersion) -> str:
    """A side-by-side difference of two versions' text, as an HTML table marked up for
    Bootstrap (difflib escapes the text)."""
    table = difflib.HtmlDiff(tabsize=4).make_table(
        [a.title, *html_to_lines(a.body)],
        [b.title, *html_to_lines(b.body)],
        fromdesc=_("Version %(number)s") % {"number": a.number},
        todesc=_("Version %(number)s") % {"number": b.number},
    )
    table = re.sub(r'<t([hd]) class="diff_next"[^>]*>.*?</t\1>', "", table)
    table = re.sub(r"<colgroup></colgroup>\s*", "", table)
    table = re.sub(
        r'<table class="diff"[^>]*>', '<table class="table table-sm diff-table mb-0">', table
    )
    replacements = [
        ('<th colspan="2" class="diff_header">', '<th colspan="2" class="w-50">'),
        ('class="diff_header"', 'class="text-muted small text-end"'),
        ('<td nowrap="nowrap">', '<td class="text-break">'),
        ('class="diff_add"', 'class="bg-success-subtle"'),
        ('class="diff_chg"', 'class="bg-warning-subtle"'),
        ('class="diff_sub"', 'class="bg-danger-subtle text-decoration-line-through"'),
        ("&nbsp;", " "),
    ]
    for old, new in replacements:
        table = table.replace(old, new)
    return table
