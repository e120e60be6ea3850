"""Pages that change a version: editing, attachments and the transitions of its flow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.versioning import StaleVersion
from org.models import Unit
from plans import services
from plans.access import get_attachment_for_user, get_version_for_user
from plans.forms import AttachmentForm, CommentForm, VersionForm
from plans.models import VersionState
from plans.views.documents import render_version


@login_required
def version_edit(request, pk):
    version = get_version_for_user(request.user, pk, write=True)
    if not version.is_editable:
        messages.warning(
            request,
            _("Published documents cannot be edited; start a new version.")
            if version.state in {VersionState.PUBLISHED, VersionState.SUPERSEDED}
            else _("Only a draft or a returned version can be edited."),
        )
        return redirect(version)
    initial = {
        "title": version.title,
        "body": version.body,
        "effective_date": version.effective_date,
    }
    form = VersionForm(request.POST or None, initial=initial, versioned=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(
                acting_user=request.user,
                version=version,
                base_version=form.base_version,
                **form.without_version(form.cleaned_data),
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ConflictError as exc:
            messages.warning(request, exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(version)
    return render(
        request,
        "plans/version_form.html",
        {
            "version": version,
            "document": version.document,
            "form": form,
            "attachment_form": AttachmentForm(),
            "attachments": list(version.attachments.all()),
        },
    )


@login_required
@require_POST
def attachment_add(request, pk):
    version = get_version_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                acting_user=request.user, version=version, file=form.cleaned_data["file"]
            )
        except ConflictError as exc:
            messages.warning(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s attached.") % {"name": attachment})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("plans:version_edit", pk=version.pk)


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment = get_attachment_for_user(request.user, pk, write=True)
    version = attachment.version
    try:
        services.attachment_remove(acting_user=request.user, attachment=attachment)
    except ConflictError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("%(name)s removed.") % {"name": attachment})
    return redirect("plans:version_edit", pk=version.pk)


def _transition(request, pk, run, success: str, form_key: str = ""):
    """Run one transition from a posted comment form. A state that moved on meanwhile
    re-renders the page with a warning (409); a refused input shows the form's errors."""
    version = get_version_for_user(request.user, pk)
    form = CommentForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        run(version, data)
    except ConflictError as exc:
        messages.warning(request, exc.message)
        return render_version(request, _reload(request, version), status=409)
    except ValidationError as exc:
        add_service_errors(form, exc)
        for message in [*form.non_field_errors(), *form.errors.get("step", [])]:
            messages.error(request, message)
        return render_version(request, version, forms={form_key: form}, status=400)
    messages.success(request, success)
    return redirect(_reload(request, version))


def _reload(request, version):
    return get_version_for_user(request.user, version.pk)


@login_required
@require_POST
def version_submit(request, pk):
    return _transition(
        request,
        pk,
        lambda v, d: services.version_submit(
            acting_user=request.user, version=v, comment=d.get("comment", "")
        ),
        _("Submitted for approval."),
    )


@login_required
@require_POST
def version_approve(request, pk):
    return _transition(
        request,
        pk,
        lambda v, d: services.version_approve(
            acting_user=request.user,
            version=v,
            comment=d.get("comment", ""),
            expected_step=d.get("step"),
        ),
        _("Approved."),
    )


@login_required
@require_POST
def version_return(request, pk):
    return _transition(
        request,
        pk,
        lambda v, d: services.version_return(
            acting_user=request.user,
            version=v,
            comment=d.get("comment", ""),
            expected_step=d.get("step"),
        ),
        _("Returned to the authors."),
        form_key="return",
    )


@login_required
@require_POST
def version_publish(request, pk):
    return _transition(
        request,
        pk,
        lambda v, d: services.version_publish(
            acting_user=request.user, version=v, comment=d.get("comment", "")
        ),
        _("Published; the units below have been notified."),
    )


@login_required
@require_POST
def version_acknowledge(request, pk):
    def run(version, data):
        unit = Unit.objects.filter(pk=data["unit"]).first() if data.get("unit") else None
        services.version_acknowledge(
            acting_user=request.user, version=version, unit=unit, comment=data.get("comment", "")
        )

    return _transition(request, pk, run, _("Acknowledged (read)."))


@login_required
@require_POST
def version_new(request, pk):
    version = get_version_for_user(request.user, pk, write=True)
    try:
        new = services.version_new(acting_user=request.user, document=version.document)
    except ConflictError as exc:
        messages.warning(request, exc.message)
        return render_version(request, version, status=409)
    messages.success(request, _("Version %(number)s started as a draft.") % {"number": new.number})
    return redirect("plans:version_edit", pk=new.pk)
