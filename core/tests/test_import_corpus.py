"""A corpus of bad files against every import (roster, attendance, work logs), through the API
and the page: each gets a clear 400 (the page: the message), nothing is written, and the
archive check refuses bombs before any XML is parsed (issue 20)."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from activity.models import WorkLog
from attendance.models import AttendanceRecord
from attendance.tests.helpers import freeze, moment
from core.imports import reading
from core.xlsx import workbook_bytes
from org.models import Agent

MONDAY = date(2026, 3, 9)

IMPORTS = {
    "roster": {
        "url": "/api/v1/agents/import/",
        "page": "/org/agents/import/",
        "user": "district_admin",
        "header": [
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
        ],  # fmt: skip
    },
    "attendance": {
        "url": "/api/v1/attendance/import/",
        "page": "/attendance/import/",
        "user": "assistant",
        "header": ["业务编码", "姓名", "日期", "状态", "天数", "已报备"],
    },
    "activity": {
        "url": "/api/v1/activity/logs/import/",
        "page": "/activity/import/",
        "user": "assistant",
        "header": ["业务编码", "日期", "初访", "促成"],
    },
}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 12), 18))


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    return workbook_bytes(workbook)


def data_row(kind, world):
    return {
        "roster": [
            world.agent.code,
            world.agent.name,
            "女",
            world.agent.id_number,
            world.agent.mobile,
            "大专",
            world.agent.hire_date,
            world.dept_a1.name,
            world.group_a1_1.name,
            world.agent.rank.name,
            "正式",
            "",
        ],  # fmt: skip
        "attendance": [world.agent.code, None, MONDAY, "出勤", None, None],
        "activity": [world.agent.code, MONDAY, 2, 1],
    }[kind]


def replace_member(content: bytes, name: str, data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == name else source.read(info))
    return buffer.getvalue()


def streamed_member(content: bytes, name: str, parts) -> bytes:
    """Replace one member by a large body written in pieces (never whole in memory)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info))
                continue
            with target.open(name, "w", force_zip64=True) as stream:
                for part in parts:
                    stream.write(part)
    return buffer.getvalue()


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def cell_bomb(base: bytes) -> bytes:
    """One row of two million cells: ~80 MB of XML in a file of a few hundred KB."""
    cell = b'<c t="inlineStr"><is><t>1</t></is></c>'

    def parts():
        yield SHEET_HEAD + b'<row r="1">'
        for _ in range(2000):
            yield cell * 1000
        yield b"</row>" + SHEET_TAIL

    return streamed_member(base, "xl/worksheets/sheet1.xml", parts())


def huge_cell(base: bytes) -> bytes:
    def parts():
        yield SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
        for _ in range(20):
            yield b"x" * (1024 * 1024)
        yield b"</t></is></c></row>" + SHEET_TAIL

    return streamed_member(base, "xl/worksheets/sheet1.xml", parts())


def long_cell(header) -> bytes:
    """A cell of 50,000 characters: under the archive limits, refused by the cell limit."""
    return xlsx([header, ["A" + "9" * 50_000, *[""] * (len(header) - 1)]])


ENTITIES = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def entity_expansion(base: bytes) -> bytes:
    """A billion-laughs DTD in the sheet (openpyxl writes the texts inline)."""
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[-1].replace(b"<t>", b"<t>&lol3;", 1)
    return replace_member(base, "xl/worksheets/sheet1.xml", ENTITIES + body)


def encrypted_zip_member(base: bytes) -> bytes:
    """The zip-level "encrypted" flag set on every member."""
    data = bytearray(base)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 0x1
            start += 4
    return bytes(data)


def ole(stream_name: str) -> bytes:
    """An OLE2 compound file as old .xls and encrypted .xlsx files are (the header and a
    directory entry naming the stream are what the check looks at)."""
    return reading.OLE_MAGIC + b"\0" * 504 + stream_name.encode("utf-16-le") + b"\0" * 2048


