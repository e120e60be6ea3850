"""Meeting workflows, one module per part: `groups`, `templates`, `calendars`, `records`,
`inspections`. Each function is one transaction with an `acting_user`."""
