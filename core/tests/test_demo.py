"""The demo registry (core/demo.py): apps contribute their parts, core knows none of them."""

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core import demo

ROOT = Path(__file__).resolve().parents[2]


def test_every_installed_app_contributes_in_order():
    names = [part.name for part in demo.contributors()]
    # users before the units they author, roles and holidays once the units exist, then the
    # business areas on top of the organisation
    assert names == [
        "accounts.users",
        "org",
        "accounts.roles",
        "workcalendar",
        "plans.demo",
        "attendance.demo",
        "activity.demo",
        "meetings.demo",
    ]


def test_register_a_function_or_a_contributor_class():
    registry = demo.Registry()
    calls = []

    @registry.register(order=20)
    def seed(*, seed, log):
        calls.append(("function", seed))
        log("function ran")

    @registry.register(order=10, name="first")
    class First(demo.Contributor):
        def seed(self, run):
            calls.append(("class", run.seed))
            run.shared["first"] = True

    assert callable(seed) and isinstance(First, type)  # returned unchanged
    registry.register(order=20)(seed)  # registering again replaces the part
    messages = []
    run = demo.DemoRun(seed=7, log=messages.append)
    parts = registry.contributors()
    assert [(p.name, p.order) for p in parts] == [("first", 10), (seed.__module__, 20)]
    for part in parts:
        part.seed(run)
    assert calls == [("class", 7), ("function", 7)]
    assert run.shared == {"first": True} and messages == ["function ran"]


def test_core_imports_no_business_app():
    business = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    } - {"core"}
    for path in [ROOT / "core/demo.py", ROOT / "core/management/commands/seed_demo.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            assert not {m.split(".")[0] for m in modules} & business, (path, modules)


@pytest.mark.django_db
def test_the_command_asks_every_part_whether_the_demo_exists(monkeypatch):
    registry = demo.Registry()
    seeded = []

    @registry.register(order=1, name="there")
    class There(demo.Contributor):
        def exists(self):
            return "test"

        def seed(self, run):
            seeded.append(run)

    monkeypatch.setattr(demo, "registry", registry)
    monkeypatch.setattr(demo, "contributors", registry.contributors)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert out.getvalue().strip() == "演示数据已存在（test），未做任何改动。"
    assert seeded == []
