"""活动量工具: the district's receipts and issues with the stock; departments see their issues."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.models import ToolDirection, ToolKind
from activity.selectors.tools import movements_for, stock
from activity.services.tools import tool_record
from activity.views.logs import may_review
from core.forms import add_service_errors
from core.params import int_param
from org.access import Cap, holds
from org.models import Unit, UnitKind

MAX_ROWS = 300


class ToolForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=ToolDirection.choices)
    kind = forms.ModelChoiceField(label=_("Tool"), queryset=ToolKind.objects.filter(active=True))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000000)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Unit.objects.none(), required=False
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        if district is not None:
            self.fields["department"].queryset = (
                Unit.objects.open()
                .filter(kind=UnitKind.DEPARTMENT, path__startswith=district.path)
                .order_by("path")
            )


def _managed_districts(user):
    return list(
        Unit.objects.open()
        .filter(kind=UnitKind.DISTRICT)
        .with_cap(user, Cap.RECORD_WORK_LOGS)
        .order_by("path")
    )


@login_required
def tool_list(request):
    movements = movements_for(request.user)
    districts = _managed_districts(request.user)
    if not districts and not holds(request.user, Cap.RECORD_WORK_LOGS):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    district = next((d for d in districts if str(d.pk) == params.get("district")), None) or (
        districts[0] if districts else None
    )
    form = None
    if district is not None:
        form = ToolForm(
            request.POST or None,
            district=district,
            initial={"date": timezone.localdate(), "direction": ToolDirection.ISSUED},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                tool_record(
                    acting_user=request.user,
                    district=district,
                    kind=data["kind"],
                    direction=data["direction"],
                    quantity=data["quantity"],
                    day=data["date"],
                    department=data["department"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect(f"{request.path}?district={district.pk}")
    elif request.method == "POST":
        raise PermissionDenied
    if district is not None:
        movements = movements.filter(district=district)
    filters = {
        "kind": request.GET.get("kind", ""),
        "direction": request.GET.get("direction", ""),
        "department": request.GET.get("department", ""),
    }
    if kind := int_param(request.GET, "kind"):
        movements = movements.filter(kind_id=kind)
    if filters["direction"] in ToolDirection.values:
        movements = movements.filter(direction=filters["direction"])
    if department := int_param(request.GET, "department"):
        movements = movements.filter(department_id=department)
    rows = list(
        movements.select_related("kind", "department", "recorded_by").order_by("-date", "-pk")[
            :MAX_ROWS
        ]
    )
    return render(
        request,
        "activity/tools.html",
        {
            "districts": districts,
            "district": district,
            "form": form,
            "stock": stock(district) if district is not None else [],
            "rows": rows,
            "filters": filters,
            "kinds": ToolKind.objects.all(),
            "departments": form.fields["department"].queryset if form else [],
            "directions": ToolDirection.choices,
            "may_review": may_review(request.user),
        },
    )
