"""Helpers for the deduction tests: regulations with rule values, published through the flow."""

import importlib
from datetime import date, time
from decimal import Decimal

from django.apps import apps

from approvals.tests.helpers import step_of
from attendance.services import deductions as deduction_services
from plans import services as plans
from plans.models import DocumentKind

_builtin = importlib.import_module("plans.migrations.0002_builtin_kinds")

WORKED_RULES = {
    "on_time_until": time(8, 30),
    "late_until": time(9, 30),
    "late_deduction": Decimal("5"),
    "unreported_leave_deduction": Decimal("10"),
    "absence_deduction": Decimal("20"),
    "free_reported_leave_days": Decimal("2"),
    "reported_leave_deduction": Decimal("5"),
}


def builtin_kinds():
    _builtin.create(apps, None)
    return DocumentKind.objects.get(code="attendance_regulation")


def regulation(w, effective: date, values=None, *, publish=True, period_start=None):
    """District A's attendance regulation with rule values; published unless told otherwise."""
    document = plans.document_create(
        acting_user=w.district_admin,
        kind=builtin_kinds(),
        unit=w.district_a,
        period_start=period_start or effective,
        body="<p>差勤管理规定</p>",
        effective_date=effective,
    )
    version = document.versions.get()
    deduction_services.regulation_rules_save(
        acting_user=w.district_admin, version=version, values=values or WORKED_RULES
    )
    if publish:
        publish_version(w, version)
    return version


def publish_version(w, version):
    plans.version_submit(acting_user=w.district_admin, version=version)
    version.refresh_from_db()
    plans.version_approve(acting_user=w.marketing, version=version, expected_step=step_of(version))
    version.refresh_from_db()
    plans.version_publish(acting_user=w.district_manager, version=version)
    version.refresh_from_db()
    return version


def next_version(w, version, effective: date, values=None, *, publish=True):
    """The regulation's next version, effective from `effective`, with its own values."""
    new = plans.version_new(acting_user=w.district_admin, document=version.document)
    plans.version_update(acting_user=w.district_admin, version=new, effective_date=effective)
    new.refresh_from_db()
    deduction_services.regulation_rules_save(
        acting_user=w.district_admin, version=new, values=values or WORKED_RULES
    )
    if publish:
        publish_version(w, new)
    return new
