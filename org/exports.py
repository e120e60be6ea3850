"""Excel documents of org: the roster sheet (业务员名单) — its columns and labels, and the agent
list exported in it, which can be edited and imported again (org.imports reads the same layout).

The sheet's headers and the labels of gender, education and status are written in the user's
language and read in either sheet language (core.imports.base.SHEET_LANGUAGES).
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
from core.xlsx import put
from core.xlsx import workbook_bytes as _save
from org import access
from org.access import Cap
from org.models import Agent, AgentStatus, Education, Gender, PersonalDataAccess

DATA_SHEET_TITLE = gettext_lazy("Agent roster")


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
        gettext_lazy("Agent code"),
        True,
        gettext_lazy("Unique agent code. An existing code updates that agent."),
        "A10001",
    ),
    RosterColumn(
        "name", gettext_lazy("Name"), True, gettext_lazy("Full name."), gettext_lazy("Zhang San")
    ),
    RosterColumn(
        "gender", gettext_lazy("Gender"), True, gettext_lazy("Male or Female."), Gender.MALE.label
    ),
    RosterColumn(
        "id_number",
        gettext_lazy("National ID number"),
        True,
        gettext_lazy(
            "18-character national ID number, typed as text. A masked value "
            "from an export (with *) keeps the stored number."
        ),
        "110101199001011237",
    ),
    RosterColumn(
        "mobile",
        gettext_lazy("Mobile"),
        True,
        gettext_lazy(
            "11-digit mobile number. A masked value from an export (with *) "
            "keeps the stored number."
        ),
        "13812345678",
    ),
    RosterColumn(
        "education",
        gettext_lazy("Education"),
        True,
        gettext_lazy(
            "One of: Junior high school or below, High school / technical school, "
            "College (3-year), Bachelor, Master or above."
        ),
        Education.BACHELOR.label,
    ),
    RosterColumn(
        "hire_date",
        gettext_lazy("Hire date"),
        True,
        gettext_lazy("An Excel date or text as YYYY-MM-DD."),
        "2024-03-01",
    ),
    RosterColumn(
        "department",
        gettext_lazy("Sales department"),
        True,
        gettext_lazy("Sales department name or code."),
        gettext_lazy("First sales department"),
    ),
    RosterColumn(
        "group",
        gettext_lazy("Sales group"),
        True,
        gettext_lazy(
            "Sales group name or code; it must be under that department and "
            "among the units you may edit."
        ),
        gettext_lazy("Group 1"),
    ),
    RosterColumn(
        "rank",
        gettext_lazy("Rank"),
        True,
        gettext_lazy(
            "Rank name or code from the branch's rank ladder. A change takes effect today."
        ),
        gettext_lazy("Probationary agent"),
    ),
    RosterColumn(
        "status",
        gettext_lazy("Status"),
        True,
        gettext_lazy("One of: Candidate, Probation, Formal, Resigned."),
        AgentStatus.PROBATION.label,
    ),
    RosterColumn(
        "recruiter",
        gettext_lazy("Recruiter code"),
        False,
        gettext_lazy(
            "Agent code of the recruiter: an existing agent or another row of "
            "this sheet. Leave empty if none."
        ),
        "",
    ),
    RosterColumn(
        "resigned_on",
        gettext_lazy("Resignation date"),
        False,
        gettext_lazy(
            "Needed when the status is Resigned, empty otherwise. This column may be left out."
        ),
        "",
    ),
]
COLUMNS_BY_KEY = {column.key: column for column in ROSTER_COLUMNS}

# The sheet's labels (lazy: written in the user's language, read in either).
GENDER_SHEET_LABELS = dict(Gender.choices)
EDUCATION_SHEET_LABELS = dict(Education.choices)
STATUS_SHEET_LABELS = dict(AgentStatus.choices)


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
    sheet = workbook.create_sheet(str(DATA_SHEET_TITLE))
    for index, column in enumerate(ROSTER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            20 if column.key == "id_number" else 13
        )
    sheet.freeze_panes = "A2"
    header = []
    for column in ROSTER_COLUMNS:
        header.append(_header_style(put(WriteOnlyCell(sheet), column.header)))
    sheet.append(header)

    count = 0
    agents = queryset.select_related("group__parent", "rank", "recruiter")
    for agent in agents.iterator(chunk_size=1000):
        values = {
            "code": agent.code,
            "name": agent.name,
            "gender": str(GENDER_SHEET_LABELS.get(agent.gender, agent.gender)),
            "id_number": agent.id_number if full_personal_data else agent.id_number_masked,
            "mobile": agent.mobile if full_personal_data else agent.mobile_masked,
            "education": str(EDUCATION_SHEET_LABELS.get(agent.education, agent.education)),
            "hire_date": agent.hire_date,
            "department": agent.group.parent.name if agent.group.parent_id else "",
            "group": agent.group.name,
            "rank": agent.rank.name,
            "status": str(STATUS_SHEET_LABELS.get(agent.status, agent.status)),
            "recruiter": agent.recruiter.code if agent.recruiter_id else "",
            "resigned_on": agent.resigned_on,
        }
        row = []
        for column in ROSTER_COLUMNS:
            cell = put(WriteOnlyCell(sheet), values[column.key])
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
