"""The scope matrix (issue 11 §1): every route of the site, generated from the URL resolver, for
each of the twelve roles.

- A route that names an object (a kwarg such as `pk`, `agent_id`, `district_id`) is requested with
  an object outside the role's scope — in district B for the district, department and group roles
  and the agent, in the other branch (district C) for the branch-wide roles — with every method it
  answers; each must answer 403, 404 or 405, and a write must change nothing.
- A list route, page or export (no object kwarg) must not show a row of another district: each
  district's texts carry a marker (`scope_world.marker`), searched in the HTML, JSON, workbook or
  PDF text.
- An API list of a model returns exactly the in-scope rows (or none, when the role has no business
  with that model): never a row outside the scope, never part of the scope only.

A route the generator cannot map fails `test_every_route_is_mapped`: add its kwargs to
`KWARG_TARGETS`/`PK_MODELS`, or list it in `PUBLIC_OR_EXEMPT` with a reason.

The system administrator is a superuser whose scope is everything: it has no out-of-scope object
and is checked by the list tests only.
"""

import fnmatch
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.tests.paperform_checks import pdf_text
from core.tests.scope_world import BRANCH_ROLES, ROLES, marker

# Routes that take no object of a unit, or are not the business of the scope matrix.
PUBLIC_OR_EXEMPT = {
    "admin:*": "Django admin: staff only (is_staff), outside the role model",
    "admin/*": "Django admin: staff only (is_staff), outside the role model",
    "accounts:login": "the login page is public",
    "accounts:logout": "logging out",
    "accounts:password_change": "one's own password",
    "accounts:password_change_done": "one's own password",
    "api-token": "obtain a token with a password (public)",
    "api-token-list": "one's own API tokens",
    "api-token-detail": "one's own API token; another user's is 404 "
    "(accounts/tests/test_api_tokens.py)",
    "accounts:api_token_revoke": "one's own API token; another user's is 404 "
    "(accounts/tests/test_api_tokens.py)",
    "api-schema": "OpenAPI schema, no rows",
    "api-docs": "API documentation page, no rows",
    "api-root": "DRF router index, links only",
    "set_language": "Django's language switch",
    "notifications:mark_all_read": "marks one's own notifications read",
    "document-kind-detail": "document kinds are reference data shared by every branch",
    "import_error_file": "the key names an error file kept in the requester's own session; "
    "another user's session has no such key (404), see core/tests/test_import_corpus.py",
}

# `pk` of each route → the model whose object it names (fnmatch patterns on the route name;
# DRF viewsets name their model themselves through `queryset`).
PK_MODELS = {
    "accounts:user_detail": "accounts.User",
    "accounts:role_end": "accounts.RoleAssignment",
    "org:unit_*": "org.Unit",
    "org:agent_*": "org.Agent",
    "plans:document_*": "plans.Document",
    "plans:version_*": "plans.DocumentVersion",
    "plans:attachment_add": "plans.DocumentVersion",
    "plans:attachment_*": "plans.Attachment",
    "notifications:open": "notifications.Notification",
    "attendance:leave_*": "attendance.LeaveRequest",
    "attendance:check_*": "attendance.CheckRecord",
    "attendance:deduction_*": "attendance.DeductionMonth",
    "attendance:fund_entry*": "attendance.FundEntry",
    "attendance:measure_edit": "attendance.ImprovementMeasure",
    "activity:card_edit": "activity.ProspectCard",
    "activity:return_log": "activity.WorkLog",
    "meetings:function_group_member_*": "meetings.FunctionGroupMember",
    "meetings:function_group_material*": "meetings.TrainingMaterial",
    "meetings:function_group_*": "meetings.FunctionGroup",
    "meetings:template_detail": "meetings.FlowTemplate",
    "meetings:template_compare": "meetings.FlowTemplate",
    "meetings:template_version*": "meetings.FlowTemplateVersion",
    "meetings:template_copy": "meetings.FlowTemplateVersion",
    "meetings:calendar_*": "meetings.Calendar",
    "meetings:meeting_material_download": "meetings.MeetingMaterial",
    "meetings:meeting_*": "meetings.Meeting",
    "meetings:feedback_*": "meetings.Meeting",
    "meetings:inspection_issue_resolve": "meetings.Issue",
    "meetings:inspection_*": "meetings.Visit",
    "activity-scorecard-detail": "activity.Scorecard",
    "unit-*": "org.Unit",
    "rank-*": "org.Rank",
    "agent-*": "org.Agent",
    "attendance-leave-*": "attendance.LeaveRequest",
    "attendance-check-*": "attendance.CheckRecord",
    "attendance-rules-*": "attendance.AttendanceRules",
    "attendance-deduction-month-*": "attendance.DeductionMonth",
    "attendance-fund-*": "attendance.FundEntry",
    "attendance-publication-*": "attendance.Publication",
    "attendance-measure-*": "attendance.ImprovementMeasure",
    "meetings-function-group-member-*": "meetings.FunctionGroupMember",
    "meetings-training-material-*": "meetings.TrainingMaterial",
    "meetings-training-*": "meetings.TrainingSession",
    "meetings-peer-review-*": "meetings.PeerReview",
    "meetings-inspection-form-*": "meetings.AcceptanceForm",
}

