"""The org API, one module per part: `units` (units and ranks), `agents`, `roster` (Excel
export and import); routed in org/api_urls.py."""
