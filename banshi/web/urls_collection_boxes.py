"""Staff pages of opinion boxes, household visits and liaisons (under /staff/collection/)."""

from django.urls import path

from .views.collection import boxes, liaisons, visits

urlpatterns = [
    path("boxes/", boxes.box_list, name="opinion-boxes"),
    path("boxes/new/", boxes.box_new, name="opinion-box-new"),
    path("boxes/<str:code>/", boxes.box_detail, name="opinion-box"),
    path("boxes/<str:code>/edit/", boxes.box_edit, name="opinion-box-edit"),
    path("boxes/<str:code>/label/", boxes.box_label, name="opinion-box-label"),
    path("boxes/<str:code>/openings/", boxes.box_opening, name="opinion-box-opening"),
    path("boxes/<str:code>/openings/<int:opening>/", boxes.opening_transcribe,
         name="opinion-box-transcribe"),
    path("visits/", visits.visit_list, name="household-visits"),
    path("visits/new/", visits.visit_new, name="household-visit-new"),
    path("visits/day/", visits.visit_day, name="household-visits-day"),
    path("visits/<int:pk>/", visits.visit_detail, name="household-visit"),
    path("liaisons/", liaisons.liaison_list, name="liaisons"),
    path("liaisons/import/", liaisons.liaison_import, name="liaisons-import"),
    path("liaisons/<int:pk>/", liaisons.liaison_detail, name="liaison"),
    path("liaisons/<int:pk>/contacts/", liaisons.liaison_contact, name="liaison-contact"),
]
