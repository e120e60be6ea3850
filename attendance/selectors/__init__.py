"""Attendance reads, one module per part: `figures` (per agent and unit, the summary), `month`
(the month grid, the roll call sheet), `rules` (values in force), `deductions`, `fund`,
`measures`, `publication`."""
