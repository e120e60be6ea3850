"""Roster import/export: a whole file or nothing, idempotent, scoped, personal data masked."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role, RoleAssignment, User
from core.xlsx import XLSX_CONTENT_TYPE
from org.exports import ROSTER_COLUMNS
from org.imports import roster
from org.models import (
    Agent,
    AgentRankChange,
    AgentStatus,
    AgentTransfer,
    PersonalDataAccess,
    Rank,
    Unit,
    UnitKind,
)
from org.services import agents as agent_services
from org.services import common as services_common

HEADERS = [column.header for column in ROSTER_COLUMNS]  # zh-hans, the default
with translation.override("en"):
    ENGLISH_HEADERS = [column.header for column in ROSTER_COLUMNS]
XLSX = XLSX_CONTENT_TYPE


def id_number(seq: int) -> str:
    first17 = f"110101199001{seq:05d}"
    return first17 + agent_services.id_number_check_code(first17)


def mobile(seq: int) -> str:
    return f"1380000{seq:04d}"


def sheet(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(
    code,
    seq,
    *,
    name="张三",
    gender="男",
    education="本科",
    hire=date(2024, 3, 1),
    department="第一营业部",
    group="一组",
    rank="试用业务员",
    status="试用",
    recruiter="",
    resigned=None,
    id_value=None,
    mobile_value=None,
):
    return [
        code,
        name,
        gender,
        id_value or id_number(seq),
        mobile_value or mobile(seq),
        education,
        hire,
        department,
        group,
        rank,
        status,
        recruiter,
        resigned,
    ]


def upload(content: bytes, name="roster.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def read_xlsx(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def history_counts():
    return (Agent.history.count(), AgentTransfer.objects.count(), AgentRankChange.objects.count())


def error_cells(errors):
    return {(error["row"], error["column"]) for error in errors}


# -- the world ---------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="测试分公司", code="BR")
    ranks = {
        code: Rank.objects.create(branch=branch, code=code, name=name, level=level)
        for level, (code, name) in enumerate(
            [("PROB", "试用业务员"), ("FORMAL", "正式业务员"), ("SUP", "业务主任")], start=1
        )
    }
    units = {}
    for key in ("A", "B"):
        district = Unit.objects.create(
            kind=UnitKind.DISTRICT, name=f"{key}营业区", code=f"D{key}", parent=branch
        )
        # Both districts name their units alike; names are only unique within a parent.
        department = Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name="第一营业部", code=f"D{key}1", parent=district
        )
        units[key] = {
            "district": district,
            "department": department,
            "group1": Unit.objects.create(
                kind=UnitKind.GROUP, name="一组", code=f"G{key}1", parent=department
            ),
            "group2": Unit.objects.create(
                kind=UnitKind.GROUP, name="二组", code=f"G{key}2", parent=department
            ),
        }

    def person(username, role, unit):
        user = User.objects.create_user(username=username, password="x", language="en")
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
        return user

    users = {
        "district_admin": person("alice", Role.DISTRICT_ADMIN, units["A"]["district"]),
        "dept_manager": person("dora", Role.DEPT_MANAGER, units["A"]["department"]),
        "supervisor": person("sam", Role.SUPERVISOR, units["A"]["group1"]),
        "outsider": person("oscar", Role.DISTRICT_ADMIN, units["B"]["district"]),
    }
    common = {"gender": "F", "education": "college", "hire_date": date(2023, 5, 1)}
    agents = {
        "A0001": agent_services.agent_create(
            acting_user=users["district_admin"],
            group=units["A"]["group1"],
            rank=ranks["FORMAL"],
            code="A0001",
            name="李四",
            id_number=id_number(1),
            mobile=mobile(1),
            status=AgentStatus.FORMAL,
            **common,
        ),
        "A0002": agent_services.agent_create(
            acting_user=users["district_admin"],
            group=units["A"]["group1"],
            rank=ranks["PROB"],
            code="A0002",
            name="王五",
            id_number=id_number(2),
            mobile=mobile(2),
            status=AgentStatus.PROBATION,
            **common,
        ),
        "B0001": agent_services.agent_create(
            acting_user=users["outsider"],
            group=units["B"]["group1"],
            rank=ranks["FORMAL"],
            code="B0001",
            name="赵六",
            id_number=id_number(3),
            mobile=mobile(3),
            status=AgentStatus.FORMAL,
            **common,
        ),
    }
    return {"branch": branch, "ranks": ranks, "units": units, "users": users, "agents": agents}


def existing_rows():
    """A0001 and A0002 exactly as stored, with full personal data."""
    return [
        row(
            "A0001",
            1,
            name="李四",
            gender="女",
            education="大专",
            hire=date(2023, 5, 1),
            rank="正式业务员",
            status="正式",
        ),
        row(
            "A0002",
            2,
            name="王五",
            gender="女",
            education="大专",
            hire=date(2023, 5, 1),
            rank="试用业务员",
            status="试用",
        ),
    ]


def import_file(content: bytes, user):
    return roster.roster_import(io.BytesIO(content), user)


# -- import --------------------------------------------------------------------------------------


def test_good_file_creates_agents_with_groups_ranks_and_recruiters(world):
    content = sheet(
        [
            row("N001", 11, recruiter="A0001"),
            row("N002", 12, name="钱七", gender="女", recruiter="N003"),  # recruiter further down
            row(
                "N003",
                13,
                name="孙八",
                group="二组",
                rank="FORMAL",
                status="正式",
                education="master",
            ),
        ]
    )

    result = import_file(content, world["users"]["district_admin"])

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    n1, n2, n3 = (Agent.objects.get(code=code) for code in ("N001", "N002", "N003"))
    assert n1.group == world["units"]["A"]["group1"]
    assert n1.recruiter == world["agents"]["A0001"]
    assert n2.recruiter == n3
    assert n2.gender == "F"
    assert n3.group == world["units"]["A"]["group2"]
    assert n3.rank == world["ranks"]["FORMAL"]
    assert n3.status == AgentStatus.FORMAL
    assert n3.education == "master"
    assert n1.hire_date == date(2024, 3, 1)
    # agent_create wrote the hire records
    assert AgentTransfer.objects.filter(agent=n3, to_group=n3.group).count() == 1
    assert AgentRankChange.objects.filter(agent=n3, to_rank=n3.rank).count() == 1


def test_reimporting_the_same_file_changes_nothing(world):
    content = sheet(
        [row("N001", 11, recruiter="A0001"), row("N002", 12, recruiter="N001"), *existing_rows()]
    )
    first = import_file(content, world["users"]["district_admin"])
    assert (first.created, first.updated, first.unchanged) == (2, 0, 2)
    before = history_counts()

    again = import_file(content, world["users"]["district_admin"])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert history_counts() == before


def test_one_bad_row_writes_nothing_and_names_row_and_column(world):
    bad_id = id_number(12)[:17] + ("0" if id_number(12)[17] != "0" else "1")
    before = (Agent.objects.count(), *history_counts())
    content = sheet(
        [
            row("N001", 11),
            row("N002", 12, id_value=bad_id),
            row("N003", 13, group="九组"),
        ]
    )

    result = import_file(content, world["users"]["district_admin"])

    assert (result.created, result.updated) == (0, 0)
    assert {(3, "身份证号"), (4, "营业组")} <= error_cells(result.errors)
    assert all(error["message"] for error in result.errors)
    assert (Agent.objects.count(), *history_counts()) == before
    assert not Agent.objects.filter(code="N001").exists()


def test_changed_row_updates_exactly_that_agent_and_records_the_transfer(world):
    a1, a2 = world["agents"]["A0001"], world["agents"]["A0002"]
    a1_history = a1.history.count()
    rows = existing_rows()
    rows[1][8] = "二组"  # group
    rows[1][9] = "正式业务员"  # rank
    rows[1][1] = "王五五"  # name

    result = import_file(sheet(rows), world["users"]["district_admin"])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    a2.refresh_from_db()
    assert a2.group == world["units"]["A"]["group2"]
    assert a2.rank == world["ranks"]["FORMAL"]
    assert a2.name == "王五五"
    transfer = AgentTransfer.objects.filter(agent=a2).first()
    assert transfer.from_group == world["units"]["A"]["group1"]
    assert transfer.effective_date == services_common.today()
    assert AgentRankChange.objects.filter(agent=a2, to_rank=world["ranks"]["FORMAL"]).exists()
    assert a1.history.count() == a1_history


def test_resigning_an_agent_needs_the_date(world):
    rows = existing_rows()
    rows[0][10] = "离职"
    result = import_file(sheet(rows), world["users"]["district_admin"])
    assert error_cells(result.errors) == {(2, "离职日期")}

    rows[0][12] = date(2025, 1, 31)
    result = import_file(sheet(rows), world["users"]["district_admin"])
    assert result.errors == []
    agent = Agent.objects.get(code="A0001")
    assert (agent.status, agent.resigned_on) == (AgentStatus.RESIGNED, date(2025, 1, 31))


def test_group_outside_the_users_units_is_an_error_for_that_row(world):
    content = sheet([row("N001", 11, department="DB1", group="GB1"), row("N002", 12)])

    result = import_file(content, world["users"]["district_admin"])

    assert error_cells(result.errors) == {(2, "营业部")}
    assert not Agent.objects.filter(code__in=["N001", "N002"]).exists()


def test_visible_but_not_editable_group_is_refused(world):
    # Dora manages department A1 and also supervises group B1 (sees it, may not edit it).
    dora = world["users"]["dept_manager"]
    RoleAssignment.objects.create(
        user=dora, role=Role.SUPERVISOR, unit=world["units"]["B"]["group1"]
    )
    content = sheet([row("N001", 11, department="DB1", group="一组")])

    result = roster.roster_import(io.BytesIO(content), User.objects.get(pk=dora.pk))

    assert error_cells(result.errors) == {(2, "营业组")}


def test_outsider_cannot_overwrite_an_agent_of_another_district(world):
    content = sheet([row("A0001", 1, department="第一营业部", group="一组")])

    result = import_file(content, world["users"]["outsider"])

    assert (2, "业务编码") in error_cells(result.errors)
    assert Agent.objects.get(code="A0001").group == world["units"]["A"]["group1"]


def test_duplicate_codes_masked_new_values_and_recruiter_loops_are_reported(world):
    content = sheet(
        [
            row("N001", 11, recruiter="N002"),
            row("N002", 12, recruiter="N001"),
            row("N001", 13),
            row("N004", 14, id_value="110***********1234"),
            row("N005", 15, recruiter="ZZZZ"),
        ]
    )

    result = import_file(content, world["users"]["district_admin"])

    assert error_cells(result.errors) >= {
        (2, "推荐人编码"),
        (3, "推荐人编码"),
        (4, "业务编码"),
        (5, "身份证号"),
        (6, "推荐人编码"),
    }
    assert Agent.objects.count() == 3


def test_loop_through_the_stored_recruitment_tree_is_reported(world):
    admin = world["users"]["district_admin"]
    agent_services.agent_update(
        acting_user=admin, agent=world["agents"]["A0002"], recruiter=world["agents"]["A0001"]
    )
    rows = existing_rows()
    rows[0][11] = "A0002"  # A0001 recruited by A0002, who was recruited by A0001

    result = import_file(sheet(rows[:1]), admin)

    assert error_cells(result.errors) == {(2, "推荐人编码")}
    assert Agent.objects.get(code="A0001").recruiter is None


def test_a_row_the_services_refuse_while_writing_undoes_the_whole_import(world, monkeypatch):
    admin = world["users"]["district_admin"]
    group2 = world["units"]["A"]["group2"]
    leaver = agent_services.agent_create(
        acting_user=admin,
        group=group2,
        rank=world["ranks"]["PROB"],
        code="A0003",
        name="周九",
        gender="M",
        id_number=id_number(4),
        mobile=mobile(4),
        education="college",
        hire_date=date(2023, 5, 1),
        status=AgentStatus.RESIGNED,
        resigned_on=date(2024, 1, 31),
    )
    before = (Agent.objects.count(), *history_counts())
    real_update = agent_services.agent_update

    def refusing_update(*, agent, **fields):
        # A rule only the service knows (checked while writing, after the row passed validation).
        if agent.code == "A0003":
            raise ValidationError({"group": ["二组 is closed."]})
        return real_update(agent=agent, **fields)

    monkeypatch.setattr(agent_services, "agent_update", refusing_update)
    content = sheet(
        [
            row("N001", 11),
            row(
                "A0003",
                4,
                name="周九九",
                gender="男",
                education="大专",
                hire=date(2023, 5, 1),
                group="二组",
                status="离职",
                resigned=date(2024, 1, 31),
            ),
        ]
    )

    result = import_file(content, admin)

    assert [(e["row"], e["column"], e["value"]) for e in result.errors] == [(3, "营业组", "二组")]
    assert (Agent.objects.count(), *history_counts()) == before
    leaver.refresh_from_db()
    assert leaver.name == "周九"


def test_numbers_and_text_dates_are_read_like_excel_users_type_them(world):
    content = sheet(
        [
            row(
                "N001",
                11,
                mobile_value=13800001234,
                hire="2024/3/5",
                gender="Female",
                status="probation",
            )
        ]
    )

    result = import_file(content, world["users"]["district_admin"])

    assert result.errors == []
    agent = Agent.objects.get(code="N001")
    assert (agent.mobile, agent.hire_date, agent.gender) == ("13800001234", date(2024, 3, 5), "F")


def test_wrong_headers_and_empty_sheets_are_refused(world):
    user = world["users"]["district_admin"]
    wrong = import_file(sheet([row("N001", 11)], headers=["编码", *HEADERS[1:]]), user)
    assert wrong.errors[0]["row"] is None
    assert "业务编码" in wrong.errors[0]["message"]
    assert import_file(sheet([]), user).errors[0]["row"] is None
    assert import_file(b"code,name\nN001,x\n", user).errors[0]["row"] is None
    assert Agent.objects.count() == 3


def test_validation_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    content = sheet([row(f"N{i:03d}", 100 + i, recruiter="A0001") for i in range(200)])
    user = User.objects.get(pk=world["users"]["district_admin"].pk)
    with django_assert_max_num_queries(6):
        plan, errors = roster.roster_parse_and_validate(io.BytesIO(content), user)
    assert errors == []
    assert len(plan) == 200


# -- pages and API ------------------------------------------------------------------------------


def test_import_page_imports_and_reports_counts(client, world):
    client.force_login(world["users"]["dept_manager"])
    assert client.get(reverse("org:roster_import")).status_code == 200

    response = client.post(
        reverse("org:roster_import"),
        {"file": upload(sheet([row("N001", 11), *existing_rows()]))},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("org:agent_list")
    assert "1 created, 0 updated, 2 unchanged" in response.content.decode()
    assert Agent.objects.filter(code="N001").exists()


def test_import_page_shows_each_bad_row_and_says_nothing_was_imported(client, world):
    client.force_login(world["users"]["district_admin"])
    content = sheet([row("N001", 11), row("N002", 12, group="九组")])

    response = client.post(reverse("org:roster_import"), {"file": upload(content)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in page
    assert "九组" in page and "Sales group" in page  # the column as the user's language names it
    assert not Agent.objects.filter(code="N001").exists()


def test_non_xlsx_upload_gets_a_clear_message(client, world):
    client.force_login(world["users"]["district_admin"])

    csv = client.post(
        reverse("org:roster_import"), {"file": SimpleUploadedFile("roster.csv", b"a,b\n1,2\n")}
    )
    fake = client.post(reverse("org:roster_import"), {"file": upload(b"not a zip file")})

    assert "Only Excel .xlsx files can be imported" in csv.content.decode()
    assert "not an Excel .xlsx file" in fake.content.decode()


def test_supervisor_may_not_import(client, world):
    client.force_login(world["users"]["supervisor"])
    assert client.get(reverse("org:roster_import")).status_code == 403
    assert (
        client.post(
            reverse("org:roster_import"), {"file": upload(sheet([row("N001", 11)]))}
        ).status_code
        == 403
    )
    api = APIClient()
    api.force_authenticate(world["users"]["supervisor"])
    response = api.post(
        reverse("api-roster-import"), {"file": upload(sheet([row("N001", 11)]))}, format="multipart"
    )
    assert response.status_code == 403
    assert not Agent.objects.filter(code="N001").exists()


def test_api_import_returns_counts_or_row_errors(world):
    api = APIClient()
    api.force_authenticate(world["users"]["district_admin"])

    bad = api.post(
        reverse("api-roster-import"),
        {"file": upload(sheet([row("N001", 11, rank="不存在")]))},
        format="multipart",
    )
    good = api.post(
        reverse("api-roster-import"), {"file": upload(sheet([row("N001", 11)]))}, format="multipart"
    )

    assert bad.status_code == 400
    assert bad.json()["errors"][0] | {"message": ""} == {
        "row": 2,
        "column": "职级",
        "value": "不存在",
        "message": "",
    }
    assert bad.json()["detail"]
    assert good.status_code == 200
    assert good.json() == {"created": 1, "updated": 0, "unchanged": 0}


# -- export -------------------------------------------------------------------------------------


def test_export_is_masked_by_default(client, world):
    client.force_login(world["users"]["district_admin"])

    response = client.get(reverse("org:agent_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="agent-roster-' in response["Content-Disposition"]  # alice reads English
    rows = read_xlsx(response.content)
    assert list(rows[0]) == ENGLISH_HEADERS
    a1 = next(r for r in rows if r[0] == "A0001")
    assert a1[3] == "110***********" + id_number(1)[-4:]
    assert "*" in a1[4]
    assert id_number(1) not in str(rows) and mobile(1) not in str(rows)
    assert not PersonalDataAccess.objects.exists()


def test_full_export_for_district_admin_is_logged_once(client, world):
    client.force_login(world["users"]["district_admin"])

    response = client.get(reverse("org:agent_export"), {"full": "1", "status": "formal"})

    rows = read_xlsx(response.content)
    assert response.status_code == 200
    assert [r[0] for r in rows[1:]] == ["A0001"]
    assert rows[1][3] == id_number(1) and rows[1][4] == mobile(1)
    log = PersonalDataAccess.objects.get()
    assert log.user == world["users"]["district_admin"]
    assert log.purpose == PersonalDataAccess.Purpose.EXPORT
    assert log.agent is None
    assert "1" in log.detail and "status=formal" in log.detail


def test_full_export_needs_the_personal_data_permission(client, world):
    client.force_login(world["users"]["dept_manager"])
    assert client.get(reverse("org:agent_export"), {"full": "1"}).status_code == 403
    api = APIClient()
    api.force_authenticate(world["users"]["dept_manager"])
    assert api.get(reverse("api-agent-export"), {"full": "1"}).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_export_respects_the_filter_and_the_scope(client, world):
    client.force_login(world["users"]["district_admin"])
    everything = read_xlsx(client.get(reverse("org:agent_export")).content)
    probation = read_xlsx(client.get(reverse("org:agent_export"), {"status": "probation"}).content)
    other_unit = read_xlsx(
        client.get(
            reverse("org:agent_export"), {"unit": world["units"]["B"]["district"].pk}
        ).content
    )

    assert [r[0] for r in everything[1:]] == ["A0001", "A0002"]
    assert [r[0] for r in probation[1:]] == ["A0002"]
    assert "B0001" not in [r[0] for r in other_unit]


def test_api_export_returns_the_sheet(world):
    api = APIClient()
    api.force_authenticate(world["users"]["outsider"])

    response = api.get(reverse("api-agent-export"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert [r[0] for r in read_xlsx(response.content)[1:]] == ["B0001"]


def test_masked_export_reimported_changes_nothing(client, world):
    client.force_login(world["users"]["district_admin"])
    exported = client.get(reverse("org:agent_export")).content
    before = history_counts()

    response = client.post(
        reverse("org:roster_import"), {"file": upload(exported, "业务员名单.xlsx")}, follow=True
    )

    assert "0 created, 0 updated, 2 unchanged" in response.content.decode()
    assert history_counts() == before
    a1 = Agent.objects.get(code="A0001")
    assert (a1.id_number, a1.mobile) == (id_number(1), mobile(1))


def test_template_downloads_with_the_headers(client, world):
    world["users"]["dept_manager"].language = "zh-hans"
    world["users"]["dept_manager"].save(update_fields=["language"])
    client.force_login(world["users"]["dept_manager"])

    response = client.get(reverse("org:roster_template"))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["业务员名单", "说明"]
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers == HEADERS
    assert headers[:12] == [
        "业务编码",
        "姓名",
        "性别",
        "身份证号",
        "手机",
        "学历",
        "入司日期",
        "营业部",
        "营业组",
        "职级",
        "状态",
        "推荐人编码",
    ]
    assert headers[12] == "离职日期"


def test_template_is_in_the_users_language_and_either_language_imports(client, world):
    """An English user gets an English template; a file in either language imports for anyone."""
    client.force_login(world["users"]["dept_manager"])  # reads English

    response = client.get(reverse("org:roster_template"))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Agent roster", "Notes"]
    assert [cell.value for cell in workbook.worksheets[0][1]] == ENGLISH_HEADERS
    assert ENGLISH_HEADERS[:3] == ["Agent code", "Name", "Gender"]
    for headers in (ENGLISH_HEADERS, HEADERS):
        for language in ("en", "zh-hans"):
            with translation.override(language):
                result = roster.RosterImport(world["users"]["district_admin"]).run(
                    io.BytesIO(sheet([row("A0001", 1)], headers=headers)), dry_run=True
                )
            assert result.ok, (headers[0], language, result.errors)
