from django.utils.translation import gettext as _

from approvals.registry import kind_label
from approvals.selectors import waiting_for
from core.todo import Task, register


@register("approvals")
def approvals_waiting(user):
    return [
        Task(
            module=str(kind_label(request.kind)),
            title=request.title,
            url=request.url,
            since=request.submitted_at,
            what=_("Waiting for my approval (step %(step)s of %(total)s)")
            % {"step": request.step, "total": request.total_steps},
            approval_id=request.pk,
            extra={
                "submitted_by": request.submitted_by,
                "unit": request.unit,
                "step": request.step,
            },
        )
        for request in waiting_for(user)[:200]
    ]
