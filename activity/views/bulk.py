"""The assistant's bulk entry: one screen per group and date, saved in one transaction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activity.forms import WorkLogForm
from activity.models import COUNT_FIELDS
from activity.selectors.logs import group_day
from activity.services.logs import MAX_COUNT, worklog_bulk_save
from activity.views.review import _pick
from org.access import Cap, holds


def _read_rows(post, agent_ids) -> tuple[dict, list[str]]:
    rows, errors = {}, []
    for agent_id in agent_ids:
        data = {}
        for name in COUNT_FIELDS:
            raw = (post.get(f"a{agent_id}-{name}") or "0").strip()
            if not raw.isdigit() or int(raw) > MAX_COUNT:
                errors.append(f"{agent_id}:{name}")
                continue
            data[name] = int(raw)
        rows[agent_id] = data
    return rows, errors


@login_required
def bulk_entry(request):
    params = request.POST if request.method == "POST" else request.GET
    groups, group, day = _pick(request, params)
    if not holds(request.user, Cap.RECORD_WORK_LOGS, group):
        raise PermissionDenied
    rows = group_day(group, day)
    error = None
    if request.method == "POST":
        data, bad = _read_rows(request.POST, [row["agent"].pk for row in rows])
        if bad:
            error = _("Counts must be whole numbers from 0 to 999.")
        else:
            try:
                saved = worklog_bulk_save(acting_user=request.user, group=group, day=day, rows=data)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("%(count)d logs saved.") % {"count": saved})
                return redirect(
                    reverse("activity:bulk") + f"?group={group.pk}&date={day.isoformat()}"
                )
    labels = [WorkLogForm.base_fields[name].label for name in COUNT_FIELDS]
    table = [
        {
            "agent": row["agent"],
            "log": row["log"],
            "cells": [
                (
                    f"a{row['agent'].pk}-{name}",
                    request.POST.get(f"a{row['agent'].pk}-{name}")
                    if request.method == "POST"
                    else (getattr(row["log"], name) if row["log"] else 0),
                )
                for name in COUNT_FIELDS
            ],
        }
        for row in rows
    ]
    return render(
        request,
        "activity/bulk.html",
        {
            "groups": groups,
            "group": group,
            "day": day,
            "labels": labels,
            "table": table,
            "error": error,
            "may_review": True,
            "may_edit_scorecard": True,
        },
    )