# Other kwargs: kwarg name → how to find its value in the target district `d`.
KWARG_TARGETS = {
    "agent_id": lambda d, route: d.agents[0].pk,
    "district_id": lambda d, route: d.unit.pk,
    "district": lambda d, route: d.unit.pk,
    "department_id": lambda d, route: d.departments[0].pk,
    "unit_id": lambda d, route: d.departments[0].pk,
    "version_id": lambda d, route: d.first("plans.DocumentVersion").pk,
    "training_id": lambda d, route: d.first("meetings.TrainingSession").pk,
    "review_id": lambda d, route: d.first("meetings.PeerReview").pk,
    "material_pk": lambda d, route: d.first("meetings.MeetingMaterial").pk,
    "day": lambda d, route: (
        d.first("attendance.AttendanceRecord").date
        if route.startswith("attendance:")
        else d.first("activity.WorkLog").date
    ).isoformat(),
    "week": lambda d, route: d.first("activity.WeeklyCheck").week_start.isoformat(),
    "month": lambda d, route: d.first("attendance.Publication").month.strftime("%Y-%m"),
    "kind": lambda d, route: "prospect",
    "change_pk": lambda d, route: d.first(
        "org.AgentTransfer" if "transfer" in route else "org.AgentRankChange"
    ).pk,
    "owner_pk": lambda d, route: d.first("meetings.MeetingMaterial").meeting_id,
}
# Routes whose `pk` is not the id of the model's row: route name → the value in district `d`.
PK_VALUES = {
    "activity-scorecard-detail": lambda d: d.unit.pk,  # a scorecard is named by its district
}
# Which of a district's rows a `pk` names when the first one is not the interesting one.
PICK = {
    "attendance.FundEntry": lambda rows: [r for r in rows if r.kind == "debit"][0],
}
# Kwargs that do not name an object (a list route may carry them).
NOT_AN_OBJECT = {"kind", "format"}
WRITE_METHODS = {"post", "put", "patch", "delete"}
PAYLOAD = {"comment": "x", "reason": "x", "name": "x", "title": "x", "action": "approve"}


@dataclass
class Route:
    name: str
    pattern: str
    callback: object
    kwargs: list[str] = field(default_factory=list)

    @property
    def is_api(self):
        return self.pattern.startswith("api/")

    @property
    def viewset_model(self):
        cls = getattr(self.callback, "cls", None)
        queryset = getattr(cls, "queryset", None)
        return queryset.model._meta.label if queryset is not None else None

    def methods(self) -> list[str]:
        actions = getattr(self.callback, "actions", None)
        if actions:
            return sorted(actions)
        cls = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)
        if cls is not None:
            names = ["get", "post", "put", "patch", "delete"]
            return [m for m in names if hasattr(cls, m)]
        return ["get", "post"]  # a function view: ask both


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            kwargs = list(entry.pattern.regex.groupindex)
            kwargs += [k for k in getattr(entry.pattern, "converters", {}) if k not in kwargs]
            yield Route(
                name=f"{namespace}{entry.name}" if entry.name else "",
                pattern=pattern,
                callback=entry.callback,
                kwargs=kwargs,
            )


def site_routes() -> list[Route]:
    """Every route of the site, from the URL resolver (format-suffix twins dropped: they run the
    same view as the route without the suffix)."""
    routes = [r for r in _walk(get_resolver()) if "format" not in r.kwargs]
    return routes


def exempt_reason(route: Route) -> str | None:
    for pattern, reason in PUBLIC_OR_EXEMPT.items():
        if fnmatch.fnmatchcase(route.name, pattern) or fnmatch.fnmatchcase(route.pattern, pattern):
            return reason
    return None


def pk_model(route: Route) -> str | None:
    for pattern, label in PK_MODELS.items():
        if fnmatch.fnmatchcase(route.name, pattern):
            return label
    return route.viewset_model


def object_kwargs(route: Route) -> list[str]:
    return [k for k in route.kwargs if k not in NOT_AN_OBJECT]


def unmapped(route: Route) -> list[str]:
    """What the generator cannot fill in for `route` (empty when it can)."""
    if not route.name:
        return ["<unnamed route>"]
    missing = []
    for kwarg in route.kwargs:
        if kwarg in ("pk",):
            if pk_model(route) is None:
                missing.append("pk")
        elif kwarg not in KWARG_TARGETS and kwarg != "format":
            missing.append(kwarg)
    return missing


