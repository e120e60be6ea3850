from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.history import history_rows
from core.versioning import StaleVersion
from org import access, selectors
from org.access import Cap, get_agent_for_user, require
from org.forms.agents import AgentForm, RankChangeForm, TransferForm
from org.forms.filters import AgentFilter
from org.models import Agent, AgentRankChange, AgentTransfer, Rank, Unit, UnitKind
from org.services import agents as agent_services

PAGE_SIZE = 50


@login_required
def agent_list(request):
    require(request.user, Cap.VIEW_ORG)
    queryset = Agent.objects.visible_to(request.user).select_related("group__parent", "rank")
    agent_filter = AgentFilter(request.GET or None, queryset=queryset, user=request.user)
    agents = agent_filter.qs if agent_filter.is_bound else queryset
    if not agent_filter.is_bound or not request.GET.get("ordering"):
        agents = agents.order_by("code")
    page = Paginator(agents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": agent_filter
        if agent_filter.is_bound
        else AgentFilter(queryset=queryset, user=request.user),
        "page": page,
        "query": query.urlencode(),
        "can_edit": access.holds(request.user, Cap.EDIT_AGENTS),
        "can_full_export": access.holds(request.user, Cap.VIEW_PII),
    }
    return render(request, "org/agent_list.html", context)


def _editable_groups(user):
    return (
        Unit.objects.open()
        .filter(kind=UnitKind.GROUP)
        .select_related("parent")
        .with_cap(user, Cap.EDIT_AGENTS)
        .order_by("path")
    )


def _branch_ranks(user):
    branch_ids = access.branch_ids(user, Cap.EDIT_AGENTS)
    ranks = Rank.objects.order_by("branch", "level")
    return ranks.filter(branch__in=branch_ids) if branch_ids else ranks


@login_required
def agent_create(request):
    require(request.user, Cap.EDIT_AGENTS)
    form = AgentForm(
        request.POST or None,
        groups=_editable_groups(request.user),
        ranks=_branch_ranks(request.user),
        agents=Agent.objects.visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agent = agent_services.agent_create(
                acting_user=request.user,
                group=form.cleaned_data["group"],
                rank=form.cleaned_data["rank"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agent %(agent)s created.") % {"agent": agent})
            return redirect(agent)
    return render(request, "org/agent_form.html", {"form": form})


@login_required
def agent_detail(request, pk):
    agent = get_agent_for_user(request.user, pk)
    return render(
        request,
        "org/agent_detail.html",
        {
            "agent": agent,
            "can_edit": access.holds_for_agent(request.user, Cap.EDIT_AGENTS, agent),
            "can_reveal": access.holds_for_agent(request.user, Cap.VIEW_PII, agent)
            or access.is_own_agent(request.user, agent),
            "upline": selectors.recruiter_chain(agent),
            "recruits": selectors.recruit_tree(agent),
            "transfers": agent.transfers.select_related(
                "from_group__parent", "to_group__parent", "created_by", "cancelled_by"
            ),
            "rank_changes": agent.rank_changes.select_related(
                "from_rank", "to_rank", "created_by", "cancelled_by"
            ),
            "history": history_rows(agent),
        },
    )


@login_required
def agent_edit(request, pk):
    agent = get_agent_for_user(request.user, pk, Cap.EDIT_AGENTS)
    form = AgentForm(
        request.POST or None, instance=agent, agents=Agent.objects.visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            agent_services.agent_update(
                acting_user=request.user,
                agent=agent,
                base_version=form.base_version,
                **form.service_fields(),
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(agent)
    return render(request, "org/agent_form.html", {"form": form, "agent": agent})


def _agent_change(request, pk, *, form_class, choices, service, title, done):
    """The transfer and rank-change pages: one form, one service call, back to the agent."""
    agent = get_agent_for_user(request.user, pk, Cap.EDIT_AGENTS)
    form = form_class(
        request.POST or None,
        choices=choices(agent),
        initial={"effective_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service(acting_user=request.user, agent=agent, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(agent)
    return render(request, "org/agent_action.html", {"form": form, "agent": agent, "title": title})


@login_required
def agent_transfer(request, pk):
    return _agent_change(
        request,
        pk,
        form_class=TransferForm,
        choices=lambda agent: _editable_groups(request.user),
        service=agent_services.agent_transfer,
        title=_("Transfer to another group"),
        done=_("Transfer recorded."),
    )


@login_required
def agent_change_rank(request, pk):
    return _agent_change(
        request,
        pk,
        form_class=RankChangeForm,
        choices=lambda agent: selectors.ranks_for_unit(agent.group),
        service=agent_services.agent_change_rank,
        title=_("Change rank"),
        done=_("Rank change recorded."),
    )


def _cancel_change(request, pk, change_pk, changes):
    agent = get_agent_for_user(request.user, pk, Cap.EDIT_AGENTS)
    change = get_object_or_404(changes.filter(agent=agent), pk=change_pk)
    try:
        agent_services.agent_change_cancel(acting_user=request.user, change=change)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The scheduled change was cancelled."))
    return redirect(agent)


@login_required
@require_POST
def agent_transfer_cancel(request, pk, change_pk):
    return _cancel_change(request, pk, change_pk, AgentTransfer.objects.all())


@login_required
@require_POST
def agent_rank_change_cancel(request, pk, change_pk):
    return _cancel_change(request, pk, change_pk, AgentRankChange.objects.all())


@login_required
@require_POST
def agent_reveal(request, pk):
    """Show the full ID number and mobile (htmx fragment); every reveal is logged."""
    agent = get_agent_for_user(request.user, pk)
    data = agent_services.personal_data_reveal(acting_user=request.user, agent=agent)
    return render(request, "org/_personal_data.html", {"agent": agent, "data": data})
