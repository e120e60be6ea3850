"""What every benchmark script does first: Django set up on a throw-away database (a fresh
SQLite file in a temp directory, or the empty database given by URL)."""

import os
import shutil
import sys
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def django_on(database_url: str, prefix: str):
    tmpdir = tempfile.mkdtemp(prefix=prefix)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["AXES_ENABLED"] = "0"  # the bench logs in thousands of times
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    try:
        yield
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def progress(message):
    print(message, file=sys.stderr, flush=True)
