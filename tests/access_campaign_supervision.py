"""The campaign (supervision) pages and API operations, for the access matrix's completeness check
(tests/test_access_matrix.py). Each is checked role by role, in and out of scope, in
tests/test_campaign_supervision_access.py, which builds its own records."""

# URL name -> what it is ("page", "record", "public", …: the access test's own kinds)
WEB: dict[str, str] = {
    "campaign-guidance-groups": "page",
    "campaign-guidance-group": "district record",
    "campaign-guidance-group-new": "office page",
    "campaign-guidance-group-edit": "office page",
    "campaign-guidance-member-add": "office action",
    "campaign-guidance-member-remove": "office action",
    "campaign-visits": "scoped list",
    "campaign-visit-new": "recorder page",
    "campaign-visit": "record",
    "campaign-visit-rectification-add": "record action",
    "campaign-rectifications": "scoped list",
    "campaign-rectification-done": "record action",
    "campaign-rectification-reopen": "record action",
    "campaign-coverage": "scoped list",
    "campaign-coverage-export": "scoped export",
}
# (method, path under /api/v1) -> kind
API: dict[tuple[str, str], str] = {
    ("GET", "/campaign/guidance-groups"): "district list",
    ("GET", "/campaign/coverage"): "scoped list",
    ("GET", "/campaign/visits"): "scoped list",
    ("POST", "/campaign/visits"): "recorder action",
    ("GET", "/campaign/rectifications"): "scoped list",
    ("POST", "/campaign/rectifications/{item_id}/done"): "record action",
    ("POST", "/campaign/rectifications/{item_id}/reopen"): "record action",
}
