"""The organisation's demo data behind `manage.py seed_demo`: names.py (fixed data and name
lists), plan.py and planning.py (the in-memory plan), writing.py (the bulk writer) and
contributor.py (the part registered with core.demo). Re-exported: what other apps' demo
parts and the tests use."""

from accounts.demo import DEMO_PASSWORD
from core.demo import DEFAULT_SEED
from org.demo import contributor  # noqa: F401 - registers the org part
from org.demo.names import BRANCH_CODE, DEFAULT_AGENTS, MIN_AGENTS, SUP
from org.demo.planning import plan_demo
from org.demo.writing import write_demo

__all__ = [
    "BRANCH_CODE",
    "DEFAULT_AGENTS",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "MIN_AGENTS",
    "SUP",
    "plan_demo",
    "write_demo",
]