def corpus(kind, world):
    header = IMPORTS[kind]["header"]
    good = xlsx([header, data_row(kind, world)])
    csv_text = ",".join(header) + "\n" + ",".join(str(v or "") for v in data_row(kind, world))
    formula_row = list(data_row(kind, world))
    formula_row[0] = "=A1&B1"
    workbook = zipfile.ZipFile(io.BytesIO(good))
    return {
        "renamed executable": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)) * 40,
        "empty file": b"",
        "random bytes": bytes((i * 7919) % 251 for i in range(5000)),
        "zip that is not a workbook": _zip({"readme.txt": b"hello", "data.bin": b"\0" * 100}),
        "truncated zip": good[: len(good) // 2],
        "truncated workbook.xml": replace_member(
            good, "xl/workbook.xml", workbook.read("xl/workbook.xml")[:-40]
        ),
        "truncated sheet xml": replace_member(
            good,
            "xl/worksheets/sheet1.xml",
            workbook.read("xl/worksheets/sheet1.xml")[:-60],
        ),
        "entity expansion": entity_expansion(good),
        "cell bomb": cell_bomb(good),
        "one huge cell": huge_cell(good),
        "one long cell": long_cell(header),
        "over-size": good + b"\0" * (5 * 1024 * 1024),
        "password-protected": ole("EncryptionInfo"),
        "zip-encrypted members": encrypted_zip_member(good),
        "old .xls": ole("Workbook"),
        "CSV UTF-8": csv_text.encode(),
        "CSV UTF-8 with BOM": csv_text.encode("utf-8-sig"),
        "CSV UTF-16": csv_text.encode("utf-16"),
        "wrong headers": xlsx([["编码", *header[1:]], data_row(kind, world)]),
        "empty sheet": xlsx([]),
        "header only": xlsx([header]),
        "duplicate rows": xlsx([header, data_row(kind, world), data_row(kind, world)]),
        "formulas in cells": xlsx([header, formula_row]),
        "too many columns": xlsx([header, [*data_row(kind, world), *["x"] * 150]]),
        "too many rows": xlsx([header, *[data_row(kind, world)] * 20_010]),
    }


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def counts():
    return (Agent.objects.count(), AttendanceRecord.objects.count(), WorkLog.objects.count())


@pytest.mark.parametrize("kind", list(IMPORTS))
def test_every_bad_file_gets_a_clear_400_and_writes_nothing(world, kind):
    client = APIClient()
    client.force_authenticate(getattr(world, IMPORTS[kind]["user"]))
    before = counts()
    messages = {}
    for name, content in corpus(kind, world).items():
        response = client.post(
            IMPORTS[kind]["url"],
            {"file": SimpleUploadedFile("data.xlsx", content)},
            format="multipart",
        )
        assert response.status_code == 400, (name, response.status_code, response.content[:300])
        body = response.json()
        assert body["detail"] and body["errors"], name
        assert all({"row", "column", "message"} <= set(e) for e in body["errors"]), name
        messages[name] = body["errors"][0]["message"]
        assert counts() == before, name
    # Each kind of file is told what is wrong with it, in words of its own (in Chinese).
    damaged = "文件已损坏或不是有效的 Excel 文件"
    for name in ("truncated workbook.xml", "renamed executable", "zip that is not a workbook"):
        assert damaged in messages[name], name
    assert "密码" in messages["password-protected"]
    assert "密码" in messages["zip-encrypted members"]
    assert ".xls 文件" in messages["old .xls"]
    assert all("CSV" in messages[n] for n in ("CSV UTF-8", "CSV UTF-8 with BOM", "CSV UTF-16"))
    assert "DTD" in messages["entity expansion"]
    assert "解压后过大" in messages["cell bomb"]
    assert "公式" in messages["formulas in cells"] and "A2" in messages["formulas in cells"]
    assert "字符" in messages["one long cell"]
    assert "5 MB" in messages["over-size"]
    assert "单元格" in messages["too many columns"]
    assert "业务编码" in messages["wrong headers"]
    assert body["errors"][0]["row"] is None  # too many rows: the whole file


