"""Check records (附件7): people and days from the attendance data, handling written by people,
verified by someone other than the author; printable and exportable."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from attendance.models import CheckRecord
from attendance.services import checks as services
from attendance.tests.helpers import freeze, mark, moment
from core.exceptions import ConflictError
from core.tests.paperform_checks import find_row, xlsx_rows
from core.todo import tasks_for

CHECK_DATE = date(2026, 3, 13)


@pytest.fixture
def attendance(world, monkeypatch):
    freeze(monkeypatch, moment(date(2026, 3, 16), 10))
    mark(world.agent, date(2026, 3, 2), "leave", reported=True)
    mark(world.agent, date(2026, 3, 3), "leave", "0.5", reported=True)
    mark(world.agent, date(2026, 3, 4), "leave")  # not reported
    mark(world.colleague, date(2026, 3, 5), "absent")
    mark(world.colleague, date(2026, 3, 6), "absent", "0.5")
    mark(world.other_group_agent, date(2026, 3, 9), "late")
    mark(world.other_dept_agent, date(2026, 3, 9), "absent")  # another department
    mark(world.colleague, date(2026, 2, 27), "absent")  # before the period
    return world


def create(world, user=None, **kwargs):
    values = {
        "department": world.dept_a1,
        "check_date": CHECK_DATE,
        "period_start": date(2026, 3, 1),
        "period_end": CHECK_DATE,
    }
    values.update(kwargs)
    return services.check_record_create(acting_user=user or world.assistant, **values)


def lines(record):
    return sorted(
        (line.kind, line.agent.name, line.days, line.reported) for line in record.lines.all()
    )


def test_people_and_days_come_from_the_attendance_data(attendance):
    record = create(attendance)
    assert lines(record) == [
        ("absent", "李四", Decimal("1.5"), False),
        ("leave", "张三", Decimal("1.0"), False),
        ("leave", "张三", Decimal("1.5"), True),
    ]


def test_verifier_must_differ_from_the_author(attendance):
    record = create(attendance, user=attendance.dept_manager)
    with pytest.raises(ValidationError) as error:
        services.check_record_verify(acting_user=attendance.dept_manager, record=record)
    assert error.value.messages
    record.refresh_from_db()
    assert record.verifier is None
    services.check_record_verify(acting_user=attendance.district_admin, record=record)
    record.refresh_from_db()
    assert (record.verifier, record.verified_on) == (attendance.district_admin, date(2026, 3, 16))


def test_the_database_refuses_author_as_verifier(attendance):
    from django.db import IntegrityError, transaction

    record = create(attendance)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckRecord.objects.filter(pk=record.pk).update(
            verifier=attendance.assistant, verified_on=CHECK_DATE
        )


def test_who_may_verify(attendance):
    record = create(attendance)
    for user in (attendance.supervisor, attendance.outsider, attendance.trainer):
        with pytest.raises(PermissionDenied):
            services.check_record_verify(acting_user=user, record=record)
    services.check_record_verify(acting_user=attendance.dept_manager, record=record)
    with pytest.raises(ConflictError):
        services.check_record_verify(acting_user=attendance.district_admin, record=record)


def test_handling_is_written_refreshed_and_locked_after_verification(attendance):
    record = create(attendance)
    absent = record.lines.get(kind="absent")
    services.check_record_update(
        acting_user=attendance.assistant,
        record=record,
        handling_measures="主管谈话",
        handling_results={absent.pk: "已扣款"},
    )
    mark(attendance.other_group_agent, date(2026, 3, 10), "absent")
    services.check_record_refresh(acting_user=attendance.assistant, record=record)
    results = {line.agent.name: line.handling_result for line in record.lines.filter(kind="absent")}
    assert results == {"李四": "已扣款", "王五": ""}
    services.check_record_verify(acting_user=attendance.dept_manager, record=record)
    with pytest.raises(ConflictError):
        services.check_record_refresh(acting_user=attendance.assistant, record=record)
    with pytest.raises(ConflictError):
        services.check_record_update(
            acting_user=attendance.assistant, record=record, handling_measures="改"
        )


def test_period_rules_and_one_record_per_day(attendance):
    with pytest.raises(ValidationError):
        create(attendance, period_end=date(2026, 3, 14))  # after the check date
    with pytest.raises(ValidationError):
        create(attendance, check_date=date(2026, 3, 17))  # in the future
    with pytest.raises(PermissionDenied):
        create(attendance, user=attendance.supervisor)
    create(attendance)
    with pytest.raises(ValidationError):
        create(attendance)


def test_pages_print_and_export(client, attendance):
    record = create(attendance)
    client.force_login(attendance.assistant)
    response = client.post(
        reverse("attendance:check_create"),
        {"department": attendance.dept_a1.pk, "check_date": "2026-03-16"},
    )
    created = CheckRecord.objects.get(check_date=date(2026, 3, 16))
    assert response.status_code == 302
    assert (created.period_start, created.period_end) == (date(2026, 3, 14), date(2026, 3, 16))
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200 and page.context["can_write"]
    assert not page.context["can_verify"]
    printed = client.get(reverse("attendance:check_print", args=[record.pk])).content.decode()
    assert "营业部差勤检查记录表" in printed and "张三" in printed and "李四" in printed
    export = client.get(reverse("attendance:check_export", args=[record.pk]))
    rows = xlsx_rows(export.content)  # 附件7 on core.paperforms (attendance/tests/test_form7.py)
    assert rows[0][0] == "附件7 营业部差勤检查记录表"
    # one row per person: leave days (total, reported, not), absent days and handling
    assert find_row(rows, "序号")[:8] == [
        "序号",
        "姓名",
        "营业组",
        "请假天数",
        "已报备",
        "未报备",
        "旷工天数",
        "处理结果",
    ]
    assert find_row(rows, "验证人")[:3] == ["验证人", None, "日期"]  # signature and date lines
    client.force_login(attendance.outsider)
    assert client.get(record.get_absolute_url()).status_code == 404
    client.force_login(attendance.dept_manager)
    client.post(reverse("attendance:check_verify", args=[record.pk]), {"verified_on": "2026-03-16"})
    record.refresh_from_db()
    assert record.verifier == attendance.dept_manager


def test_waiting_records_are_in_my_tasks_except_for_the_author(attendance):
    record = create(attendance)
    assert [t.url for t in tasks_for(attendance.dept_manager)] == [record.get_absolute_url()]
    assert [t.url for t in tasks_for(attendance.district_admin)] == [record.get_absolute_url()]
    assert tasks_for(attendance.assistant) == []
    assert tasks_for(attendance.outsider) == []
    services.check_record_verify(acting_user=attendance.dept_manager, record=record)
    assert tasks_for(attendance.district_admin) == []


def test_check_record_api(api_client, attendance):
    api_client.force_authenticate(attendance.assistant)
    created = api_client.post(
        "/api/v1/attendance/check-records/",
        {"department": attendance.dept_a1.pk, "check_date": "2026-03-13"},
        format="json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["period_start"] == "2026-03-01"
    absent = next(line for line in data["lines"] if line["kind"] == "absent")
    patched = api_client.patch(
        f"/api/v1/attendance/check-records/{data['id']}/",
        {"handling_measures": "谈话", "lines": [{"id": absent["id"], "handling_result": "扣款"}],
         "version": data["version"]},
        format="json",
    )  # fmt: skip
    assert patched.status_code == 200
    own = api_client.post(f"/api/v1/attendance/check-records/{data['id']}/verify/")
    assert own.status_code == 400 and own.json()["non_field_errors"]  # the author
    api_client.force_authenticate(attendance.dept_manager)
    verified = api_client.post(f"/api/v1/attendance/check-records/{data['id']}/verify/", {})
    assert verified.status_code == 200 and verified.json()["verifier"]
    api_client.force_authenticate(attendance.outsider)
    assert api_client.get("/api/v1/attendance/check-records/").json()["count"] == 0
