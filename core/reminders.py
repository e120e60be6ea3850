"""Deadline reminders. Each module registers a function that lists who should be reminded of
what today; `send_reminders` sends each (person, thing) once, however often it runs."""

from collections.abc import Callable, Iterable
from datetime import date

# A source yields notifications.services.Message objects; core does not import the app.
ReminderSource = Callable[[date], Iterable]
_sources: dict[str, ReminderSource] = {}


def register(name: str):
    def decorator(func: ReminderSource) -> ReminderSource:
        _sources[name] = func
        return func

    return decorator


def sources() -> dict[str, ReminderSource]:
    return dict(_sources)
