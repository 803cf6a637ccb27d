"""Campaign pages (supervision) under /staff/campaign/ (included by banshi/web/urls.py in the
`web` namespace); `h5_urlpatterns`: the public pages under /h5/campaign/."""

urlpatterns: list = []
h5_urlpatterns: list = []
