"""Activity reads, one module per part: `logs` (the week's points, a group's day), `figures`
(the §4 figures), `weekly_checks` (附件5), `cards`, `tools`, `handover`."""
