"""The campaign (exemplars) pages and API operations, for the access matrix's completeness check
(tests/test_access_matrix.py). Each is checked role by role, in and out of scope, in
tests/test_campaign_exemplars_access.py, which builds its own records."""

# URL name -> what it is ("page", "record", "public", …: the access test's own kinds)
WEB: dict[str, str] = {
    # staff pages (/staff/campaign/)
    "campaign-selections": "page",
    "campaign-selection-new": "office",
    "campaign-round-new": "selection office",
    "campaign-round": "round",
    "campaign-round-advance": "round office post",
    "campaign-nomination-new": "round recorder",
    "campaign-nomination": "nomination",
    "campaign-nomination-photo": "nomination",
    "campaign-nomination-review": "nomination post",
    "campaign-nomination-score": "nomination post",
    "campaign-objection-handle": "objection post",
    "campaign-practices": "page",
    "campaign-practice-new": "recorder",
    "campaign-practice": "practice",
    "campaign-practice-photo": "practice",
    "campaign-practice-edit": "practice",
    "campaign-practice-submit": "practice post",
    "campaign-practice-review": "practice post",
    # public pages (/h5/campaign/)
    "campaign-vote": "public round",
    "campaign-publicity": "public round",
    "campaign-results": "public round",
    "campaign-nominee-photo": "public nominee",
    "campaign-public-practices": "public",
    "campaign-public-practice": "public practice",
    "campaign-public-practice-photo": "public practice",
}
# (method, path under /api/v1) -> kind
API: dict[tuple[str, str], str] = {
    ("GET", "/campaign/selections"): "staff list",
    ("GET", "/campaign/rounds/{round_id}/nominations"): "staff scoped list",
    ("POST", "/campaign/rounds/{round_id}/nominations"): "recorder",
    ("POST", "/campaign/rounds/{round_id}/votes"): "public",
    ("GET", "/campaign/practices"): "public",
}
