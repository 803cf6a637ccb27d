"""Campaign pages (exemplars) under /staff/campaign/ (included by banshi/web/urls.py in the
`web` namespace); `h5_urlpatterns`: the public pages under /h5/campaign/."""

from django.urls import path

from .views.campaign import exemplars as views

urlpatterns = [
    path("selections/", views.selections, name="campaign-selections"),
    path("selections/new/", views.selection_new, name="campaign-selection-new"),
    path("selections/<int:pk>/rounds/new/", views.round_new, name="campaign-round-new"),
    path("rounds/<int:round_id>/", views.round_detail, name="campaign-round"),
    path("rounds/<int:round_id>/advance/", views.round_advance, name="campaign-round-advance"),
    path("rounds/<int:round_id>/nominate/", views.nomination_new,
         name="campaign-nomination-new"),
    path("nominations/<int:pk>/", views.nomination_detail, name="campaign-nomination"),
    path("nominations/<int:pk>/review/", views.nomination_review,
         name="campaign-nomination-review"),
    path("nominations/<int:pk>/score/", views.nomination_score,
         name="campaign-nomination-score"),
    path("nominations/<int:pk>/photo/", views.nomination_photo,
         name="campaign-nomination-photo"),
    path("objections/<int:pk>/handle/", views.objection_handle,
         name="campaign-objection-handle"),
    path("practices/", views.practices, name="campaign-practices"),
    path("practices/new/", views.practice_new, name="campaign-practice-new"),
    path("practices/<int:pk>/", views.practice_detail, name="campaign-practice"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="campaign-practice-edit"),
    path("practices/<int:pk>/submit/", views.practice_submit, name="campaign-practice-submit"),
    path("practices/<int:pk>/review/", views.practice_review, name="campaign-practice-review"),
    path("practices/<int:pk>/photo/", views.practice_photo, name="campaign-practice-photo"),
]

h5_urlpatterns = [
    path("rounds/<int:round_id>/vote/", views.vote, name="campaign-vote"),
    path("rounds/<int:round_id>/publicity/", views.publicity, name="campaign-publicity"),
    path("rounds/<int:round_id>/results/", views.results, name="campaign-results"),
    path("nominees/<int:pk>/photo/", views.nominee_photo, name="campaign-nominee-photo"),
    path("practices/", views.public_practices, name="campaign-public-practices"),
    path("practices/<int:pk>/", views.public_practice, name="campaign-public-practice"),
    path("practices/<int:pk>/photo/", views.public_practice_photo,
         name="campaign-public-practice-photo"),
]