def target_of(route: Route, d) -> tuple[dict, object]:
    """URL kwargs naming objects of district `d`, and the main object (for the no-change check)."""
    values, main = {}, None
    for kwarg in route.kwargs:
        if kwarg == "pk":
            label = pk_model(route)
            rows = d.records[label]
            main = PICK.get(label, lambda r: r[0])(rows)
            values["pk"] = PK_VALUES[route.name](d) if route.name in PK_VALUES else main.pk
        else:
            values[kwarg] = KWARG_TARGETS[kwarg](d, route.name)
    if main is None:
        for kwarg in ("agent_id", "department_id", "unit_id", "district_id", "district"):
            if kwarg in values:
                main = apps.get_model("org.Agent" if kwarg == "agent_id" else "org.Unit")
                main = main.objects.get(pk=values[kwarg])
                break
    return values, main


def _snapshot(obj):
    from approvals.models import ApprovalAction
    from notifications.models import Notification

    model = type(obj)
    state = [
        model.objects.filter(pk=obj.pk).values().first(),
        model.objects.count(),
        ApprovalAction.objects.count(),
        Notification.objects.count(),
    ]
    history = getattr(model, "history", None)
    if history is not None:
        state.append(history.count())
    return state


# Models that belong to a branch: their out-of-scope row is in the other branch for every role.
BRANCH_MODELS = {"org.Rank"}


def role_target_district(role: str, route: Route | None = None) -> str:
    if role in BRANCH_ROLES or (route is not None and pk_model(route) in BRANCH_MODELS):
        return "C"
    return "B"


def _request(client, route, method, url):
    if method in ("put", "patch") or (route.is_api and method == "post"):
        return getattr(client, method)(
            url, data=json.dumps(PAYLOAD), content_type="application/json"
        )
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=PAYLOAD)


# -- tests ------------------------------------------------------------------------------------


def test_every_route_is_mapped():
    problems = []
    for route in site_routes():
        if exempt_reason(route):
            continue
        missing = unmapped(route)
        if missing:
            problems.append(f"{route.name or route.pattern} ({route.pattern}): {missing}")
    assert not problems, (
        "The scope matrix cannot map these routes; add their kwargs to KWARG_TARGETS / PK_MODELS "
        "in core/tests/test_scope_matrix.py, or list them in PUBLIC_OR_EXEMPT with a reason:\n"
        + "\n".join(problems)
    )


def object_routes():
    return [
        r for r in site_routes() if not exempt_reason(r) and object_kwargs(r) and not unmapped(r)
    ]


def list_routes():
    return [
        r
        for r in site_routes()
        if not exempt_reason(r) and not object_kwargs(r) and not unmapped(r)
    ]


COVERED = {"object": 0, "list": 0}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "system_admin"])
def test_objects_outside_the_scope_are_refused(sw, client_for, role):
    client = client_for(role)
    failures = []
    for route in object_routes():
        d = sw.districts[role_target_district(role, route)]
        values, main = target_of(route, d)
        url = reverse(route.name, kwargs=values)
        for method in route.methods():
            before = _snapshot(main) if method in WRITE_METHODS and main is not None else None
            with transaction.atomic():
                response = _request(client, route, method, url)
                after = _snapshot(main) if before is not None else None
                transaction.set_rollback(True)
            if response.status_code not in (403, 404, 405):
                failures.append(f"{method.upper()} {url} ({route.name}) → {response.status_code}")
            elif before != after:
                failures.append(f"{method.upper()} {url} ({route.name}) changed {main!r}")
        COVERED["object"] += 1
    assert not failures, f"{role} reached objects outside the scope:\n" + "\n".join(failures)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    content_type = response.get("Content-Type", "")
    if body.startswith(b"%PDF-"):  # the forms' PDFs (core.paperforms): their text
        return pdf_text(body)
    if "spreadsheetml" in content_type or body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def foreign_markers(role: str) -> list[str]:
    """Markers of the districts the role must not see."""
    if role == "system_admin":
        return []
    if role in BRANCH_ROLES:
        return [marker("C")]
    return [marker("B"), marker("C")]


