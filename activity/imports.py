"""Excel import of work logs, all rows or nothing (errors by row and column), on the shared
import framework (core.imports).

The first sheet's first row holds the headers: 业务编码 and 日期 (required) and any of the count
columns below (an empty cell is 0).
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.models import COUNT_FIELDS, WorkLog
from activity.services.logs import MAX_COUNT, worklog_bulk_save
from core.imports import Column, Counts, Importer, parsers
from org.access import Cap, holds
from org.models import Agent

MAX_ROWS = 20000
CODE, DATE = gettext_lazy("Agent code"), gettext_lazy("Date")
COUNT_COLUMNS = {  # header → field
    gettext_lazy("New prospects"): "new_prospects",
    gettext_lazy("First visits"): "first_visits",
    gettext_lazy("Follow-up visits"): "follow_up_visits",
    gettext_lazy("Closings"): "closing_visits",
    gettext_lazy("After-sales service"): "service_visits",
    gettext_lazy("Recruiting talks"): "recruiting_talks",
    gettext_lazy("Accompanied"): "accompanied_visits",
    gettext_lazy("Policies closed"): "policies_closed",
}


class WorkLogImport(Importer):
    columns = [
        Column("code", CODE, required=True, help=gettext_lazy("The agent's code.")),
        Column(
            "date",
            DATE,
            required=True,
            parse=parsers.date,
            help=gettext_lazy("An Excel date or text as YYYY-MM-DD."),
        ),
        *(
            Column(name, header, parse=parsers.integer(0, MAX_COUNT), width=12)
            for header, name in COUNT_COLUMNS.items()
        ),
    ]
    sheet_title = gettext_lazy("Work log")
    template_filename = "work-log-import-template.xlsx"
    max_rows = MAX_ROWS

    def check_permission(self):
        if not holds(self.user, Cap.RECORD_WORK_LOGS):
            raise PermissionDenied

    def prepare(self, rows):
        codes = {row.text("code") for row in rows}
        self.agents = {
            agent.code: agent
            for agent in Agent.objects.filter(code__in=codes)
            .with_cap(self.user, Cap.RECORD_WORK_LOGS)
            .select_related("group")
        }
        self.today = timezone.localdate()
        self.seen = set()

    def validate_row(self, row):
        code, day = row.text("code"), row.get("date")
        agent = self.agents.get(code)
        if agent is None and code:
            row.error("code", _("No agent with this code that you may record."))
        if day is None:
            return None
        if day > self.today:
            row.error("date", _("A work log cannot be filled for a future day."))
        elif agent is not None and not agent.is_active_on(day):
            row.error("date", _("The agent was not active on this day."))
        elif agent is not None and (code, day) in self.seen:
            row.error("date", _("This agent and day appear twice in the file."))
        if agent is None:
            return None
        self.seen.add((code, day))
        return agent, day, {name: row.get(name, 0) for name in COUNT_COLUMNS.values()}

    def write(self, plans) -> Counts:
        existing = {
            (log.agent_id, log.date): log
            for log in WorkLog.objects.filter(
                agent_id__in={agent.pk for agent, _day, _data in plans},
                date__in={day for _agent, day, _data in plans},
            )
        }
        counts = Counts()
        batches = defaultdict(dict)
        for agent, day, data in plans:
            batches[(agent.group, day)][agent.pk] = data
            log = existing.get((agent.pk, day))
            if log is None and any(data.values()):
                counts.created += 1
            elif log is not None and any(getattr(log, f) != data.get(f, 0) for f in COUNT_FIELDS):
                counts.updated += 1
            else:
                counts.unchanged += 1
        for (group, day), batch in batches.items():
            worklog_bulk_save(acting_user=self.user, group=group, day=day, rows=batch)
        return counts

    def example_rows(self):
        """One example row: the first agent the user may enter logs for, today."""
        example = Agent.objects.exclude(status="resigned").with_cap(self.user, Cap.RECORD_WORK_LOGS)
        code = example.order_by("code").values_list("code", flat=True).first() or "A0000001"
        return [[code, timezone.localdate(), 2, 3, 2, 1, 1, 0, 1, 0]]

    def customize_template(self, workbook):
        workbook.worksheets[0].cell(row=2, column=2).number_format = "yyyy-mm-dd"

    def success_message(self, result):
        return _("%(count)d logs saved.") % {"count": result.saved}


def worklog_import(upload, user):
    return WorkLogImport(user).run(upload)
