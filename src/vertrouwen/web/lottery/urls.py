from django.urls import path

from vertrouwen.web.lottery import views

app_name = "lottery"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.experiment, name="experiment"),
    path("<int:pk>/analyseplan/", views.plan, name="plan"),
    path("<int:pk>/loten/", views.draw, name="draw"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("<int:pk>/antwoord/", views.answer, name="answer"),
    path("<int:pk>/toewijzen/", views.allocate, name="allocate"),
    path("trekking/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("analyseplan/<int:pk>/", views.plan_file, name="plan_file"),
]
