"""Attendance writes, one module per part: `daily` (roll call, import rows, check-in), `leave`,
`checks` (附件7), `deductions`, `fund`, `publication`, `measures`. Each function is one
transaction that takes `acting_user` and leaves its trail."""
