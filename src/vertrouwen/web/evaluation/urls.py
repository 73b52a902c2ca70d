from django.urls import path

from vertrouwen.web.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.experiment, name="experiment"),
]
