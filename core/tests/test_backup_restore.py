"""backup_db / restore_db: a backup restored into an EMPTY second database gives the same
attendance, deduction and activity figures as the original (SQLite: a second file; PostgreSQL: a
second database created here, skipped without pg_dump)."""

import copy
import dataclasses
import shutil
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from activity.models import LogState, WorkLog
from activity.selectors.figures import figures as activity_figures
from activity.selectors.figures import unit_figures
from attendance.models import DeductionLine, DeductionMonth
from attendance.selectors import figures as attendance_figures
from attendance.selectors.deductions import department_totals, district_deductions
from attendance.services import deductions as deduction_services
from attendance.tests.deduction_helpers import regulation
from attendance.tests.helpers import MAY, freeze, mark, may_calendar, moment
from org.models import Agent

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MAY_END = date(2026, 5, 31)
TODAY = date(2026, 6, 10)
WEEK = (date(2026, 5, 11), date(2026, 5, 17))
RESTORED = "restored"


class ToRestored:
    """Every query of the app goes to the restored database."""

    def db_for_read(self, model, **hints):
        return RESTORED

    db_for_write = db_for_read

    def allow_relation(self, *args, **hints):
        return True


@pytest.fixture
def seeded(world, monkeypatch):
    """A May with lates, leave and absence, its deductions run; a week of work logs."""
    w = world
    may_calendar(w.district_a)
    freeze(monkeypatch, moment(TODAY, 10))
    regulation(w, date(2026, 1, 1))
    for agent, day, status, fraction, reported in [
        (w.agent, 6, "late", "1.0", False),
        (w.agent, 7, "late", "1.0", False),
        (w.agent, 8, "present", "1.0", False),
        (w.agent, 11, "leave", "1.0", True),
        (w.agent, 12, "leave", "1.0", False),
        (w.agent, 13, "absent", "0.5", False),
        (w.colleague, 6, "absent", "1.0", False),
        (w.colleague, 7, "present", "1.0", False),
        (w.other_dept_agent, 6, "late", "1.0", False),
    ]:
        mark(agent, MAY.replace(day=day), status, fraction, reported)
    deduction_services.deduction_run(acting_user=w.district_admin, district=w.district_a, month=MAY)
    for agent, day, visits in [(w.agent, 11, 3), (w.agent, 12, 2), (w.colleague, 11, 0)]:
        WorkLog.objects.create(
            agent=agent,
            date=MAY.replace(day=day),
            state=LogState.SUBMITTED,
            first_visits=visits,
            policies_closed=1,
        )
    return w


def figures(w) -> dict:
    """The figures the pages show, from the attendance, deduction and activity selectors."""
    visible = Agent.objects.visible_to(w.admin)
    district = attendance_figures.summary(visible, w.district_a, MAY, MAY_END)
    department = attendance_figures.summary(visible, w.dept_a1, MAY, MAY_END)
    month = DeductionMonth.objects.get(district=w.district_a, month=MAY)
    lines = DeductionLine.objects.filter(deduction_month=month)
    _segments, computed = district_deductions(w.district_a, MAY, MAY_END, today=TODAY)
    return {
        "attendance_total": district.total.as_dict(),
        "attendance_units": {row.unit.name: row.figures.as_dict() for row in district.children},
        "attendance_agents": {row.agent.name: row.figures.as_dict() for row in department.agents},
        "deduction_total": month.total,
        "deduction_lines": {line.agent.name: line.amount for line in lines},
        "deduction_departments": list(department_totals(month, lines)),
        "deductions_computed": sorted((line.agent_id, line.amount) for line in computed),
        "activity_group": dataclasses.asdict(unit_figures(w.group_a1_1, *WEEK)),
        "activity_by_group": {
            key: dataclasses.asdict(value)
            for key, value in activity_figures(w.dept_a1, *WEEK, by="group_id").items()
        },
    }


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database under the alias RESTORED, with the default's settings."""
    settings = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
    elif connection.vendor == "postgresql":
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump / pg_restore not installed")
        settings["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    else:
        pytest.skip(f"no backup for {connection.vendor}")
    # Registered as a connection only (not in the settings): the test framework allows such
    # dynamically created connections, and `connections.all()` elsewhere never sees it.
    connections[RESTORED] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, RESTORED)
    yield settings
    connections[RESTORED].close()
    del connections[RESTORED]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')


def test_a_restored_backup_gives_the_same_figures(seeded, empty_database, tmp_path, settings):
    before = figures(seeded)
    assert before["deduction_total"] > 0 and before["activity_group"]["logs"] == 3
    assert before["attendance_agents"]["张三"]["late"] == 2

    with connections[RESTORED].cursor() as cursor:  # the target is empty
        tables = connections[RESTORED].introspection.table_names(cursor)
    assert tables == []

    backup = tmp_path / "district.backup"
    call_command("backup_db", str(backup))
    call_command("restore_db", str(backup), "--database", RESTORED, "--no-input")

    settings.DATABASE_ROUTERS = [f"{__name__}.ToRestored"]
    assert Agent.objects.db_manager(RESTORED).count() == Agent.objects.count()
    after = figures(seeded)
    assert after == before
    # The routing really read the restored copy: a change there shows, and not in the original.
    Agent.objects.filter(pk=seeded.agent.pk).update(name="改名")
    assert Agent.objects.using("default").get(pk=seeded.agent.pk).name == "张三"


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError):
        call_command("restore_db", str(junk), "--no-input")
    with pytest.raises(CommandError):
        call_command("restore_db", str(tmp_path / "missing.backup"), "--no-input")
    # The database is untouched.
    assert Agent.objects.count() == 0
