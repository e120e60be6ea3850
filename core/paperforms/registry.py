"""The registry of paper forms: every 附件 the system prints, by number and key.

    from core.paperforms import Form, register

    @register(4, gettext_lazy("Department morning meeting acceptance form"), key="visit")
    def acceptance_form(visit) -> Form:
        return Form(unit=visit.department.name, tables=[...])

The decorated function becomes a PaperFormType: calling it builds the Form and fills in the
number and (unless the builder set its own) the name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.paperforms.spec import Form

_REGISTRY: dict[tuple[int, str], "PaperFormType"] = {}


@dataclass(frozen=True)
class PaperFormType:
    number: int
    name: object  # a lazy translation
    key: str
    builder: Callable[..., Form | list[Form]]

    def __call__(self, *args, **kwargs) -> Form | list[Form]:
        built = self.builder(*args, **kwargs)
        for form in built if isinstance(built, list) else [built]:
            form.number = self.number
            form.name = form.name or str(self.name)
        return built

    @property
    def label(self) -> str:
        return f"{self.number}·{self.key}"


def register(number: int, name, *, key: str = "form"):
    """Register the builder of form 附件`number` (variant `key`: a number may have several,
    e.g. the per-visit form and the month's archive of 附件4)."""

    def decorate(builder):
        if (number, key) in _REGISTRY and _REGISTRY[(number, key)].builder is not builder:
            existing = _REGISTRY[(number, key)].builder
            if existing.__qualname__ != builder.__qualname__:
                raise ValueError(f"form {number}/{key} is registered twice")
        form_type = PaperFormType(number=number, name=name, key=key, builder=builder)
        _REGISTRY[(number, key)] = form_type
        return form_type

    return decorate


def registered() -> list[PaperFormType]:
    """Every registered form, by number then key (import the apps' paperforms modules first:
    core.apps does at startup)."""
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def get(number: int, key: str = "form") -> PaperFormType:
    return _REGISTRY[(number, key)]
