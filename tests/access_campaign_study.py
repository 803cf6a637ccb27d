"""The campaign (study) pages and API operations, for the access matrix's completeness check
(tests/test_access_matrix.py). Each is checked role by role, in and out of scope, in
tests/test_campaign_study_access.py, which builds its own records."""

# URL name -> what it is ("page", "record", "public", …: the access test's own kinds)
WEB: dict[str, str] = {
    # lists: every staff role, each scoped
    "campaign-study": "list", "campaign-speakers": "list", "campaign-venues": "list",
    # create pages: those who may record (speakers: unit staff too; venues: the office)
    "campaign-study-new": "gate", "campaign-speaker-new": "gate", "campaign-venue-new": "gate",
    # one activity: 200 in scope, 404 outside; editing 403 for readers
    "campaign-study-activity": "record", "campaign-study-file": "record",
    "campaign-study-edit": "record edit", "campaign-study-attach": "record post",
    "campaign-study-signin-switch": "record post", "campaign-study-signin-add": "record post",
    "campaign-study-signin-remove": "record post",
    # district-wide records: every staff role reads; managing is by right (403 otherwise)
    "campaign-speaker": "district", "campaign-venue": "district",
    "campaign-speaker-edit": "district edit", "campaign-venue-edit": "district edit",
    # the phone sign-in, by the activity's unguessable token
    "campaign-study-signin": "public",
}
# (method, path under /api/v1) -> kind
API: dict[tuple[str, str], str] = {
    ("GET", "/campaign/study"): "list",
    ("POST", "/campaign/study"): "create",
    ("GET", "/campaign/study/{activity_id}"): "record",
    ("GET", "/campaign/speakers"): "list",
    ("GET", "/campaign/venues"): "list",
}
