"""Reading an uploaded workbook without trusting it (issue 20).

Before any XML is parsed the archive is inspected: what the bytes are (zip, an old .xls or an
encrypted workbook, text), the members' uncompressed sizes and compression ratios, and then the
worksheet's XML is scanned in small decompressed chunks for DTDs/entities, formulas, the number
of rows and of cells per row, and overlong text. Only a file that passes is given to openpyxl,
in read-only (streaming) mode with `defusedxml` installed. Every refusal is an `ImportFileError`
whose message tells the user what is wrong; nothing here raises anything else for a bad file.
"""

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.xlsx import cell_text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_OOXML_MARK = "EncryptionInfo".encode("utf-16-le")
SCAN_CHUNK = 1024 * 1024
MEMBER_SIZE_FOR_RATIO = 1024 * 1024  # below this a member's ratio does not matter


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why (for the user)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 5 * 1024 * 1024
    max_rows: int = 5000  # data rows (the header row and rows above it come on top)
    extra_rows: int = 1
    max_columns: int = 100
    max_cells: int = 500_000
    max_cell_chars: int = 2000
    max_uncompressed_bytes: int = 64 * 1024 * 1024  # all members together
    max_ratio: int = 100  # uncompressed / compressed, for members over 1 MB
    max_members: int = 500


def damaged():
    return ImportFileError(
        _(
            "The file is damaged or is not an Excel .xlsx file. Save the sheet as .xlsx (Excel "
            "workbook) and upload it again."
        )
    )


def read_rows(file, limits: Limits) -> list[tuple]:
    """The first worksheet's rows as tuples of values (formulas refused), at most
    `limits.max_columns` wide; raises ImportFileError for anything but a sound workbook."""
    size = getattr(file, "size", None)
    if hasattr(file, "seek"):
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size is not None and size > limits.max_upload_bytes:
        raise ImportFileError(
            _("The file is larger than %(max)s MB.")
            % {"max": limits.max_upload_bytes // 1024 // 1024}
        )
    head = file.read(8) if hasattr(file, "read") else b""
    if hasattr(file, "seek"):
        file.seek(0)
    _refuse_by_content(file, head)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged() from exc
    with archive:
        sheet_member = _check_archive(archive, limits)
        _scan_sheet(archive, sheet_member, limits)
    if hasattr(file, "seek"):
        file.seek(0)
    return _load(file, limits)


def _refuse_by_content(file, head: bytes) -> None:
    if head.startswith(ZIP_MAGIC):
        return
    if head.startswith(OLE_MAGIC):
        # An encrypted .xlsx is an OLE container with an EncryptionInfo stream; the size has
        # been checked, so reading it whole is bounded.
        data = file.read()
        file.seek(0)
        if ENCRYPTED_OOXML_MARK in data:
            raise ImportFileError(
                _(
                    "The workbook is protected with a password. Open it in Excel, remove the "
                    "password (File → Info → Protect Workbook) and upload it again."
                )
            )
        raise ImportFileError(
            _(
                "This is an old Excel 97–2003 .xls file. Open it in Excel, save it as .xlsx "
                "(Excel workbook) and upload it again."
            )
        )
    sample = file.read(4096) if hasattr(file, "read") else head
    if hasattr(file, "seek"):
        file.seek(0)
    if _looks_like_text(sample):
        raise ImportFileError(
            _(
                "This is a text (CSV) file, not an Excel .xlsx file. Open it in Excel, save it "
                "as .xlsx (Excel workbook) and upload it again."
            )
        )
    raise damaged()


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-8 or UTF-16 with a byte order mark
    if not sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        # Cut inside a multi-byte character at the end of the sample?
        try:
            text = sample[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> str:
    """Refuse by the members' declared sizes before decompressing anything; returns the
    first worksheet's member name."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise damaged()
    total = 0
    for info in members:
        if info.flag_bits & 0x1:
            raise ImportFileError(
                _(
                    "The workbook is protected with a password. Open it in Excel, remove the "
                    "password and upload it again."
                )
            )
        total += info.file_size
        ratio_applies = info.file_size > MEMBER_SIZE_FOR_RATIO
        if ratio_applies and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _too_big()
    if total > limits.max_uncompressed_bytes:
        raise _too_big()
    for info in members:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _refuse_dtd(_prolog(archive, info))
    names = {info.filename for info in members}
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        raise damaged()
    sheet = _first_sheet_member(archive, names)
    if sheet is None:
        raise ImportFileError(_("The file has no worksheet."))
    return sheet


def _too_big():
    return ImportFileError(
        _(
            "The workbook holds far more data than an import may contain (it unpacks to too "
            "much). Keep only the data sheet and upload it again."
        )
    )


RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
ATTRIBUTE = re.compile(rb'(\w+)\s*=\s*"([^"]*)"')
SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")


def _first_sheet_member(archive, names) -> str | None:
    """The member openpyxl will read as the first worksheet (by workbook.xml and its
    relationships), read from small, size-checked members."""
    try:
        workbook = _small_member(archive, "xl/workbook.xml")
        rels = _small_member(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    targets = {}
    for match in RELATIONSHIP.finditer(rels):
        attributes = dict(ATTRIBUTE.findall(match[1]))
        if b"Id" in attributes and b"Target" in attributes:
            targets[attributes[b"Id"]] = attributes[b"Target"].decode("utf-8", "replace")
    for match in SHEET.finditer(workbook):
        attributes = {
            key.split(b":")[-1]: value
            for key, value in re.findall(rb'([\w:]+)\s*=\s*"([^"]*)"', match[1])
        }
        target = targets.get(attributes.get(b"id", b""))
        if target is None:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        path = posixpath.normpath(path)
        return path if path in names else None
    return None


# What reading a member of a damaged or hostile archive raises.
MEMBER_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)


def _prolog(archive, info) -> bytes:
    """The start of an XML member, where a DTD would have to be."""
    try:
        with archive.open(info) as stream:
            return stream.read(4096)
    except MEMBER_READ_ERRORS as exc:
        raise damaged() from exc


def _small_member(archive, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > 4 * 1024 * 1024:
        raise _too_big()
    try:
        data = archive.read(name)
    except MEMBER_READ_ERRORS as exc:
        raise damaged() from exc
    _refuse_dtd(data)
    return data


DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
TOKEN = re.compile(rb"<(?:\w+:)?(row|c|f)[\s>/]")


def _refuse_dtd(data: bytes) -> None:
    if DTD.search(data):
        raise ImportFileError(
            _(
                "The file contains XML declarations that Excel never writes (a DTD or entities) "
                "and is refused. Save the sheet from Excel as .xlsx and upload it again."
            )
        )


def _scan_sheet(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Stream the worksheet's XML once, counting rows and cells and looking for formulas,
    DTDs and overlong text, and stop at the first limit passed."""
    rows = cells = row_cells = 0
    max_rows = limits.max_rows + limits.extra_rows
    max_text = max(limits.max_cell_chars * 8, 64 * 1024)  # bytes between two tags
    carry = b""
    try:
        with archive.open(name) as stream:
            while True:
                chunk = stream.read(SCAN_CHUNK)
                data = carry + chunk
                if not chunk:
                    cut = len(data)
                else:
                    cut = data.rfind(b"<")
                    if cut <= 0:
                        cut = len(data) if len(data) > max_text else 0
                processed, carry = data[:cut], data[cut:]
                if len(carry) > max_text:
                    raise _cell_too_long(limits)
                _refuse_dtd(processed)
                previous = 0
                for match in TOKEN.finditer(processed):
                    if match.start() - previous > max_text:
                        raise _cell_too_long(limits)
                    previous = match.end()
                    kind = match[1]
                    if kind == b"row":
                        rows += 1
                        row_cells = 0
                        if rows > max_rows:
                            raise _too_many_rows(limits)
                    elif kind == b"c":
                        cells += 1
                        row_cells += 1
                        if row_cells > limits.max_columns:
                            raise ImportFileError(
                                _(
                                    "Row %(row)s has more than %(max)s cells; the sheet may "
                                    "have at most %(max)s columns."
                                )
                                % {"row": rows, "max": limits.max_columns}
                            )
                        if cells > limits.max_cells:
                            raise _too_many_cells(limits)
                    else:
                        raise _formula(processed, match.start())
                if len(processed) - previous > max_text:
                    raise _cell_too_long(limits)
                if not chunk:
                    break
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise damaged() from exc


CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}\d+)"')


