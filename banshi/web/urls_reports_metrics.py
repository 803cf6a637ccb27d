from django.urls import path

from .views.reports import metrics

urlpatterns = [
    path("handling/", metrics.handling, name="reports-handling"),
    path("ranking/", metrics.ranking_page, name="reports-ranking"),
    path("units/<str:code>/", metrics.unit_page, name="reports-unit"),
]
