"""Campaign pages (org) under /staff/campaign/ (included by banshi/web/urls.py in the
`web` namespace): the organisation, meetings, tasks and practical-matter lists.
`h5_urlpatterns`: none (this area has no public page)."""

from django.urls import path

from .views.campaign import matters, meetings, org, tasks

urlpatterns = [
    path("organisation/", org.organisation, name="campaign-org"),
    path("organisation/groups/new/", org.group_new, name="campaign-org-group-new"),
    path("organisation/groups/<int:pk>/", org.group_detail, name="campaign-org-group"),
    path("organisation/groups/<int:pk>/edit/", org.group_edit, name="campaign-org-group-edit"),
    path("organisation/groups/<int:pk>/remove/", org.group_remove,
         name="campaign-org-group-remove"),
    path("organisation/groups/<int:pk>/members/new/", org.member_new,
         name="campaign-org-member-new"),
    path("organisation/members/<int:pk>/", org.member_detail, name="campaign-org-member"),
    path("organisation/members/<int:pk>/edit/", org.member_edit,
         name="campaign-org-member-edit"),
    path("organisation/members/<int:pk>/remove/", org.member_remove,
         name="campaign-org-member-remove"),
    path("meetings/", meetings.meeting_list, name="campaign-meetings"),
    path("meetings/new/", meetings.meeting_new, name="campaign-meeting-new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="campaign-meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="campaign-meeting-edit"),
    path("meetings/<int:pk>/decisions/", meetings.decision_add,
         name="campaign-meeting-decision-add"),
    path("meetings/<int:pk>/decisions/<int:decision_id>/task/", meetings.decision_task,
         name="campaign-meeting-decision-task"),
    path("tasks/", tasks.task_list, name="campaign-tasks"),
    path("tasks/overdue/", tasks.overdue, name="campaign-tasks-overdue"),
    path("tasks/new/", tasks.task_new, name="campaign-task-new"),
    path("tasks/<int:pk>/", tasks.task_detail, name="campaign-task"),
    path("tasks/<int:pk>/assignments/<int:assignment_id>/report/", tasks.report,
         name="campaign-task-report"),
    path("tasks/<int:pk>/assignments/<int:assignment_id>/complete/", tasks.complete,
         name="campaign-task-complete"),
    path("tasks/<int:pk>/assignments/<int:assignment_id>/reopen/", tasks.reopen,
         name="campaign-task-reopen"),
    path("matters/", matters.matter_list, name="campaign-matters"),
    path("matters/by-unit/", matters.summary, name="campaign-matters-summary"),
    path("matters/new/", matters.matter_new, name="campaign-matter-new"),
    path("matters/<int:pk>/", matters.matter_detail, name="campaign-matter"),
    path("matters/<int:pk>/edit/", matters.matter_edit, name="campaign-matter-edit"),
    path("matters/<int:pk>/progress/", matters.progress, name="campaign-matter-progress"),
    path("matters/<int:pk>/close/", matters.close, name="campaign-matter-close"),
    path("matters/<int:pk>/reopen/", matters.reopen, name="campaign-matter-reopen"),
    path("matters/<int:pk>/progress/<int:progress_id>/file/", matters.evidence,
         name="campaign-matter-file"),
]
h5_urlpatterns: list = []
