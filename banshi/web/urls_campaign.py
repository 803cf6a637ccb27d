"""The campaign page (/staff/campaign/), added flat to banshi/web/urls.py's urlpatterns; each
area's pages are in urls_campaign_<area>.py."""

from django.urls import path

from .views.campaign import overview

urlpatterns = [
    path("staff/campaign/", overview.overview, name="campaign"),
]
