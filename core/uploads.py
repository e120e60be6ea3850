"""The one check for uploaded files (plan attachments, meeting and training materials): the
extension must be allowed, the size within the limit, and the content must be what the extension
says — decided by the file's first bytes (and, for Office files, by the parts of the archive), so
an executable renamed .pdf is refused. Refusals say what is allowed."""

import codecs
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
TXT = "text/plain"
MP3 = "audio/mpeg"
MP4 = "video/mp4"

CONTENT_TYPES = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "doc": DOC,
    "xls": XLS,
    "ppt": PPT,
    "txt": TXT,
    "mp3": MP3,
    "mp4": MP4,
}

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # doc, xls, ppt (Compound File Binary)
ZIP = b"PK\x03\x04"
# The main part of each Office Open XML kind inside its zip archive.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
# Programs and scripts: refused whatever they are named.
EXECUTABLES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")
HEAD = 8192


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD)
    file.seek(0)
    return head


def _is_ooxml(file, part: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        file.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith(part) for name in names)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches(file, extension: str) -> bool:
    """Whether the file's content is of the type its extension names."""
    head = _head(file)
    if extension == "txt":
        return _is_text(head)
    if head.startswith(EXECUTABLES):
        return False
    if extension == "pdf":
        return head.startswith(b"%PDF")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension in OOXML_PARTS:
        return head.startswith(ZIP) and _is_ooxml(file, OOXML_PARTS[extension])
    if extension in {"doc", "xls", "ppt"}:
        return head.startswith(OLE)
    if extension == "mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] >= 0xE0)
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    return False  # a type this check does not know is not accepted


def check_upload(file, *, extensions, max_size: int) -> str:
    """Refuse the file unless its extension is allowed, its size within `max_size` and its
    content of the type the extension names; return its content type (e.g. "application/pdf")."""
    name = PurePath(file.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
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
                    "name": name,
                    "size": round(file.size / 1024 / 1024, 1),
                    "max": max_size // 1024 // 1024,
                }
            }
        )
    if not content_matches(file, extension):
        raise ValidationError(
            {
                "file": _(
                    "%(name)s is not a real %(ext)s file (its content is of another type); "
                    "allowed: %(allowed)s."
                )
                % {"name": name, "ext": extension, "allowed": ", ".join(extensions)}
            }
        )
    return CONTENT_TYPES.get(extension, "application/octet-stream")
