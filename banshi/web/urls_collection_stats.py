"""The collection statistics pages (added to banshi/web/urls.py's urlpatterns, flat, so the
access matrix lists them by name)."""

from django.urls import path

from .views import collection_stats

urlpatterns = [
    path("staff/stats/collection/", collection_stats.collection_stats, name="collection-stats"),
    path("staff/stats/collection/export.xlsx", collection_stats.collection_stats_export,
         name="collection-stats-export"),
]
