"""One import framework for every Excel import (roster, attendance, work logs, …).

Declare an `Importer` subclass (see core.imports.base), then plug it into the shared page,
template download and API views of core.imports.views."""

from core.imports import parsers
from core.imports.base import Column, Counts, Importer, ImportResult, Row, RowErrors, file_error
from core.imports.reading import ImportFileError, Limits, read_rows
from core.xlsx import CellError

__all__ = [
    "CellError",
    "Column",
    "Counts",
    "ImportFileError",
    "ImportResult",
    "Importer",
    "Limits",
    "Row",
    "RowErrors",
    "file_error",
    "parsers",
    "read_rows",
]
