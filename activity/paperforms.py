"""Activity management's forms on core.paperforms (spec §4): 附件5 weekly activity check record
(活动量管理检查记录表) of a department and 附件6 agent work log check table (业务员工作日志检查表)
of a group or department for a week or a month. Each builder turns what a view already fetched
through the access layer into a Form; the views answer with core.paperforms.respond()."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from activity.selectors.log_checks import MONTH
from core.paperforms import (
    LANDSCAPE,
    Column,
    Form,
    HeaderField,
    Section,
    Signature,
    Table,
    register,
)
from org.models import UnitKind


def _percent(ratio):
    """A ratio (0.4375) as the percentage a percent column takes (43.75)."""
    return None if ratio is None else ratio * 100


def _day(moment):
    return timezone.localdate(moment) if moment else None


# -- 附件5 -----------------------------------------------------------------------------------
def _check_items(check, data: dict) -> list[list]:
    """The record's items in the order of the paper form: label, then its status (people's text,
    or the figure computed from the data; counts stay numbers)."""
    attendance = data["attendance"]
    separator = pgettext("list separator", ", ")
    missing = separator.join(row["name"] for row in data["missing"]) or _("None")
    cards = data["recruit_cards"]
    return [
        [
            _("Attendance rate"),
            f"{attendance['rate']}%" if attendance["has_data"] else _("No attendance data"),
        ],
        [_("Department morning meeting status"), check.morning_meeting],
        [_("Group second morning meeting status"), check.second_meeting],
        [_("Agents who did not fill their log"), missing],
        [
            _("Prospect cards filled in 30/60/100"),
            " / ".join(str(n) for n in data["prospect_thresholds"].values()),
        ],
        [_("Work element table filled"), check.work_element_table],
        [_("Evening meeting status"), check.evening_meeting],
        [_("Supervisor accompanied visits"), data["accompanied_visits"]],
        [
            _("Recruitment card status"),
            _("%(total)d cards; added this week %(added)d, contacted this week %(contacted)d")
            % {
                "total": cards["total"],
                "added": cards["added_in_week"],
                "contacted": cards["contacted_in_week"],
            },
        ],
        [pgettext("spreadsheet", "Improvement measures"), check.measures],
    ]


def _figure_row(label, item: dict) -> list:
    return [
        label,
        item["active_agents"],
        _percent(item["fill_rate"]),
        item["visits_per_agent_day"],
        _percent(item["activity_rate"]),
        _percent(item["attainment"]),
    ]


@register(5, gettext_lazy("Weekly activity check"), key="week")
def weekly_check_form(check, data: dict, frozen: bool) -> Form:
    """A department's record for a week (`check`, saved or not) with its figures (`data`, frozen
    at submission when `frozen`, else computed now): the items, the figures per group and for
    the department, the agents who did not fill their log, the district's comment and the
    signature lines."""
    department = check.department
    if frozen:
        submitted = timezone.localtime(check.submitted_at) if check.submitted_at else None
        figures_note = _("As submitted on %(at)s") % {
            "at": f"{submitted:%Y-%m-%d %H:%M}" if submitted else data["computed_at"][:10]
        }
    else:
        figures_note = _("Computed from the data up to %(through)s, not submitted") % {
            "through": data["through"]
        }
    separator = pgettext("list separator", ", ")
    return Form(
        unit=department.name,
        unit_label=_("Sales department"),
        period=_("%(start)s to %(end)s") % {"start": data["week_start"], "end": data["week_end"]},
        period_label=_("Week checked"),
        fields=[
            HeaderField(_("State"), check.get_state_display() if check.pk else _("Not started")),
            HeaderField(_("Figures"), figures_note),
        ],
        tables=[
            Table(
                columns=[
                    Column(_("Check item"), "text", 28, keep=True),
                    Column(_("Findings"), "value", 60),
                ],
                rows=_check_items(check, data),
            ),
            Table(
                title=_("Activity figures"),
                columns=[
                    Column(_("Group"), "text", 16),
                    Column(_("Active agents"), "int", 10),
                    Column(_("Log fill rate"), "percent", 10),
                    Column(_("Visits per agent per day"), "decimal", 12),
                    Column(_("Activity rate"), "percent", 10),
                    Column(_("Scorecard attainment"), "percent", 12),
                ],
                rows=[_figure_row(group["name"], group) for group in data["groups"]],
                totals=_figure_row(_("Total"), data["figures"]),
                blank_rows=6,
            ),
            Table(
                title=_("Workdays without a log, per agent"),
                columns=[
                    Column(_("Group"), "text", 16),
                    Column(_("Name"), "text", 12),
                    Column(_("Workdays without a log"), "text", 40),
                    Column(_("Days"), "int", 8),
                ],
                rows=[
                    [
                        row["group"],
                        row["name"],
                        separator.join(day[5:] for day in row["days"]),
                        len(row["days"]),
                    ]
                    for row in data["missing"]
                ],
                blank_rows=6,
            ),
        ],
        sections=[Section(_("District comment"), check.comment, lines=3)],
        signatures=[
            Signature(
                pgettext("paper form", "Filled by"),
                str(check.filled_by or ""),
                _day(check.submitted_at),
            ),
            Signature(_("Department manager's signature")),
            Signature(
                pgettext("spreadsheet", "Checked by"),
                str(check.checked_by or ""),
                _day(check.checked_at),
            ),
        ],
        filename=f"form5-{department.code}-{data['week_start']}",
    )


# -- 附件6 -----------------------------------------------------------------------------------
def _unit_name(unit) -> str:
    if unit.kind == UnitKind.GROUP and unit.parent_id:
        return f"{unit.parent.name} · {unit.name}"
    return unit.name


def _log_row(check, row, first: str, second: str) -> list:
    month = check.period == MONTH
    if month:
        target = [row.weeks_on_target, row.weeks]
    else:
        target = [_("Reached") if row.reached else _("Not reached")]
    return [
        first,
        second,
        row.prospects,
        row.visits,
        row.points,
        *target,
        row.with_notes,
        row.approved,
        _day(row.last_approved_at),
        row.logs,
        row.workdays,
    ]


@register(6, gettext_lazy("Work log check table"), key="period")
def work_log_check(check) -> Form:
    """附件6 of a LogCheck (activity.selectors.log_checks.log_check): one row per agent (group,
    name, prospects, visits, plan 100, meeting notes, supervisor approval, logs filled), the
    totals, the checker's comments and the supervisor's and department manager's lines."""
    month = check.period == MONTH
    if month:
        target_columns = [
            Column(_("Weeks on target"), "int", 8),
            Column(pgettext("paper form", "Weeks"), "int", 6),
        ]
        period = f"{check.start:%Y-%m}"
        reached = None
    else:
        target_columns = [Column(_("Reached"), "text", 8)]
        period = f"{check.start:%Y-%m-%d} – {check.end:%Y-%m-%d}"
        reached = _("%(n)s of %(agents)s reached") % {
            "n": check.total.weeks_on_target,
            "agents": check.total.weeks,
        }
    totals = _log_row(check, check.total, _("Total"), _("%(n)s agents") % {"n": len(check.rows)})
    if reached is not None:
        totals[5] = reached
    return Form(
        unit=_unit_name(check.unit),
        unit_label=_("Group or department"),
        period=period,
        period_label=_("Form month") if month else _("Week checked"),
        fields=[
            HeaderField(_("Counted through"), check.through),
            HeaderField(_("Weekly target"), check.target, keep=True),
        ],
        tables=[
            Table(
                columns=[
                    Column(_("Group"), "text", 12, keep=True),
                    Column(_("Name"), "text", 9, keep=True),
                    Column(_("Prospects"), "int", 7),
                    Column(_("Visits"), "int", 7),
                    Column(_("Plan 100"), "int", 8),
                    *target_columns,
                    Column(_("Morning meeting notes"), "int", 8),
                    Column(_("Supervisor approval"), "int", 8),
                    Column(_("Approved on"), "date", 11),
                    Column(_("Logs filled"), "int", 7),
                    Column(pgettext("paper form", "Workdays"), "int", 7),
                ],
                rows=[_log_row(check, row, row.group, row.name) for row in check.rows],
                totals=totals,
            )
        ],
        notes=[
            _(
                "Plan 100: the scorecard points of the submitted logs against the weekly target; "
                "for a month, the weeks on target. Notes and approvals: logs with morning meeting "
                "notes and approved logs, of the logs filled on workdays; the time is the latest "
                "approval."
            )
        ],
        sections=[Section(_("Checker's comments"), lines=4)],
        signatures=[
            Signature(_("Supervisor's signature")),
            Signature(_("Department manager's signature")),
        ],
        orientation=LANDSCAPE,
        filename=f"form6-{check.unit.code}-{period[:10]}",
    )
