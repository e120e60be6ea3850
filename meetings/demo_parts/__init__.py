"""Demo data, one module per part (see meetings/demo.py)."""
