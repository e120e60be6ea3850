"""Execution flow templates (附件1): the list visible to the user, a template's versions, the
printable form of a version, copying, and the draft editor (htmx add/remove/reorder rows)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError
from core.paperforms import respond
from core.params import int_param
from core.versioning import StaleVersion
from meetings.access import can_write_unit, writable_q
from meetings.models import FlowTemplate, FlowTemplateVersion, MeetingLevel
from meetings.paperforms import execution_flow, flow_rows
from meetings.selectors import templates as selectors
from meetings.selectors.stale import template_content_changes
from meetings.services import templates as services
from org.models import Unit


def _template_for(user, pk) -> FlowTemplate:
    return get_object_or_404(
        selectors.templates_visible_to(user).select_related("unit__parent"), pk=pk
    )


def _version_for(user, pk) -> FlowTemplateVersion:
    version = get_object_or_404(
        FlowTemplateVersion.objects.filter(template__in=selectors.readable_templates(user)),
        pk=pk,
    )
    return selectors.version_with_content(version.pk)


def writable_units(user):
    """Units whose templates the user may write (PLAN_MEETINGS on the unit, or on a group's
    department)."""
    units = Unit.objects.filter(
        closed_on__isnull=True, kind__in=["district", "department", "group"]
    ).select_related("parent")
    return units.filter(writable_q(user)).order_by("path")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def template_list(request):
    show_archived = request.GET.get("archived") == "1"
    templates = selectors.templates_visible_to(request.user).select_related("unit__parent")
    if not show_archived:
        templates = templates.filter(archived_at__isnull=True)
    rows = [
        {"template": template, "may_write": can_write_unit(request.user, template.unit)}
        for template in templates
    ]
    with_default = set(
        FlowTemplate.objects.filter(is_default=True, archived_at__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    missing_default = [
        unit
        for unit in writable_units(request.user).filter(kind="district")
        if unit.pk not in with_default
    ]
    return render(
        request,
        "meetings/templates_list.html",
        {"rows": rows, "show_archived": show_archived, "missing_default": missing_default},
    )


@login_required
@require_POST
def template_default(request, district_id):
    district = get_object_or_404(Unit, pk=district_id, kind="district")
    if not can_write_unit(request.user, district):
        raise PermissionDenied
    template = services.default_flow_template(district=district, acting_user=request.user)
    messages.success(request, _("The default template (Attachment 1) is ready."))
    return redirect("meetings:template_detail", template.pk)


@login_required
def template_detail(request, pk):
    template = _template_for(request.user, pk)
    may_write = can_write_unit(request.user, template.unit)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "draft":
                draft = services.version_create_draft(
                    acting_user=request.user,
                    template=template,
                    note=request.POST.get("note", ""),
                )
                return redirect("meetings:template_version_edit", draft.pk)
            if action == "rename":
                services.template_rename(
                    acting_user=request.user, template=template, name=request.POST.get("name")
                )
                messages.success(request, _("Template renamed."))
            elif action == "archive":
                services.template_archive(acting_user=request.user, template=template)
                messages.success(request, _("Template archived; meetings keep their version."))
        except ConflictError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("meetings:template_detail", template.pk)
    versions = template.versions.select_related("created_by").order_by("-number")
    return render(
        request,
        "meetings/templates_detail.html",
        {"template": template, "versions": versions, "may_write": may_write},
    )


@login_required
def template_version(request, pk):
    """The 附件1 form of a version (A4 page, PDF, Excel; core.paperforms)."""
    version = _version_for(request.user, pk)
    return respond(
        request,
        execution_flow(version),
        back=reverse("meetings:template_detail", args=[version.template_id]),
        template="meetings/templates_version.html",
        context={
            "version": version,
            "template": version.template,
            "may_write": can_write_unit(request.user, version.template.unit),
        },
    )


class CopyForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("For unit"))
    name = forms.CharField(max_length=100, label=gettext_lazy("Name"))
    level = forms.ChoiceField(choices=MeetingLevel.choices, label=gettext_lazy("Meeting level"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = writable_units(user)


@login_required
def template_copy(request, pk):
    """Copy a published version into a template of one of the user's units, to adapt."""
    source = _version_for(request.user, pk)
    if source.published_at is None:
        raise PermissionDenied
    form = CopyForm(
        request.POST or None,
        user=request.user,
        initial={"name": source.template.name, "level": source.template.level},
    )
    if not form.fields["unit"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_copy(
                acting_user=request.user,
                source=source,
                unit=form.cleaned_data["unit"],
                name=form.cleaned_data["name"],
                level=form.cleaned_data["level"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Template copied; adapt the draft and publish it."))
            return redirect("meetings:template_version_edit", template.versions.get().pk)
    return render(request, "meetings/templates_copy.html", {"form": form, "source": source})


# -- the draft editor ----------------------------------------------------------------------------


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _posted_content(post) -> list[dict]:
    sections = []
    for i in range(min(_int(post.get("sections")), services.MAX_SECTIONS + 1)):
        items = []
        for j in range(min(_int(post.get(f"s{i}-items")), services.MAX_ITEMS + 1)):
            items.append(
                {
                    "title": post.get(f"s{i}-{j}-title", ""),
                    "required": post.get(f"s{i}-{j}-required") == "on",
                    "planned_minutes": post.get(f"s{i}-{j}-minutes", "0"),
                }
            )
        sections.append({"title": post.get(f"s{i}-title", ""), "items": items})
    return sections


def _move(rows: list, index: int, step: int) -> None:
    target = index + step
    if 0 <= index < len(rows) and 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]


def _apply(content: list[dict], op: str) -> None:
    """Apply a row operation of the editor (add, remove, move up/down) to the posted content."""
    name, _sep, args = op.partition(":")
    numbers = [_int(a, -1) for a in args.split(":")] if args else []
    if name == "add_section":
        content.append({"title": "", "items": [{"title": "", "required": True}]})
        return
    if not numbers or not 0 <= numbers[0] < len(content):
        return
    section = content[numbers[0]]
    if name == "add_item":
        section["items"].append({"title": "", "required": True, "planned_minutes": 0})
    elif name == "del_section":
        content.pop(numbers[0])
    elif name in ("up_section", "down_section"):
        _move(content, numbers[0], -1 if name == "up_section" else 1)
    elif len(numbers) == 2 and 0 <= numbers[1] < len(section["items"]):
        if name == "del_item":
            section["items"].pop(numbers[1])
        elif name in ("up_item", "down_item"):
            _move(section["items"], numbers[1], -1 if name == "up_item" else 1)


def _editor_response(
    request, version, content, note, error=None, status=200, base=None, stale_changes=None
):
    """`base`: the version of the draft the page is based on (hidden; default the current)."""
    return render(
        request,
        "meetings/templates_edit.html",
        {
            "version": version,
            "template": version.template,
            "content": content,
            "note": note,
            "error": error,
            "dirty": request.method == "POST",
            "base_version": version.version if base is None else base,
            "stale_changes": stale_changes,
        },
        status=status,
    )


def _done(request, url):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def template_version_edit(request, pk):
    """Edit a draft: sections and items with order, title, required/optional and planned
    minutes. Row operations re-render the form (unsaved); Save writes the draft; Publish saves
    and publishes it."""
    version = _version_for(request.user, pk)
    if not can_write_unit(request.user, version.template.unit):
        raise PermissionDenied
    if version.published_at is not None:
        messages.info(
            request, _("Published versions never change; open a new draft to adapt the template.")
        )
        return redirect("meetings:template_detail", version.template_id)
    if request.method != "POST":
        return _editor_response(request, version, services.version_content(version), version.note)
    content = _posted_content(request.POST)
    note = request.POST.get("note", "")
    op = request.POST.get("op", "save")
    posted = request.POST.get("version", "")
    base = int(posted) if posted.isdigit() else None
    if op not in ("save", "publish"):
        _apply(content, op)
        return _editor_response(request, version, content, note, base=base)
    if base is None:
        error = _("This page is out of date; reload it and try again.")
        return _editor_response(request, version, content, note, error, status=409)
    try:
        version = services.version_update_content(
            acting_user=request.user,
            version=version,
            sections=content,
            note=note,
            base_version=base,
        )
        if op == "publish":
            services.version_publish(
                acting_user=request.user, version=version, base_version=version.version
            )
            messages.success(
                request, _("Version %(n)d published; new meetings use it.") % {"n": version.number}
            )
            return _done(request, reverse("meetings:template_detail", args=[version.template_id]))
    except StaleVersion as exc:
        # The user's rows stay; the other person's saved rows are listed; saving again now is a
        # deliberate overwrite (the page moves to the current version).
        changes = template_content_changes(exc.current, exc.base_version, content)
        return _editor_response(
            request,
            version,
            content,
            note,
            exc.message,
            status=409,
            base=exc.current.version,
            stale_changes=changes,
        )
    except ValidationError as error:
        return _editor_response(
            request, version, content, note, _error_text(error), status=422, base=base
        )
    except ConflictError as error:
        return _editor_response(
            request, version, content, note, error.message, status=409, base=base
        )
    messages.success(request, _("Draft saved."))
    return _done(request, reverse("meetings:template_version_edit", args=[version.pk]))


@login_required
def template_compare(request, pk):
    """Two versions of a template side by side (?a=&b= version numbers)."""
    template = _template_for(request.user, pk)
    numbers = list(template.versions.order_by("number").values_list("number", flat=True))
    if not numbers:
        return redirect("meetings:template_detail", template.pk)
    a = int_param(request.GET, "a")
    b = int_param(request.GET, "b")
    a = (numbers[-2] if len(numbers) > 1 else numbers[0]) if a is None else a
    b = numbers[-1] if b is None else b
    versions = {
        v.number: v
        for v in template.versions.filter(number__in=[a, b]).prefetch_related("sections__items")
    }
    if a not in versions or b not in versions:
        return redirect("meetings:template_detail", template.pk)

    def lines(version):
        return {
            (row["number"], row.get("title") or row["item"].title): row
            for row in flow_rows(version)
        }

    left, right = lines(versions[a]), lines(versions[b])

    def describe(row):
        if row is None:
            return None
        item = row.get("item")
        return {
            "number": row["number"],
            "title": row.get("title") or item.title,
            "required": item.required if item else None,
            "minutes": item.planned_minutes if item else None,
        }

    keys = list(dict.fromkeys([*left, *right]))
    rows = []
    for key in keys:
        old, new = describe(left.get(key)), describe(right.get(key))
        rows.append({"old": old, "new": new, "changed": old != new})
    return render(
        request,
        "meetings/templates_compare.html",
        {
            "template": template,
            "a": versions[a],
            "b": versions[b],
            "rows": rows,
            "numbers": numbers,
        },
    )
