"""Questionnaire pages: staff under /staff/collection/surveys/, the resident's form under
/h5/survey/ (names in the `web` namespace)."""

from django.urls import path

from .views.collection import survey_h5, surveys

urlpatterns = [
    path("", surveys.questionnaire_list, name="questionnaires"),
    path("new/", surveys.questionnaire_new, name="questionnaire-new"),
    path("<int:pk>/", surveys.questionnaire, name="questionnaire"),
    path("<int:pk>/act/<slug:action>/", surveys.questionnaire_act, name="questionnaire-act"),
    path("<int:pk>/questions/<int:question_id>/", surveys.question_edit,
         name="questionnaire-question"),
    path("<int:pk>/qr/", surveys.questionnaire_qr, name="questionnaire-qr"),
    path("<int:pk>/paper/", surveys.paper_entry, name="questionnaire-paper"),
    path("<int:pk>/import/", surveys.responses_import, name="questionnaire-import"),
    path("<int:pk>/template.xlsx", surveys.import_template, name="questionnaire-template"),
    path("<int:pk>/results/", surveys.results, name="questionnaire-results"),
    path("<int:pk>/responses.xlsx", surveys.responses_export, name="questionnaire-export"),
    path("<int:pk>/responses/<int:response_id>/<int:question_id>/appeal/",
         surveys.answer_appeal, name="questionnaire-answer-appeal"),
]

h5_urlpatterns = [
    path("<str:token>/", survey_h5.survey, name="survey"),
    path("<str:token>/done/", survey_h5.survey_done, name="survey-done"),
]
