"""Excel import of work logs, all rows or nothing (errors by row and column).

The first sheet's first row holds the headers: 业务编码 and 日期 (required) and any of the count
columns below (an empty cell is 0). Every row is checked before anything is written.
"""

import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from activity import services
from core.xlsx import CellError
from core.xlsx import cell_date as _date
from core.xlsx import cell_error as _error
from core.xlsx import cell_text as _text
from org.access import Cap
from org.models import Agent

MAX_ROWS = 20000
CODE, DATE = "业务编码", "日期"
COUNT_COLUMNS = {
    "新增准主顾": "new_prospects",
    "初访": "first_visits",
    "续访": "follow_up_visits",
    "促成": "closing_visits",
    "售后服务": "service_visits",
    "增员面谈": "recruiting_talks",
    "主管陪同": "accompanied_visits",
    "签单件数": "policies_closed",
}


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def worklog_import(upload, user) -> ImportResult:
    result = ImportResult()
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, IndexError):
        result.errors.append(_error(None, "", "", _("The file is not a readable .xlsx workbook.")))
        return result
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    headers = [_text(value) for value in (rows[0] if rows else [])]
    for required in (CODE, DATE):
        if required not in headers:
            result.errors.append(_error(1, required, "", _("This column is missing.")))
    if result.errors:
        return result
    index = {header: i for i, header in enumerate(headers) if header}
    parsed = []
    for number, values in enumerate(rows[1:], start=2):
        values = list(values) + [None] * (len(headers) - len(values))
        if all(value in (None, "") for value in values):
            continue
        parsed.append((number, values))
    codes = {_text(values[index[CODE]]) for _number, values in parsed}
    agents = {
        agent.code: agent
        for agent in Agent.objects.filter(code__in=codes)
        .with_cap(user, Cap.RECORD_WORK_LOGS)
        .select_related("group")
    }
    today = timezone.localdate()
    batches = defaultdict(dict)
    seen = set()
    for number, values in parsed:
        code = _text(values[index[CODE]])
        agent = agents.get(code)
        if agent is None:
            result.errors.append(
                _error(number, CODE, code, _("No agent with this code that you may record."))
            )
        raw_day = values[index[DATE]]
        try:
            day = _date(raw_day)
        except CellError as exc:
            result.errors.append(_error(number, DATE, raw_day, exc))
            day = None
        if day is None:
            if raw_day in (None, ""):
                result.errors.append(_error(number, DATE, raw_day, _("A date is required.")))
        elif day > today:
            result.errors.append(
                _error(number, DATE, raw_day, _("A work log cannot be filled for a future day."))
            )
        elif agent is not None and not (
            agent.hire_date <= day and (agent.resigned_on is None or agent.resigned_on >= day)
        ):
            result.errors.append(
                _error(number, DATE, raw_day, _("The agent was not active on this day."))
            )
        elif agent is not None and (code, day) in seen:
            result.errors.append(
                _error(number, DATE, raw_day, _("This agent and day appear twice in the file."))
            )
        data = {}
        for header, name in COUNT_COLUMNS.items():
            raw = values[index[header]] if header in index else None
            text = _text(raw) or "0"
            if not text.isdigit() or int(text) > services.MAX_COUNT:
                result.errors.append(
                    _error(number, header, raw, _("A whole number from 0 to 999."))
                )
                continue
            data[name] = int(text)
        if agent is not None and day is not None:
            seen.add((code, day))
            batches[(agent.group, day)][agent.pk] = data
    if result.errors:
        return result
    with transaction.atomic():
        for (group, day), batch in batches.items():
            result.saved += services.worklog_bulk_save(
                acting_user=user, group=group, day=day, rows=batch
            )
    return result
