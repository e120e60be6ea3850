"""Kinds of records that go through the approval flow. A module registers its kinds with the
default chain (used until an administrator configures another) and its hooks."""

from collections.abc import Callable
from dataclasses import dataclass, field

_kinds: dict[str, "ApprovalKind"] = {}


def _noop(subject, acting_user):
    return None


@dataclass(frozen=True)
class ApprovalKind:
    code: str
    label: object  # a lazy translation, or a function of the code for a family of kinds
    # [(role, unit kind the role is held over), ...] in order
    default_levels: list[tuple[str, str]] = field(default_factory=list)
    on_approved: Callable = _noop
    on_returned: Callable = _noop
    # For a family ("document"): the codes and labels of its members, for the admin's choices.
    members: Callable[[], list[tuple[str, str]]] | None = None


def register(kind: ApprovalKind) -> ApprovalKind:
    _kinds[kind.code] = kind
    return kind


def get(code: str) -> ApprovalKind:
    """The kind registered as `code`, or its family: "document.district_plan" falls back to
    "document", so data-defined kinds (added by an administrator) share their family's hooks."""
    if code in _kinds:
        return _kinds[code]
    return _kinds[code.split(".", 1)[0]]


def kinds() -> dict[str, ApprovalKind]:
    return dict(_kinds)


def kind_choices() -> list[tuple[str, str]]:
    """Every code an approval chain can be configured for."""
    choices = []
    for kind in _kinds.values():
        if kind.members is not None:
            choices.extend(kind.members())
        else:
            choices.append((kind.code, str(kind.label)))
    return choices


def kind_label(code: str):
    try:
        kind = get(code)
    except KeyError:
        return code
    return kind.label(code) if callable(kind.label) else kind.label