@pytest.mark.parametrize("role", list(ROLES))
def test_lists_and_exports_show_only_the_scope(sw, client_for, role):
    client = client_for(role)
    kwargs = {}
    failures = []
    for route in list_routes():
        if "get" not in route.methods():
            continue
        kwargs = {k: KWARG_TARGETS[k](sw.districts["A"], route.name) for k in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"GET {url} → {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        text = _text(response)
        leaked = [m for m in foreign_markers(role) if m in text]
        if leaked:
            spots = [
                text[max(0, i.start() - 60) : i.end() + 20] for i in re.finditer(leaked[0], text)
            ]
            failures.append(f"GET {url} shows {leaked}: {spots[:2]}")
        COVERED["list"] += 1
    assert not failures, f"{role} sees rows outside the scope:\n" + "\n".join(failures)


# -- API lists: exactly the in-scope rows ------------------------------------------------------

UNIT_PATHS = [
    "agent.group",
    "from_agent.group",
    "group",
    "department",
    "unit",
    "calendar.unit",
    "meeting.unit",
    "visit.unit",
    "form.visit.unit",
    "document.unit",
    "version.document.unit",
    "template.unit",
    "training.function_group.district",
    "function_group.district",
    "deduction_month.district",
    "district",
    "branch",
]
# Rows only their own agent (or recipient) sees, even within a manager's scope.
OWN_ROWS = {
    "activity.ProspectCard": lambda role, sw, row: row.agent.user_id == sw.users[role].pk,
    "activity.RecruitCard": lambda role, sw, row: row.agent.user_id == sw.users[role].pk,
    "notifications.Notification": lambda role, sw, row: row.recipient_id == sw.users[role].pk,
}


def row_unit(row):
    """The unit a fixture row belongs to, from the fixture's own foreign keys."""
    if row._meta.label == "org.Unit":
        return row
    for path in UNIT_PATHS:
        value = row
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return value
    raise AssertionError(f"no unit for {row!r}")


def role_paths(sw, role) -> list[str]:
    """The unit paths a role's rows lie under, from the fixture layout."""
    a = sw.districts["A"]
    over = ROLES[role][1]
    if role == "system_admin":
        return ["/"]
    if over == "branch":
        return [sw.branch.path]
    if over == "district":
        return [a.unit.path]
    if over == "department":
        return [a.departments[0].path]
    if over == "group":
        return [a.groups[0].path]
    return []  # the agent: own rows only


def in_scope(sw, role, label, row) -> str | None:
    """ "required" for a row in the role's subtree (the agent: their own rows), "allowed" for a
    row of a unit above it (the rules, ranks, templates, calendars of one's own district and
    department, which some lists show), None outside the scope."""
    if label in OWN_ROWS:
        return "required" if OWN_ROWS[label](role, sw, row) else None
    if role == "agent":
        own = sw.districts["A"].agents[0]
        if label == "org.Agent":
            return "required" if row.pk == own.pk else None
        agent = getattr(row, "agent", None) or getattr(row, "from_agent", None)
        if agent is not None:
            return "required" if agent.pk == own.pk else None
        return "allowed" if own.group.path.startswith(row_unit(row).path) else None
    path = row_unit(row).path
    paths = role_paths(sw, role)
    if any(path.startswith(p) for p in paths):
        return "required"
    if any(p.startswith(path) for p in paths):
        return "allowed"
    return None


def api_list_routes():
    return [
        r
        for r in list_routes()
        if r.is_api and r.name.endswith("-list") and pk_model(r) and "get" in r.methods()
    ]


@pytest.mark.parametrize("role", list(ROLES))
def test_api_lists_return_exactly_the_scope(sw, client_for, role):
    """Every API list returns no row outside the role's scope and, when it returns any row of
    the fixture, all the rows of the role's subtree (a role either has no business with a model
    or sees all of it within its scope; cards and notifications are their owner's only)."""
    client = client_for(role)
    failures = []
    for route in api_list_routes():
        label = pk_model(route)
        rows = [row for d in sw.districts.values() for row in d.records.get(label, [])]
        if not rows:
            continue
        response = client.get(reverse(route.name))
        if response.status_code in (400, 403, 404):
            continue  # refused, or a list that needs a filter (e.g. the meeting of feedback)
        assert response.status_code == 200, f"{route.name}: {response.status_code}"
        body = response.json()
        assert not (isinstance(body, dict) and body.get("next")), "fixture exceeds one page"
        items = body["results"] if isinstance(body, dict) else body
        returned = {item["id"] for item in items if isinstance(item, dict) and "id" in item}
        fixture_ids = {row.pk for row in rows}
        got = returned & fixture_ids
        verdict = {row.pk: in_scope(sw, role, label, row) for row in rows}
        allowed = {pk for pk, v in verdict.items() if v}
        required = {pk for pk, v in verdict.items() if v == "required"}
        if got - allowed:
            failures.append(f"{route.name}: rows outside the scope {sorted(got - allowed)}")
        elif got and not required <= got:
            missing = sorted(required - got)
            failures.append(f"{route.name}: part of the scope only, missing {missing}")
    assert not failures, f"{role}:\n" + "\n".join(failures)
