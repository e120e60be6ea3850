"""待办 / My tasks: everything waiting for the user, across modules.

Each module registers a provider: a function (user) -> list[Task]. Providers keep to a bounded
number of queries; the page and the navigation count call every provider once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

_providers: dict[str, Callable] = {}


@dataclass
class Task:
    module: str  # label of the module, e.g. "计划与规定"
    title: str
    url: str
    since: datetime | None = None
    what: str = ""  # e.g. "待审批", "待阅"
    approval_id: int | None = None  # set when bulk approve/return applies
    extra: dict = field(default_factory=dict)


def register(name: str):
    def decorator(func):
        _providers[name] = func
        return func

    return decorator


def tasks_for(user) -> list[Task]:
    items: list[Task] = []
    for provider in _providers.values():
        items.extend(provider(user))
    return sorted(items, key=lambda t: t.since.timestamp() if t.since else 0, reverse=True)
