"""User-facing text in Python goes through gettext with an English msgid; the Chinese lives in
locale/zh_Hans/LC_MESSAGES/django.po. So no Python module may hold a Chinese string literal,
outside comments and docstrings, except the few that are data, listed below with the reason.

Tests, migrations, demo data and the bench scripts are not scanned (their Chinese is sample data).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")
SKIPPED_DIRS = {".venv", "node_modules", "tests", "migrations", "bench", "staticfiles"}


def _seeded_checklist() -> set[str]:
    from meetings.models.inspections import DEFAULT_CHECKLIST

    return {title for title, _weight in DEFAULT_CHECKLIST}


def _seeded_flow_template() -> set[str]:
    from meetings.services.templates import ATTACHMENT_1, DEFAULT_TEMPLATE_NAME

    texts = {DEFAULT_TEMPLATE_NAME}
    for section, items in ATTACHMENT_1:
        texts.add(section)
        texts.update(title for title, _required, _minutes in items)
    return texts


# path: (the literals allowed there, or None for the whole file; why they are not gettext).
ALLOWED = {
    # To be removed once the imports use the one import framework (issue 11 §3).
    "org/exports.py": (
        None,
        "roster sheet headers and labels: being moved to the import framework",
    ),
    "org/imports/roster.py": (None, "roster import headers: being moved to the import framework"),
    "attendance/importer.py": (None, "attendance import headers: being moved to the framework"),
    "activity/importer.py": (None, "work log import headers: being moved to the import framework"),
    # Data, not UI text.
    "accounts/models.py": ({"简体中文"}, "a language's name is written in that language"),
    "config/settings.py": (
        {
            "简体中文",
            "营业区日常管理系统 API",
            "营业区日常管理系统 — Sales district daily management system",
        },
        "a language's name in that language; the product's name in the API schema",
    ),
    "attendance/selectors.py": (
        {"迟", "假", "旷"},
        "the month grid's notation, the same in every language: the importer reads it back",
    ),
    "core/xlsx.py": (
        {r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"},
        "reads dates written 2026年3月2日 in uploaded files",
    ),
    "meetings/models/inspections.py": (
        _seeded_checklist,
        "the default checklist is copied into each district's own editable rows",
    ),
    "meetings/services/templates.py": (
        _seeded_flow_template,
        "the 附件1 wording is copied into each district's own editable template",
    ),
}


def _scanned_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        parts = relative.parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        if relative.name == "conftest.py" or any("demo" in part for part in parts):
            continue
        yield relative.as_posix(), path


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string constant with Chinese that is not a docstring or a bare
    string statement; f-strings count by their literal parts."""
    tree = ast.parse(source)
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in bare
        and HAN.search(node.value)
    ]


def test_the_scanner_skips_comments_and_docstrings_but_not_literals():
    source = (
        '"""模块说明"""\n'
        "# 注释\n"
        "def f(name):\n"
        '    """函数说明"""\n'
        '    label = "姓名"\n'
        '    return f"{name}：合计"\n'
    )
    assert chinese_literals(source) == [(5, "姓名"), (6, "：合计")]


def test_no_chinese_string_literals_outside_gettext_catalogue():
    found = []
    for relative, path in _scanned_modules():
        allowed, _reason = ALLOWED.get(relative, (set(), ""))
        if allowed is None:
            continue
        if callable(allowed):
            allowed = allowed()
        found.extend(
            f"{relative}:{line}: {text!r}"
            for line, text in chinese_literals(path.read_text(encoding="utf-8"))
            if text not in allowed
        )
    assert not found, (
        "Chinese string literals in Python: write an English msgid in gettext and the Chinese "
        "in locale/zh_Hans/LC_MESSAGES/django.po (or, if it is data, allow it here with the "
        "reason):\n" + "\n".join(found)
    )


def test_every_allowed_file_still_exists():
    missing = [relative for relative in ALLOWED if not (ROOT / relative).exists()]
    assert not missing, f"remove these from ALLOWED: {missing}"
