"""Agent list filters, shared by the agent list page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.fields import protected_q
from org import access
from org.access import Cap
from org.models import Agent, AgentStatus, Rank, Unit


class UnitTreeChoiceField(ModelChoiceField):
    """Units in tree order, indented by depth, so equal group names stay tell-apart."""

    def label_from_instance(self, obj):
        depth = max(len(obj.ancestor_ids) - 1, 0)
        return "\u3000" * depth + obj.name


@extend_schema_field(OpenApiTypes.INT)
class UnitTreeFilter(django_filters.ModelChoiceFilter):
    field_class = UnitTreeChoiceField


class LocalisedOrderingFilter(django_filters.OrderingFilter):
    # django-filter ships no zh-hans catalogue; our own catalogue translates this label.
    descending_fmt = _("%s (descending)")


class AgentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    unit = UnitTreeFilter(
        queryset=Unit.objects.none(),
        method="in_unit",
        label=_("Unit"),
        empty_label=_("All"),
    )
    rank = django_filters.ModelChoiceFilter(
        queryset=Rank.objects.all(), label=_("Rank"), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        choices=AgentStatus.choices, label=_("Status"), empty_label=_("All")
    )
    ordering = LocalisedOrderingFilter(
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
        empty_label=_("Agent code"),
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
            self.filters["unit"].queryset = (
                Unit.objects.visible_to(user)
                .filter(
                    kind__in=["branch", "district", "department", "group"], closed_on__isnull=True
                )
                .order_by("path")
            )
            branch_ids = access.branch_ids(user, Cap.VIEW_ORG)
            if branch_ids:
                self.filters["rank"].queryset = Rank.objects.filter(branch__in=branch_ids)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Mobiles and ID numbers are stored encrypted: they match in full, through their hash.
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__istartswith=value)
            | protected_q(Agent, mobile=value)
            | protected_q(Agent, id_number=value)
        )

    def in_unit(self, queryset, name, value):
        return queryset.filter(group__path__startswith=value.path) if value else queryset
