"""Attendance API under /api/v1/attendance/ (routes in attendance/api_urls.py): the same services,
selectors and scope as the pages, one module per part: `daily` (records, roll call, check-in,
import), `figures`, `leave`, `checks`, `deductions`, `fund`, `publication`, `measures`.

An agent sees only their own attendance; a supervisor their group; the assistant and manager
their department; district staff their district (Agent.objects.visible_to).
"""
