from django.urls import path

from vertrouwen.web.settlement import views

app_name = "settlement"

urlpatterns = [
    path("wat-houd-ik-over/", views.calculator, name="calculator"),
    path("verrekening/", views.runs, name="runs"),
    path("verrekening/starten/", views.start_run, name="start_run"),
]
