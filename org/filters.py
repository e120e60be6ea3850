"""Agent list filters, shared by the agent list page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Agent, AgentStatus, Rank, Unit


class AgentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.none(), method="in_unit", label=_("Unit"),
    )
    rank = django_filters.ModelChoiceFilter(queryset=Rank.objects.all(), label=_("Rank"))
    status = django_filters.ChoiceFilter(choices=AgentStatus.choices, label=_("Status"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("hire_date", "hire_date"),
            ("rank__level", "rank"),
            ("group__path", "group"),
            ("status", "status"),
        ),
        field_labels={
            "code": _("Agent code"),
            "name": _("Name"),
            "hire_date": _("Hire date"),
            "rank__level": _("Rank"),
            "group__path": _("Group"),
            "status": _("Status"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Agent
        fields = ["q", "unit", "rank", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None and self.request is not None:
            user = self.request.user
        if user is not None:
            # Only units the user may see can be chosen (scoped like everything else).
            self.filters["unit"].queryset = Unit.objects.visible_to(user).filter(
                kind__in=["branch", "district", "department", "group"]
            )
            branch_ids = {int(p.split("/")[1]) for p in _scope_paths(user) if p != "/"}
            if branch_ids:
                self.filters["rank"].queryset = Rank.objects.filter(branch__in=branch_ids)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(code__istartswith=value) | Q(mobile__contains=value)
        )

    def in_unit(self, queryset, name, value):
        return queryset.filter(group__path__startswith=value.path) if value else queryset


def _scope_paths(user):
    from org.scope import Cap, scope_for

    scope = scope_for(user)
    paths = scope.paths(Cap.VIEW_ORG)
    if not paths and scope.agent_id:
        return []
    return paths
