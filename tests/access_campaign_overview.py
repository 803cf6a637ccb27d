"""The campaign overview page and statistics API, for the access matrix's completeness check;
checked role by role in tests/test_campaign_stats.py."""

WEB: dict[str, str] = {"campaign": "page"}
API: dict[tuple[str, str], str] = {("GET", "/stats/campaign"): "stats"}
