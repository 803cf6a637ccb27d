"""The handling metrics pages and API operation (issue 10, area `metrics`), for the access
matrix's completeness check; checked role by role in tests/test_reports_metrics_access.py.

The 电话回访 action (POST /appeals/{number}/call_back, the case page's "call-back" form) is a
row of the appeal transition table and so is checked with every other appeal action by
tests/test_access_matrix.py (ACTION_BODIES)."""

# URL name -> "reports" (district roles and unit staff, scoped), "ranking" (district roles),
# "unit" (a unit's page: 404 alike for a unit outside the caller's scope)
WEB: dict[str, str] = {
    "reports-handling": "reports",
    "reports-ranking": "ranking",
    "reports-unit": "unit",
}
API: dict[tuple[str, str], str] = {("GET", "/stats/handling"): "stats"}
