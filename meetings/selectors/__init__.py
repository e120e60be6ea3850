"""Reads that need thought, one module per part (`calendars`, `records`, `inspections`…)."""
