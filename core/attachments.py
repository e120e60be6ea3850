"""The one download view of attachments (plan attachments, meeting and training materials), and
the one function deciding whose attachments a user may download.

Each app's existing URL routes here with its kind ({"kind": "plans"} …). Visibility is the
owner's: the owner model's queryset visible_to(user) when it has one, else the attachment
model's owners_visible_to(user) (the app's existing check). The access layer swaps that in one
place: visible_owners().
"""

from functools import cache

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from core.models import AttachmentBase


@cache
def attachment_models() -> dict[str, type[AttachmentBase]]:
    """{kind: concrete attachment model} of every installed app."""
    return {
        model.KIND: model
        for model in apps.get_models()
        if issubclass(model, AttachmentBase) and model.KIND
    }


def visible_owners(model: type[AttachmentBase], user):
    """The owners (versions, meetings, training sessions) whose attachments `user` may see."""
    owner_model = model._meta.get_field(model.OWNER_FIELD).related_model
    owners = owner_model._default_manager.all()
    if hasattr(owners, "visible_to"):
        return owners.visible_to(user)
    return model.owners_visible_to(user)


def attachment_for_user(kind: str, user, pk, owner_pk=None) -> AttachmentBase:
    """The attachment if `user` may download it, else 404 (also for a removed one, unless the
    model lets this user see removed files; and when `owner_pk` is given and does not match)."""
    model = attachment_models().get(kind)
    if model is None:
        raise Http404
    owner_field = model.OWNER_FIELD
    try:
        attachment = (
            model._default_manager.select_related(owner_field)
            .filter(**{f"{owner_field}__in": visible_owners(model, user).values("pk")})
            .get(pk=pk)
        )
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if owner_pk is not None and getattr(attachment, f"{owner_field}_id") != owner_pk:
        raise Http404
    if attachment.removed_at is not None and not attachment.removed_visible_to(user):
        raise Http404
    return attachment


@login_required
def attachment_download(request, kind: str, pk: int, owner_pk: int | None = None):
    """Files are served only through this view, to those who may read their owner."""
    attachment = attachment_for_user(kind, request.user, pk, owner_pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
    if attachment.content_type:
        response["Content-Type"] = attachment.content_type
    return response
