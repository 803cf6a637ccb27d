from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    urls_campaign,
    urls_campaign_exemplars,
    urls_campaign_org,
    urls_campaign_study,
    urls_campaign_supervision,
    urls_collection_groups,
    urls_collection_stats,
    urls_collection_surveys,
    urls_collection_symposiums,
    urls_reports,
    urls_reports_ledgers,
    urls_reports_metrics,
)
from .views import case, leaders, ledger, problems, resident, staff, workbench
from .views.collection import symposiums as collection_symposiums

app_name = "web"
urlpatterns = [
    path("", resident.landing, name="landing"),
    path("h5/submit/", resident.submit, name="submit"),
    path("h5/submit/done/", resident.submitted, name="submitted"),
    path("h5/track/", resident.track, name="track"),
    path("h5/track/rate/", resident.rate, name="rate"),
    path("h5/photos/<str:token>/", resident.photo, name="resident-photo"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", staff.home, name="home"),
    path("staff/bulk-dispatch/", workbench.bulk_dispatch, name="bulk-dispatch"),
    path("staff/supervision/", staff.supervision_board, name="supervision"),
    path("staff/import/", staff.import_view, name="import"),
    path("staff/leaders/", leaders.leaders, name="leaders"),
    path("staff/appeals/", ledger.ledger, name="ledger"),
    path("staff/appeals/export.xlsx", ledger.export, name="export"),
    path("staff/appeals/new/", staff.entry, name="entry"),
    path("staff/appeals/<str:number>/", case.case, name="case"),
    path("staff/appeals/<str:number>/photos/<int:attachment_id>/", case.photo, name="photo"),
    path("staff/appeals/<str:number>/act/<slug:action>/", case.act, name="act"),
    path("staff/appeals/<str:number>/problem/", problems.link_from_case, name="case-problem"),
    path("staff/problems/", problems.problem_list, name="problems"),
    path("staff/problems/new/", problems.problem_new, name="problem-new"),
    path("staff/problems/<str:code>/", problems.problem_detail, name="problem"),
    path("staff/problems/<str:code>/act/<slug:action>/", problems.problem_act,
         name="problem-act"),
    path("staff/collection/symposiums/", include(urls_collection_symposiums)),
    path("h5/signin/<str:token>/", collection_symposiums.signin, name="signin"),
    path("staff/collection/groups/", include(urls_collection_groups)),
    path("staff/collection/surveys/", include(urls_collection_surveys.urlpatterns)),
    path("h5/survey/", include(urls_collection_surveys.h5_urlpatterns)),
    path("staff/collection/", include("banshi.web.urls_collection_boxes")),
]
urlpatterns += urls_collection_stats.urlpatterns + urls_campaign.urlpatterns
urlpatterns += urls_reports.urlpatterns
for _campaign_urls in (urls_campaign_org, urls_campaign_study, urls_campaign_supervision,
                       urls_campaign_exemplars):
    urlpatterns += [path("staff/campaign/", include(_campaign_urls.urlpatterns)),
                    path("h5/campaign/", include(_campaign_urls.h5_urlpatterns))]
urlpatterns += [path("staff/reports/", include("banshi.web.urls_reports_briefing"))]
urlpatterns += [path("staff/reports/", include(urls_reports_ledgers.urlpatterns))]
urlpatterns += [path("staff/reports/", include(urls_reports_metrics.urlpatterns))]
