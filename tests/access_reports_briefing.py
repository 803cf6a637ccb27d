"""The briefing page (工作简报), for the access matrix's completeness check; checked role by
role in tests/test_reports_briefing_access.py. It has no API operation of its own (its
numbers are those of /stats/collection and /stats/campaign)."""

WEB: dict[str, str] = {"reports-briefing": "page"}
API: dict[tuple[str, str], str] = {}
