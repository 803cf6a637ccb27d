"""The dashboard page, for the access matrix's completeness check; checked role by role in
tests/test_reports_dashboard.py."""

WEB: dict[str, str] = {"reports-dashboard": "page"}
API: dict[tuple[str, str], str] = {}
