"""The one check for uploaded files (attachments, meeting and training materials): the type by
extension and the size, refused with a message saying what is allowed."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def check_upload(file, *, extensions, max_size: int) -> None:
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in extensions:
        raise ValidationError(
            {
                "file": _("Files of type “%(ext)s” are not accepted; allowed: %(allowed)s.")
                % {"ext": extension or "?", "allowed": ", ".join(extensions)}
            }
        )
    if file.size > max_size:
        raise ValidationError(
            {
                "file": _("%(name)s is %(size)s MB; at most %(max)s MB is accepted.")
                % {
                    "name": PurePath(file.name or "").name,
                    "size": round(file.size / 1024 / 1024, 1),
                    "max": max_size // 1024 // 1024,
                }
            }
        )
