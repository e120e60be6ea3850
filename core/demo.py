"""The demo-data registry behind `manage.py seed_demo`.

Each app contributes its part of the demo in its own `demo` module (or package), which
registers itself here; `contributors()` imports the `demo` module of every installed app
(autodiscovery) and returns the parts in their order. core knows no app: what one part leaves
for a later one (the plan, the demo users, the new units) travels in `DemoRun.shared`.

Two ways to contribute, both with `register(order=N)`:
- on a plain `seed(*, seed, log)` function, for a part that finds what it builds on in the
  database (most apps; their tests call the function directly);
- on a `Contributor` subclass, for a part that adds command options, tells whether the demo is
  there already, plans before the transaction, shares objects with later parts or reports.
Parts run in increasing `order` (then by name), all inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SEED = 2026


@dataclass
class DemoRun:
    """One `seed_demo` run, handed to every contributor."""

    seed: int
    log: Callable[[str], None]
    options: dict[str, Any] = field(default_factory=dict)  # the command's options
    shared: dict[str, Any] = field(default_factory=dict)  # left by one part for later ones
    seconds: float = 0.0  # the whole run, set before `report`


class Contributor:
    """One app's part of the demo. Override what the part needs; `seed` at least."""

    name = ""
    order = 0

    def add_arguments(self, parser) -> None:
        """Add the command options this part reads (from `run.options`)."""

    def exists(self) -> str | None:
        """What shows the demo is there already (the command then changes nothing), or None."""
        return None

    def prepare(self, run: DemoRun) -> None:
        """Check the options and plan in memory, before anything is written (raise
        CommandError to refuse)."""

    def seed(self, run: DemoRun) -> None:
        raise NotImplementedError

    def tables(self) -> list[str]:
        """Tables bulk-loaded by this part, to ANALYZE afterwards."""
        return []

    def report(self, run: DemoRun) -> str | None:
        """The line the command prints when done, if this part gives it."""
        return None


class FunctionContributor(Contributor):
    """A part that is just a `seed(*, seed, log)` function."""

    def __init__(self, function: Callable[..., None], *, name: str, order: int):
        self.function = function
        self.name = name
        self.order = order

    def seed(self, run: DemoRun) -> None:
        self.function(seed=run.seed, log=run.log)


class Registry:
    def __init__(self):
        self._parts: dict[str, Contributor] = {}

    def register(self, order: int, *, name: str | None = None):
        """Decorator for a `seed(*, seed, log)` function or a `Contributor` subclass; returns
        what it decorates unchanged. Registering the same name again replaces the part."""

        def decorator(target):
            if isinstance(target, type) and issubclass(target, Contributor):
                part = target()
                part.order = order
                part.name = name or part.name or f"{target.__module__}.{target.__name__}"
            else:
                part = FunctionContributor(target, name=name or target.__module__, order=order)
            self._parts[part.name] = part
            return target

        return decorator

    def contributors(self) -> list[Contributor]:
        return sorted(self._parts.values(), key=lambda part: (part.order, part.name))


registry = Registry()
register = registry.register


def contributors() -> list[Contributor]:
    """Every installed app's demo parts, in order (importing the apps' `demo` modules)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return registry.contributors()
