from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.services import approval_bulk
from core.todo import tasks_for
from org import access, selectors
from org.access import Cap
from org.models import Agent, Unit


@login_required
def index(request):
    """A home page made for the user's role, with the figures of their scope."""
    user = request.user
    today = timezone.localdate()
    context = {"role": access.primary_role(user), "today": today}
    if access.holds(user, Cap.VIEW_ORG):
        # The units the user's roles are held over are the natural roots of their world.
        root_ids = (
            [unit_id for _role, unit_id in access.held_roles(user)]
            if not user.is_superuser
            else []
        )
        roots = (
            Unit.objects.filter(pk__in=root_ids)
            if root_ids
            else Unit.objects.filter(parent__isnull=True)
        )
        roots = list(roots.select_related("parent").order_by("path"))
        # A user with several roles over nested units gets the outermost ones only.
        roots = [
            u
            for u in roots
            if not any(u.path != o.path and u.path.startswith(o.path) for o in roots)
        ]
        agents = Agent.objects.visible_to(request.user)
        context.update(
            {
                "roots": [
                    {
                        "unit": unit,
                        "by_child": selectors.headcount_by_child_unit(unit, agents),
                    }
                    for unit in roots[:3]
                ],
                "summary": selectors.manpower_summary(agents, today.replace(day=1), today),
                "by_rank": selectors.headcount_by_rank(agents),
                "recent_hires": agents.filter(hire_date__gte=today.replace(day=1))
                .select_related("group__parent", "rank")
                .order_by("-hire_date")[:10],
                "roles": [(label, unit) for label, unit in _role_labels(user)],
            }
        )
        return render(request, "home/manager.html", context)
    if access.own_agent_id(user):
        agent = Agent.objects.select_related("group__parent", "rank", "recruiter").get(
            pk=access.own_agent_id(user)
        )
        context.update(
            {
                "agent": agent,
                "group_size": Agent.objects.filter(group_id=agent.group_id)
                .exclude(status="resigned")
                .exclude(pk=agent.pk)
                .count(),
                "recruit_count": agent.recruits.exclude(status="resigned").count(),
            }
        )
        return render(request, "home/agent.html", context)
    context["roles"] = list(_role_labels(user))
    return render(request, "home/other.html", context)


def _role_labels(user):
    from accounts.models import Role

    held = access.held_roles(user)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[unit_id for _role, unit_id in held])}
    for role, unit_id in held:
        yield Role(role).label, units.get(unit_id)


@login_required
def tasks(request):
    """待办: everything waiting for the user across modules, newest first."""
    items = tasks_for(request.user)
    return render(
        request,
        "home/tasks.html",
        {
            "tasks": items,
            "bulk_possible": any(t.approval_id for t in items),
        },
    )


@login_required
@require_POST
def tasks_bulk(request):
    """Approve or return several waiting items at once; each is checked on its own."""
    # Each ticked item is "id:step", the step the user saw; a step that moved on is refused.
    items = []
    for value in request.POST.getlist("approval"):
        pk, _sep, step = value.partition(":")
        if pk.isdigit():
            items.append((int(pk), int(step) if step.isdigit() else None))
    action = request.POST.get("action", "")
    if not items:
        messages.warning(request, _("Tick the items first."))
        return redirect("home:tasks")
    try:
        results = approval_bulk(
            acting_user=request.user,
            items=items,
            decision=action,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("home:tasks")
    done = sum(1 for _r, ok, _m in results if ok)
    if done:
        messages.success(request, _("%(count)s item(s) done.") % {"count": done})
    for request_obj, ok, message in results:
        if not ok:
            messages.error(request, f"{request_obj.title if request_obj else ''}: {message}")
    return redirect("home:tasks")
