from django.urls import path

from vertrouwen.web.monitor import views

app_name = "monitor"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.experiment, name="experiment"),
    path("<int:pk>/onderzoeksexport/", views.research_export, name="research_export"),
]
