"""Campaign pages (supervision) under /staff/campaign/ (included by banshi/web/urls.py in the
`web` namespace); `h5_urlpatterns`: the public pages under /h5/campaign/ (none here)."""

from django.urls import path

from .views.campaign import supervision as views

urlpatterns: list = [
    path("guidance/", views.group_list, name="campaign-guidance-groups"),
    path("guidance/new/", views.group_new, name="campaign-guidance-group-new"),
    path("guidance/<int:pk>/", views.group_detail, name="campaign-guidance-group"),
    path("guidance/<int:pk>/edit/", views.group_edit, name="campaign-guidance-group-edit"),
    path("guidance/<int:pk>/members/", views.member_add, name="campaign-guidance-member-add"),
    path("guidance/<int:pk>/members/<int:member_id>/remove/", views.member_remove,
         name="campaign-guidance-member-remove"),
    path("visits/", views.visit_list, name="campaign-visits"),
    path("visits/new/", views.visit_new, name="campaign-visit-new"),
    path("visits/<int:pk>/", views.visit_detail, name="campaign-visit"),
    path("visits/<int:pk>/rectifications/", views.rectification_add,
         name="campaign-visit-rectification-add"),
    path("rectifications/", views.rectification_list, name="campaign-rectifications"),
    path("rectifications/<int:pk>/done/", views.rectification_done,
         name="campaign-rectification-done"),
    path("rectifications/<int:pk>/reopen/", views.rectification_reopen,
         name="campaign-rectification-reopen"),
    path("coverage/", views.coverage, name="campaign-coverage"),
    path("coverage.xlsx", views.coverage_export, name="campaign-coverage-export"),
]
h5_urlpatterns: list = []
