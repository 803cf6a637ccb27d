"""The campaign (study) pages and API operations, for the access matrix's completeness check
(tests/test_access_matrix.py). Each is checked role by role, in and out of scope, in
tests/test_campaign_study_access.py, which builds its own records."""

# URL name -> what it is ("page", "record", "public", …: the access test's own kinds)
WEB: dict[str, str] = {}
# (method, path under /api/v1) -> kind
API: dict[tuple[str, str], str] = {}
