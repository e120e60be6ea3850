"""The activity API under /api/v1/activity/, one module per part (`logs`, `bulk`, `scorecard`,
`cards`, `figures`, `weekly_checks`, `tools`, `handover`); routed in activity/api_urls.py."""
