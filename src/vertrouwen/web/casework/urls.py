from django.urls import path

from vertrouwen.web.casework import views

app_name = "casework"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("persoon/<int:pk>/", views.participant, name="participant"),
    path("persoon/<int:pk>/actie/<int:action_id>/", views.action_status, name="action_status"),
    path("persoon/<int:pk>/verhaal/<int:story_id>/intrekken/", views.withdraw_consent, name="withdraw_consent"),
    path("persoon/<int:pk>/bsn/", views.reveal_bsn, name="reveal_bsn"),
    path("persoon/<int:pk>/vragenlijst/", views.start_questionnaire, name="start_questionnaire"),
    path("vragenlijst/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("persoon/<int:pk>/wat-houd-ik-over/", views.participant_calculator, name="participant_calculator"),
    path("persoon/<int:pk>/<str:step>/", views.act, name="act"),
    path("begeleiding/", views.overview, name="overview"),
    path("begeleiding/toewijzen/", views.assign, name="assign"),
    path("begeleiding/overdragen/", views.move, name="move"),
]