def test_the_bombs_are_refused_before_any_xml_is_parsed(world, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a bomb")

    monkeypatch.setattr(reading, "load_workbook", no_parsing)
    limits = reading.Limits(max_rows=20000, max_cells=800_000)
    good = xlsx([IMPORTS["activity"]["header"]])
    for content in (cell_bomb(good), huge_cell(good), entity_expansion(good)):
        assert len(content) < 1024 * 1024  # small on the wire
        with pytest.raises(reading.ImportFileError):
            reading.read_rows(io.BytesIO(content), limits)
    # Under the archive limits, the sheet scan still stops a row that is too wide.
    wide = xlsx([["x"] * 150])
    with pytest.raises(reading.ImportFileError, match="150|100"):
        reading.read_rows(io.BytesIO(wide), limits)


def test_duplicate_rows_are_named_by_row(world):
    client = APIClient()
    for kind in IMPORTS:
        client.force_authenticate(getattr(world, IMPORTS[kind]["user"]))
        header, row = IMPORTS[kind]["header"], data_row(kind, world)
        response = client.post(
            IMPORTS[kind]["url"],
            {"file": SimpleUploadedFile("d.xlsx", xlsx([header, row, row]))},
            format="multipart",
        )
        assert response.status_code == 400
        assert {e["row"] for e in response.json()["errors"]} == {3}, kind


def test_pages_show_the_message_and_offer_the_error_file(client, world):
    for kind, setup in IMPORTS.items():
        client.force_login(getattr(world, setup["user"]))
        bad = client.post(setup["page"], {"file": SimpleUploadedFile("d.xlsx", ole("Workbook"))})
        assert bad.status_code == 200
        assert ".xls" in bad.context["errors"][0]["message"], kind
        header, row = setup["header"], list(data_row(kind, world))
        row[0] = "NOPE"
        if kind == "roster":
            row[8] = "九组"  # no such group
        response = client.post(
            setup["page"], {"file": SimpleUploadedFile("d.xlsx", xlsx([header, row]))}
        )
        key = response.context["error_file_key"]
        error_file = client.get(f"/imports/errors/{key}/")
        assert error_file.status_code == 200, kind
        rows = list(
            load_workbook(io.BytesIO(error_file.content)).active.iter_rows(values_only=True)
        )
        assert rows[0][0] and rows[0][-1] and rows[1][0] == 2
        assert rows[1][-1]  # the problems of that row
    assert client.get("/imports/errors/nope/").status_code == 404


def test_check_only_previews_the_counts_and_writes_nothing(client, world):
    client.force_login(world.assistant)
    header, row = IMPORTS["attendance"]["header"], data_row("attendance", world)
    response = client.post(
        "/attendance/import/",
        {"file": SimpleUploadedFile("d.xlsx", xlsx([header, row])), "preview": "1"},
    )
    assert response.status_code == 200
    assert (response.context["preview"].created, AttendanceRecord.objects.count()) == (1, 0)
    api = APIClient()
    api.force_authenticate(world.assistant)
    dry = api.post(
        "/api/v1/attendance/import/?dry_run=1",
        {"file": SimpleUploadedFile("d.xlsx", xlsx([header, row]))},
        format="multipart",
    )
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert (dry.json()["created"], AttendanceRecord.objects.count()) == (1, 0)


def test_roster_preview_lists_the_changes_before_and_after(world):
    api = APIClient()
    api.force_authenticate(world.district_admin)
    header, row = IMPORTS["roster"]["header"], data_row("roster", world)
    row[1] = "新名字"
    response = api.post(
        "/api/v1/agents/import/?dry_run=1",
        {"file": SimpleUploadedFile("d.xlsx", xlsx([header, row]))},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["updated"], body["created"]) == (1, 0)
    assert body["changes"][0]["changes"] == [
        {"column": "姓名", "before": world.agent.name, "after": "新名字"}
    ]
    world.agent.refresh_from_db()
    assert world.agent.name != "新名字"


def test_openpyxl_parses_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # defusedxml is installed (requirements.txt) and used by openpyxl
