"""Excel documents of org: the roster sheet (业务员名单) — its columns and labels, and the agent
list exported in it, which can be edited and imported again (org.imports reads the same layout).

The sheet is a file format, so its headers and the labels of gender, education and status are
fixed Chinese text whatever the UI language; messages to the user go through gettext.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from core.imports import Column
from core.xlsx import header_style as _header_style
from core.xlsx import workbook_bytes as _save
from org import access
from org.access import Cap
from org.models import Agent, AgentStatus, Education, Gender, PersonalDataAccess

DATA_SHEET_TITLE = "业务员名单"


def RosterColumn(key, header, required, help, example):  # noqa: N802 - reads as a declaration
    return Column(
        key,
        header,
        required,
        help=help,
        example=example,
        width=20 if key == "id_number" else 13,
        as_text=key in {"code", "id_number", "mobile", "recruiter"},
    )


ROSTER_COLUMNS: list[Column] = [
    RosterColumn(
        "code",
        "业务编码",
        True,
        gettext_lazy("Unique agent code. An existing code updates that agent."),
        "A10001",
    ),
    RosterColumn("name", "姓名", True, gettext_lazy("Full name."), "张三"),
    RosterColumn("gender", "性别", True, gettext_lazy("男 or 女."), "男"),
    RosterColumn(
        "id_number",
        "身份证号",
        True,
        gettext_lazy(
            "18-character national ID number, typed as text. A masked value "
            "from an export (with *) keeps the stored number."
        ),
        "110101199001011237",
    ),
    RosterColumn(
        "mobile",
        "手机",
        True,
        gettext_lazy(
            "11-digit mobile number. A masked value from an export (with *) "
            "keeps the stored number."
        ),
        "13812345678",
    ),
    RosterColumn(
        "education",
        "学历",
        True,
        gettext_lazy("One of: 初中及以下, 高中/中专, 大专, 本科, 硕士及以上."),
        "本科",
    ),
    RosterColumn(
        "hire_date",
        "入司日期",
        True,
        gettext_lazy("An Excel date or text as YYYY-MM-DD."),
        "2024-03-01",
    ),
    RosterColumn(
        "department", "营业部", True, gettext_lazy("Sales department name or code."), "第一营业部"
    ),
    RosterColumn(
        "group",
        "营业组",
        True,
        gettext_lazy(
            "Sales group name or code; it must be under that department and "
            "among the units you may edit."
        ),
        "一组",
    ),
    RosterColumn(
        "rank",
        "职级",
        True,
        gettext_lazy(
            "Rank name or code from the branch's rank ladder. A change takes effect today."
        ),
        "试用业务员",
    ),
    RosterColumn("status", "状态", True, gettext_lazy("One of: 候选, 试用, 正式, 离职."), "试用"),
    RosterColumn(
        "recruiter",
        "推荐人编码",
        False,
        gettext_lazy(
            "Agent code of the recruiter: an existing agent or another row of "
            "this sheet. Leave empty if none."
        ),
        "",
    ),
    RosterColumn(
        "resigned_on",
        "离职日期",
        False,
        gettext_lazy(
            "Needed when the status is 离职, empty otherwise. This column may be left out."
        ),
        "",
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in ROSTER_COLUMNS}

# The sheet's labels (fixed, whatever the UI language).
GENDER_SHEET_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
EDUCATION_SHEET_LABELS = {
    Education.JUNIOR_HIGH: "初中及以下",
    Education.HIGH_SCHOOL: "高中/中专",
    Education.COLLEGE: "大专",
    Education.BACHELOR: "本科",
    Education.MASTER: "硕士及以上",
}
STATUS_SHEET_LABELS = {
    AgentStatus.CANDIDATE: "候选",
    AgentStatus.PROBATION: "试用",
    AgentStatus.FORMAL: "正式",
    AgentStatus.RESIGNED: "离职",
}


# -- export -------------------------------------------------------------------------------------


def agents_export(
    queryset, acting_user, full_personal_data: bool = False, filter_description: str = ""
) -> bytes:
    """The agents as a roster sheet that can be edited and imported again.

    ID numbers and mobiles are masked unless `full_personal_data`, which needs Cap.VIEW_PII over
    every exported agent and is logged once (PersonalDataAccess, purpose EXPORT).
    """
    if full_personal_data:
        allowed = Agent.objects.with_cap(acting_user, Cap.VIEW_PII).values("pk")
        if not access.holds(acting_user, Cap.VIEW_PII) or queryset.exclude(pk__in=allowed).exists():
            raise PermissionDenied(_("You may not export full personal data of these agents."))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET_TITLE)
    for index, column in enumerate(ROSTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            20 if column.key == "id_number" else 13
        )
    sheet.freeze_panes = "A2"
    header = []
    for column in ROSTER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        header.append(_header_style(cell))
    sheet.append(header)

    count = 0
    agents = queryset.select_related("group__parent", "rank", "recruiter")
    for agent in agents.iterator(chunk_size=1000):
        values = {
            "code": agent.code,
            "name": agent.name,
            "gender": GENDER_SHEET_LABELS.get(agent.gender, agent.gender),
            "id_number": agent.id_number if full_personal_data else agent.id_number_masked,
            "mobile": agent.mobile if full_personal_data else agent.mobile_masked,
            "education": EDUCATION_SHEET_LABELS.get(agent.education, agent.education),
            "hire_date": agent.hire_date,
            "department": agent.group.parent.name if agent.group.parent_id else "",
            "group": agent.group.name,
            "rank": agent.rank.name,
            "status": STATUS_SHEET_LABELS.get(agent.status, agent.status),
            "recruiter": agent.recruiter.code if agent.recruiter_id else "",
            "resigned_on": agent.resigned_on,
        }
        row = []
        for column in ROSTER_COLUMNS:
            cell = WriteOnlyCell(sheet, value=values[column.key])
            if isinstance(values[column.key], date):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
        count += 1

    content = _save(workbook)
    if full_personal_data:
        detail = _("%(count)s rows; filter: %(filter)s") % {
            "count": count,
            "filter": filter_description or _("none"),
        }
        PersonalDataAccess.objects.create(
            user=acting_user,
            agent=None,
            purpose=PersonalDataAccess.Purpose.EXPORT,
            detail=detail[:200],
        )
    return content
