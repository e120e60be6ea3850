"""Activity workflows (writes), one module per part: `logs`, `weekly_checks`, `tools`,
`handover`, `cards`. Each function is one transaction with an `acting_user`, leaving its history
row."""
