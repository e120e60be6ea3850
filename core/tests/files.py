"""Small files of each accepted type, real enough for the content check of core.uploads."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

OOXML_MAIN = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
CONTENT = {
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17,
    "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16,
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
    "txt": "早会记录：拜访三户\n".encode(),
}
CONTENT["jpeg"] = CONTENT["jpg"]
CONTENT["xls"] = CONTENT["ppt"] = CONTENT["doc"]


def ooxml(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(OOXML_MAIN[kind], '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def upload(name: str) -> SimpleUploadedFile:
    """A file named `name` whose content is of the type its extension names."""
    extension = name.rsplit(".", 1)[-1].lower()
    content = ooxml(extension) if extension in OOXML_MAIN else CONTENT[extension]
    return SimpleUploadedFile(name, content)
