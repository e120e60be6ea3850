"""Changes to the organisation, one module per part: `units`, `agents`, `placements`
(effective-dated history), `roster` (writing an imported roster row), `users` (staff users and
their roles). Each function is one transaction with an `acting_user` and its audit trail."""
