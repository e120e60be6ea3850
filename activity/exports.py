"""Excel files of activity management: the weekly check (附件5) and the log import template."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from core.xlsx import header_style, workbook_bytes


def _ratio(value):
    return "—" if value is None else f"{value * 100:.1f}%"


def weekly_check_xlsx(check, data: dict) -> bytes:
    """The weekly check laid out like the paper form: one label and one value per row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "活动量管理检查记录表"
    sheet.append(["活动量管理检查记录表"])
    sheet.append(
        ["营业部", check.department.name, "检查周", f"{data['week_start']} 至 {data['week_end']}"]
    )
    attendance = data["attendance"]
    missing = "\n".join(
        f"{row['name']}（{row['group']}）：{'、'.join(day[5:] for day in row['days'])}"
        for row in data["missing"]
    )
    figures = data["figures"]
    rows = [
        ("出勤率", f"{attendance['rate']}%" if attendance["has_data"] else _("No attendance data")),
        ("营业部早会情况", check.morning_meeting),
        ("组二早情况", check.second_meeting),
        ("未填写工作日志人员", missing or _("None")),
        (
            "准主顾卡填写状况 30/60/100",
            " / ".join(str(n) for n in data["prospect_thresholds"].values()),
        ),
        ("工作要素统计表填写", check.work_element_table),
        ("夕会情况", check.evening_meeting),
        ("主管陪访", data["accompanied_visits"]),
        (
            "增员卡状况",
            _("%(total)d cards; added this week %(added)d, contacted this week %(contacted)d")
            % {
                "total": data["recruit_cards"]["total"],
                "added": data["recruit_cards"]["added_in_week"],
                "contacted": data["recruit_cards"]["contacted_in_week"],
            },
        ),
        ("日志填写率", _ratio(figures["fill_rate"])),
        (
            "人均日拜访量",
            "—"
            if figures["visits_per_agent_day"] is None
            else round(figures["visits_per_agent_day"], 2),
        ),
        ("活动率", _ratio(figures["activity_rate"])),
        ("百分卡达标率", _ratio(figures["attainment"])),
        ("改进措施", check.measures),
        ("营业区检查意见", check.comment),
        ("检查人", str(check.checked_by or "")),
        ("检查日期", check.checked_at.date().isoformat() if check.checked_at else ""),
    ]
    for label, value in rows:
        sheet.append([label, value])
        header_style(sheet.cell(row=sheet.max_row, column=1))
        sheet.cell(row=sheet.max_row, column=2).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    return workbook_bytes(workbook)
