"""The campaign (org) pages and API operations, for the access matrix's completeness check
(tests/test_access_matrix.py). Each is checked role by role, in and out of scope, in
tests/test_campaign_org_access.py, which builds its own records."""

# URL name -> what it is: "page" (every campaign user), "office" (the office's editing pages),
# "recorder" (create pages: those who may record for some unit), "meeting"/"task"/"matter"/
# "group"/"member" (a record's page or action: 404 outside the record's scope)
WEB: dict[str, str] = {
    "campaign-org": "page",
    "campaign-org-group": "group",
    "campaign-org-group-new": "office",
    "campaign-org-group-edit": "office",
    "campaign-org-group-remove": "office",
    "campaign-org-member": "member",
    "campaign-org-member-new": "office",
    "campaign-org-member-edit": "office",
    "campaign-org-member-remove": "office",
    "campaign-meetings": "page",
    "campaign-meeting-new": "recorder",
    "campaign-meeting": "meeting",
    "campaign-meeting-edit": "meeting",
    "campaign-meeting-decision-add": "meeting",
    "campaign-meeting-decision-task": "meeting",
    "campaign-tasks": "page",
    "campaign-tasks-overdue": "page",
    "campaign-task-new": "recorder",
    "campaign-task": "task",
    "campaign-task-report": "task",
    "campaign-task-complete": "task",
    "campaign-task-reopen": "task",
    "campaign-matters": "page",
    "campaign-matters-summary": "page",
    "campaign-matter-new": "recorder",
    "campaign-matter": "matter",
    "campaign-matter-edit": "matter",
    "campaign-matter-progress": "matter",
    "campaign-matter-close": "matter",
    "campaign-matter-reopen": "matter",
    "campaign-matter-file": "matter",
}
# (method, path under /api/v1) -> kind
API: dict[tuple[str, str], str] = {
    ("GET", "/campaign/organisation"): "list",
    ("GET", "/campaign/meetings"): "list",
    ("POST", "/campaign/meetings"): "create",
    ("POST", "/campaign/meetings/{meeting_id}/decisions"): "meeting",
    ("POST", "/campaign/meetings/{meeting_id}/decisions/{decision_id}/task"): "meeting",
    ("GET", "/campaign/tasks"): "list",
    ("POST", "/campaign/tasks"): "create",
    ("POST", "/campaign/tasks/{task_id}/report"): "task",
    ("GET", "/campaign/matters"): "list",
    ("POST", "/campaign/matters"): "create",
    ("POST", "/campaign/matters/{matter_id}/progress"): "matter",
    ("POST", "/campaign/matters/{matter_id}/close"): "matter",
}
