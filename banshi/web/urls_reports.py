"""The reports pages (/staff/reports/…), added flat to banshi/web/urls.py's urlpatterns."""

from django.urls import path

from .views.reports import dashboard

urlpatterns = [
    path("staff/reports/dashboard/", dashboard.dashboard, name="reports-dashboard"),
]
