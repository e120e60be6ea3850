"""Benchmark: the forms (附件, core.paperforms) made on the server — the PDF and the Excel file
of the 附件4 archive of a month, and the PDF of one acceptance form.

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_forms.py [--departments 30] [--visits 300]
        [--runs 3] [--database-url postgres://…]

Builds, in a fresh SQLite file in a temp directory (or the given empty database), one district
of `--departments` departments with the default acceptance checklist and `--visits` visits in
last month (90 % done, each with a scored form of 8 items), with bulk inserts. It then times,
through Django's test Client with DEBUG off, as the district manager: the 附件4 archive of that
month as page, PDF and Excel, and one visit's 附件4 as PDF; medians of `--runs` runs after a
warm-up (the first PDF also loads WeasyPrint and the fonts), with the PDF's page count.
"""

import argparse
import io
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from _harness import django_on, progress


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with django_on(args.database_url, "bench-forms-"):
        print(run(args))


def build(args, month, rng):
    from accounts.models import Role, RoleAssignment, User
    from meetings.models import AcceptanceForm, FormScore, Visit, VisitState
    from meetings.services.inspections import checklist_ensure_default
    from org.models import Unit, UnitKind

    branch = Unit.objects.create(kind=UnitKind.BRANCH, name="基准分公司", code="BR")
    district = Unit.objects.create(kind=UnitKind.DISTRICT, name="第一区", code="D1", parent=branch)
    manager = User.objects.create(username="dm", full_name="区经理")
    RoleAssignment.objects.create(user=manager, role=Role.DISTRICT_MANAGER, unit=district)
    departments = [
        Unit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"第{k + 1}营业部", code=f"D1-{k + 1}", parent=district
        )
        for k in range(args.departments)
    ]
    items = [i for i in checklist_ensure_default(district=district) if i.active]
    visits = []
    for n in range(args.visits):
        department = departments[n % len(departments)]
        done = rng.random() < 0.9
        visits.append(
            Visit(
                unit=department,
                department=department,
                district=district,
                date=month + timedelta(days=n % 28),
                inspector=manager,
                planned_by=manager,
                state=VisitState.DONE if done else VisitState.PLANNED,
            )
        )
    visits = Visit.objects.bulk_create(visits)
    done = [v for v in visits if v.state == VisitState.DONE]
    lines_of = [[FormScore.for_item(item, rng.randint(2, 5)) for item in items] for _ in done]
    forms = AcceptanceForm.objects.bulk_create(
        [
            AcceptanceForm(
                visit=visit,
                total=sum((line.points for line in lines), Decimal(0)),
                filled_by=manager,
                suggestions="加强早会前的演练，主题与当月重点活动结合。",
            )
            for visit, lines in zip(done, lines_of, strict=True)
        ]
    )
    scores = []
    for form, lines in zip(forms, lines_of, strict=True):
        for line in lines:
            line.form = form
            scores.append(line)
    FormScore.objects.bulk_create(scores)
    return manager, done[0]


def timed(client, url, runs):
    response = client.get(url)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{url} did not answer 200")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times), response


def run(args) -> str:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone
    from pypdf import PdfReader

    rng = random.Random(args.seed)  # noqa: S311 - reproducible bench data
    call_command("migrate", verbosity=0, interactive=False)
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    progress(f"building {args.visits} visits in {month:%Y-%m} …")
    manager, visit = build(args, month, rng)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(manager)
    query = f"?month={month:%Y-%m}"
    cases = [
        ("附件4 archive of the month, page", reverse("meetings:inspection_archive_print") + query),
        (
            "附件4 archive of the month, PDF",
            reverse("meetings:inspection_archive_print_pdf") + query,
        ),
        (
            "附件4 archive of the month, Excel",
            reverse("meetings:inspection_archive_print_xlsx") + query,
        ),
        ("附件4 of one visit, PDF", reverse("meetings:inspection_print_pdf", args=[visit.pk])),
    ]
    lines = [
        f"## Forms (附件) on {connection.vendor}: {args.visits} visits in {month:%Y-%m}, "
        f"{args.departments} departments; median of {args.runs} runs (DEBUG off)",
        "",
        "| file | median s | size KB | PDF pages |",
        "|---|---:|---:|---:|",
    ]
    for label, url in cases:
        progress(label)
        seconds, response = timed(client, url, args.runs)
        pages = ""
        if response["Content-Type"] == "application/pdf":
            pages = str(len(PdfReader(io.BytesIO(response.content)).pages))
        size = len(response.content) / 1024
        lines.append(f"| {label} | {seconds:.2f} | {size:.0f} | {pages} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
