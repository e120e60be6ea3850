"""Access is decided in one place (issue 11 §1): a lint over the source.

Outside the access layer (org/access.py and its private primitives org/scope.py) no module
imports org.scope, touches the scope primitives, or names a role (`Role.X`): it asks
org.access (holds, visible_to, get_*_for_user, holders ...) instead.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", "migrations", "tests", "bench", "static", "locale", ".git"}

# The layer itself.
LAYER = {"org/access.py", "org/scope.py"}
# Modules that may name roles, and why.
ROLE_NAMES_ALLOWED = LAYER | {
    "accounts/models.py",  # defines Role
    "attendance/apps.py",  # approval chains name approvers by role (stored data)
    "plans/kinds.py",  # the same, default chains of document kinds
    "conftest.py",  # test fixtures create role assignments
}
FORBIDDEN_NAMES = {"scope_for", "Scope", "ROLE_CAPABILITIES", "ROLE_PRECEDENCE"}
FORBIDDEN_ATTRIBUTES = {"units_under", "role_units", "assignments", "can_agent"}


def _is_demo(relative: str) -> bool:
    # Demo/seed builders create role assignments on purpose.
    return "demo" in relative or "seed" in relative


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIP_DIRS & set(relative.parts[:-1]):
            continue
        yield relative.as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def violations(relative: str, tree: ast.AST) -> list[str]:
    found = []
    if relative in LAYER:
        return found
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.ImportFrom) and node.module == "org.scope":
            found.append(f"{where} imports org.scope")
        elif isinstance(node, ast.Import) and any(a.name == "org.scope" for a in node.names):
            found.append(f"{where} imports org.scope")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"{where} uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if node.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f"{where} uses .{node.attr}")
            elif (
                isinstance(node.value, ast.Name)
                and node.value.id == "Role"
                and node.attr.isupper()
                and relative not in ROLE_NAMES_ALLOWED
                and not _is_demo(relative)
            ):
                found.append(f"{where} names Role.{node.attr}")
    if _is_demo(relative):  # may build assignments, not read the scope
        found = [f for f in found if "Role." in f]
    return found


def test_only_the_access_layer_touches_the_scope_primitives_or_role_names():
    found = [v for relative, tree in _modules() for v in violations(relative, tree)]
    assert found == []


def test_the_lint_catches_the_old_styles():
    old = ast.parse(
        "from org.scope import Cap, scope_for\n"
        "paths = scope_for(user).paths(Cap.VIEW_ORG)\n"
        "qs = scope.units_under(qs, 'unit__path')\n"
        "ok = role in {Role.DEPT_MANAGER, Role.ASSISTANT}\n"
        "units = [u for r, u, p in scope.assignments]\n"
    )
    found = violations("meetings/selectors/x.py", old)
    assert len(found) == 6
    assert violations("org/access.py", old) == []