def _formula(data: bytes, position: int) -> ImportFileError:
    start = data.rfind(b"<", 0, max(position - 1, 0))
    while start > 0 and not CELL_REF.match(data, start):
        start = data.rfind(b"<", 0, start)
    match = CELL_REF.match(data, max(start, 0))
    where = match[1].decode() if match else "?"
    return ImportFileError(
        _(
            "Cell %(cell)s holds a formula; an import takes values only. Copy the sheet and "
            "paste it as values (Paste Special → Values), then upload it again."
        )
        % {"cell": where}
    )


def _too_many_cells(limits):
    return ImportFileError(
        _("The sheet has more than %(max)s cells; split it into several files.")
        % {"max": limits.max_cells}
    )


def _too_many_rows(limits):
    return ImportFileError(
        _("The sheet has more than %(max)s rows; split it into several files.")
        % {"max": limits.max_rows}
    )


def _cell_too_long(limits):
    return ImportFileError(
        _("A cell holds more than %(max)s characters; a cell of an import holds short values.")
        % {"max": limits.max_cell_chars}
    )


def _load(file, limits: Limits) -> list[tuple]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True, keep_links=False)
    except ImportFileError:
        raise
    except Exception as exc:  # any parse failure of an untrusted file is the file's fault
        raise damaged() from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file has no worksheet."))
        rows = []
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=limits.max_columns):
            rows.append(values)
            if len(rows) > limits.max_rows + limits.extra_rows:
                raise _too_many_rows(limits)
            for value in values:
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise ImportFileError(
                        _("Row %(row)s has a cell of more than %(max)s characters: “%(start)s…”.")
                        % {
                            "row": len(rows),
                            "max": limits.max_cell_chars,
                            "start": cell_text(value)[:20],
                        }
                    )
        return rows
    except ImportFileError:
        raise
    except Exception as exc:
        raise damaged() from exc
    finally:
        workbook.close()
