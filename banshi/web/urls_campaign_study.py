"""Campaign pages (study) under /staff/campaign/ (included by banshi/web/urls.py in the
`web` namespace); `h5_urlpatterns`: the public pages under /h5/campaign/."""

from django.urls import path

from .views.campaign import study as views

urlpatterns = [
    path("study/", views.activity_list, name="campaign-study"),
    path("study/new/", views.activity_new, name="campaign-study-new"),
    path("study/<int:pk>/", views.activity_detail, name="campaign-study-activity"),
    path("study/<int:pk>/edit/", views.activity_edit, name="campaign-study-edit"),
    path("study/<int:pk>/files/", views.activity_attach, name="campaign-study-attach"),
    path("study/<int:pk>/files/<int:file_id>/", views.activity_file,
         name="campaign-study-file"),
    path("study/<int:pk>/signin/", views.activity_signin_switch,
         name="campaign-study-signin-switch"),
    path("study/<int:pk>/signins/", views.activity_signin_add,
         name="campaign-study-signin-add"),
    path("study/<int:pk>/signins/<int:signin_id>/remove/", views.activity_signin_remove,
         name="campaign-study-signin-remove"),
    path("speakers/", views.speaker_list, name="campaign-speakers"),
    path("speakers/new/", views.speaker_new, name="campaign-speaker-new"),
    path("speakers/<int:pk>/", views.speaker_detail, name="campaign-speaker"),
    path("speakers/<int:pk>/edit/", views.speaker_edit, name="campaign-speaker-edit"),
    path("venues/", views.venue_list, name="campaign-venues"),
    path("venues/new/", views.venue_new, name="campaign-venue-new"),
    path("venues/<int:pk>/", views.venue_detail, name="campaign-venue"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="campaign-venue-edit"),
]

h5_urlpatterns = [
    path("study/<str:token>/", views.signin, name="campaign-study-signin"),
]
