from django.urls import path

from vertrouwen.web.surveys import views

app_name = "surveys"

urlpatterns = [
    path("v/<str:token>/", views.answer, name="answer"),
    path("vragenlijsten/", views.index, name="index"),
    path("vragenlijsten/experiment/<int:pk>/metingen/", views.create_waves, name="create_waves"),
    path("vragenlijsten/meting/<int:pk>/", views.wave, name="wave"),
    path("vragenlijsten/meting/<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("vragenlijsten/meting/<int:pk>/herinneren/", views.remind, name="remind"),
    path("vragenlijsten/meting/<int:pk>/periode/", views.period, name="period"),
    path("vragenlijsten/meting/<int:pk>/links.csv", views.links, name="links"),
    path("vragenlijsten/klantmanager/", views.case_manager, name="case_manager"),
]
