"""Online group pages under /staff/collection/groups/ (included by banshi/web/urls.py in
the `web` namespace)."""

from django.urls import path

from .views.collection import groups as views

urlpatterns = [
    path("", views.group_list, name="online-groups"),
    path("new/", views.group_new, name="online-group-new"),
    path("<int:pk>/", views.group_detail, name="online-group"),
    path("<int:pk>/edit/", views.group_edit, name="online-group-edit"),
    path("<int:pk>/paste/", views.paste, name="online-group-paste"),
]
