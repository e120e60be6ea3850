"""The district's acceptance checklist (§7, 附件4): its items and weights, edited as one page;
each item carries the version the page showed (issue 20)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.versioning import StaleVersion
from meetings.selectors import inspections as sel
from meetings.selectors.stale import checklist_changes
from meetings.services import inspections as svc
from meetings.views.inspections import _nav, _pick

# -- checklist -------------------------------------------------------------------------------
NEW_ROWS = 2


@login_required
def checklist(request):
    district, districts = _pick(sel.inspect_districts(request.user), request.GET.get("district"))
    if district is None:
        raise PermissionDenied
    svc.checklist_ensure_default(district=district)
    items = list(sel.checklist(district))
    errors, stale_changes = [], None
    if request.method == "POST":
        # The version of each item the page showed (issue 20); an item it did not show: 0.
        seen = {
            item.pk: int(request.POST[f"version-{item.pk}"])
            for item in items
            if request.POST.get(f"version-{item.pk}", "").isdigit()
        }
        rows = [
            {
                "id": item.pk,
                "version": seen.get(item.pk, 0),
                "title": request.POST.get(f"title-{item.pk}", ""),
                "weight": request.POST.get(f"weight-{item.pk}", ""),
                "order": request.POST.get(f"order-{item.pk}") or item.order,
                "guidance": request.POST.get(f"guidance-{item.pk}", ""),
                "active": request.POST.get(f"active-{item.pk}") == "on",
            }
            for item in items
        ]
        for n in range(NEW_ROWS):
            title = request.POST.get(f"title-new{n}", "").strip()
            if title:
                rows.append(
                    {
                        "title": title,
                        "weight": request.POST.get(f"weight-new{n}", ""),
                        "guidance": request.POST.get(f"guidance-new{n}", ""),
                        "active": True,
                    }
                )
        try:
            svc.checklist_save(acting_user=request.user, district=district, items=rows)
            messages.success(request, _("Checklist saved."))
            return redirect(f"{reverse('meetings:inspection_checklist')}?district={district.pk}")
        except StaleVersion as exc:
            errors = [exc.message]
            stale_changes = checklist_changes(items, seen)  # the pages' versions move to now
        except ValidationError as exc:
            errors = exc.messages
        for item in items:
            if item.pk in seen:  # the user's input stays; an item added meanwhile shows as it is
                item.title = request.POST.get(f"title-{item.pk}", item.title)
                item.weight = request.POST.get(f"weight-{item.pk}", item.weight)
                item.guidance = request.POST.get(f"guidance-{item.pk}", item.guidance)
                item.order = request.POST.get(f"order-{item.pk}") or item.order
                item.active = request.POST.get(f"active-{item.pk}") == "on"
    return render(
        request,
        "meetings/inspections/checklist.html",
        {
            "district": district,
            "districts": districts,
            "items": items,
            "new_rows": [
                {
                    "n": n,
                    "title": request.POST.get(f"title-new{n}", ""),
                    "weight": request.POST.get(f"weight-new{n}", ""),
                }
                for n in range(NEW_ROWS)
            ],
            "errors": errors,
            "stale_changes": stale_changes,
            "total": sum(int(i.weight) for i in items if i.active and str(i.weight).isdigit()),
            **_nav(request, "checklist"),
        },
    )
