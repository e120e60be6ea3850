"""Shared checks for the forms' PDF and Excel files (core.paperforms); no tests here."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

CJK_FONT_MARKERS = ("CJK", "NotoSansSC", "NotoSerifSC", "SourceHan")


def pdf_reader(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-"), content[:40]
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """The text of every page, pages joined by a form feed."""
    return "\f".join(page.extract_text() or "" for page in pdf_reader(content).pages)


def pdf_page_count(content: bytes) -> int:
    return len(pdf_reader(content).pages)


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the PDF uses (embedded subsets keep a `ABCDEF+` prefix,
    dropped here), e.g. {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}."""
    names = set()
    for page in pdf_reader(content).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            name = str(font.get("/BaseFont", ""))
            descendants = font.get("/DescendantFonts")
            embedded = bool(descendants) or "/FontDescriptor" in font
            if embedded:
                names.add(name.lstrip("/").split("+", 1)[-1])
    return names


def assert_cjk_font_embedded(content: bytes) -> None:
    fonts = pdf_fonts(content)
    compact = {name.replace("-", "") for name in fonts}
    assert any(m in name for name in compact for m in CJK_FONT_MARKERS), fonts


def xlsx_rows(content: bytes, sheet: int | str = 0) -> list[list]:
    """The values of a sheet, row by row (openpyxl: numbers are numbers, dates datetimes)."""
    book = load_workbook(io.BytesIO(content))
    ws = book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def xlsx_sheet(content: bytes, sheet: int | str = 0):
    book = load_workbook(io.BytesIO(content))
    return book.worksheets[sheet] if isinstance(sheet, int) else book[sheet]


def find_row(rows: list[list], first: object) -> list:
    """The first row whose first non-empty cell is `first`."""
    for row in rows:
        values = [v for v in row if v is not None]
        if values and values[0] == first:
            return row
    raise AssertionError(f"no row starting with {first!r}")
