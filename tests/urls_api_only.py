from django.urls import path
from banshi.api.urls import api
urlpatterns = [path("api/v1/", api.urls)]
