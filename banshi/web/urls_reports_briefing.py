"""The briefing page, included under staff/reports/ by banshi/web/urls.py."""

from django.urls import path

from .views.reports import briefing

urlpatterns = [
    path("briefing/", briefing.briefing, name="reports-briefing"),
]
