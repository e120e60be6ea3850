"""My-tasks items of plans and regulations (approvals waiting for me come from approvals)."""

from django.utils.translation import gettext as _

from core.todo import Task, register
from plans.access import author_condition, manager_condition
from plans.models import Acknowledgement, DocumentVersion, VersionState

LIMIT = 200


@register("plans")
def plan_tasks(user) -> list[Task]:
    """Acknowledgements pending for units I manage; returned versions and drafts with a due
    date of units I write documents for (three queries at most)."""
    module = _("Plans and regulations")
    tasks = []
    managed = manager_condition(user, "unit")
    if managed is not None:
        pending = (
            Acknowledgement.objects.filter(
                managed, at__isnull=True, version__state=VersionState.PUBLISHED
            )
            .select_related("unit", "version__document__unit")
            .order_by("-version__published_at")[:LIMIT]
        )
        tasks += [
            Task(
                module=module,
                title=f"{row.version.document.unit} · {row.version.title}",
                url=row.version.get_absolute_url(),
                since=row.version.published_at,
                what=_("To acknowledge for %(unit)s") % {"unit": row.unit},
            )
            for row in pending
        ]
    authored = author_condition(user, "document__unit")
    if authored is not None:
        versions = (
            DocumentVersion.objects.filter(authored)
            .filter(
                state__in=[VersionState.RETURNED, VersionState.DRAFT],
            )
            .exclude(state=VersionState.DRAFT, document__due_date__isnull=True)
            .select_related("document__unit")
            .order_by("document__due_date", "-created_at")[:LIMIT]
        )
        for version in versions:
            if version.state == VersionState.RETURNED:
                what = _("Returned: correct and resubmit")
            else:
                what = _("Draft due on %(date)s") % {
                    "date": f"{version.document.due_date:%Y-%m-%d}"
                }
            tasks.append(
                Task(
                    module=module,
                    title=f"{version.document.unit} · {version.title}",
                    url=version.get_absolute_url(),
                    since=version.created_at,
                    what=what,
                )
            )
    return tasks
