from django.contrib import admin
from django.urls import include, path

from banshi.api.urls import api

admin.site.site_header = admin.site.site_title = "办实事工作平台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("banshi.web.urls")),
]
