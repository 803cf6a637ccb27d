"""Symposium pages under /staff/collection/symposiums/ (included by banshi/web/urls.py in
the `web` namespace); the public sign-in page is /h5/signin/<token>/ there."""

from django.urls import path

from .views.collection import symposiums as views

urlpatterns = [
    path("", views.symposium_list, name="symposiums"),
    path("new/", views.symposium_new, name="symposium-new"),
    path("<int:pk>/", views.symposium_detail, name="symposium"),
    path("<int:pk>/edit/", views.symposium_edit, name="symposium-edit"),
    path("<int:pk>/appeals/", views.symposium_appeals, name="symposium-appeals"),
    path("<int:pk>/participants/", views.participant_add, name="symposium-participant-add"),
    path("<int:pk>/participants/<int:participant_id>/remove/", views.participant_remove,
         name="symposium-participant-remove"),
    path("<int:pk>/files/", views.attach, name="symposium-attach"),
    path("<int:pk>/files/<int:file_id>/", views.attachment, name="symposium-file"),
    path("<int:pk>/sheet/", views.sheet, name="symposium-sheet"),
]
