"""Benchmark: the bad-file corpus against every import — time and memory per file (issue 20).

    DJANGO_DEBUG=1 .venv/bin/python bench/bench_imports.py [--agents 100] [--database-url …]

Each file of the corpus (core/tests/test_import_corpus.py: bombs, truncated XML, entity
expansion, CSV, .xls, password-protected, …) is posted to each import's API as its user, on a
small seeded demo branch. Per file it reports the server time, the growth of the process's peak
resident memory (Linux: the peak is reset before each file through /proc/self/clear_refs) and
the status; it fails when a file answers anything but 400 or writes a row. Target: each under
2 s and under 200 MB.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import django_on, progress  # noqa: E402

TARGET_SECONDS = 2.0
TARGET_MB = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    return parser.parse_args()


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class World:
    """What the corpus builders need, taken from the demo branch."""

    def __init__(self):
        from org.models import Agent

        self.agent = (
            Agent.objects.filter(status="formal", group__parent__name__isnull=False)
            .select_related("group__parent", "rank")
            .order_by("code")
            .first()
        )
        self.dept_a1 = self.agent.group.parent
        self.group_a1_1 = self.agent.group


def main():
    args = parse_args()
    with django_on(args.database_url, "bench-imports-"):
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command
        from rest_framework.test import APIClient

        from accounts.models import User
        from core.tests import test_import_corpus as corpus_module

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", verbosity=0, interactive=False)
        progress(f"seeding {args.agents} agents …")
        call_command("seed_demo", agents=args.agents, seed=args.seed, stdout=sys.stderr)
        world = World()
        peak_resettable = _reset_peak()
        rows, failures = [], []
        for kind, spec in corpus_module.IMPORTS.items():
            client = APIClient()
            client.force_authenticate(User.objects.get(username=spec["user"]))
            files = corpus_module.corpus(kind, world)
            for name, content in files.items():
                before = corpus_module.counts()
                _reset_peak()
                rss_before = _status_kb("VmRSS")
                start = time.perf_counter()
                response = client.post(
                    spec["url"],
                    {"file": SimpleUploadedFile("data.xlsx", content)},
                    format="multipart",
                )
                seconds = time.perf_counter() - start
                growth_mb = max(0, _status_kb("VmHWM") - rss_before) / 1024
                written = corpus_module.counts() != before
                rows.append((kind, name, len(content), response.status_code, seconds, growth_mb))
                told = response.status_code == 400 and response.json().get("errors")
                if not told or written:
                    failures.append(f"{kind} / {name}: {response.status_code}, written={written}")
                if seconds > TARGET_SECONDS or (peak_resettable and growth_mb > TARGET_MB):
                    failures.append(f"{kind} / {name}: {seconds:.2f} s, +{growth_mb:.0f} MB")
        print("| import | file | size | status | time | peak memory growth |")
        print("|---|---|---:|---:|---:|---:|")
        for kind, name, size, status, seconds, growth in rows:
            print(
                f"| {kind} | {name} | {size / 1024:,.0f} KB | {status} | {seconds * 1000:,.0f} ms "
                f"| {growth:,.0f} MB |"
            )
        slowest = max(rows, key=lambda r: r[4])
        largest = max(rows, key=lambda r: r[5])
        print(
            f"\n{len(rows)} files; slowest {slowest[0]} / {slowest[1]} {slowest[4]:.2f} s; "
            f"largest memory growth {largest[0]} / {largest[1]} +{largest[5]:.0f} MB"
            + ("" if peak_resettable else " (peak not resettable here: growth is approximate)")
        )
        if failures:
            print("\nFAILED:\n" + "\n".join(failures))
            os._exit(1)


if __name__ == "__main__":
    main()
