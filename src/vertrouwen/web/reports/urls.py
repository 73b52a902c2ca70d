from django.urls import path

from vertrouwen.web.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.experiment, name="experiment"),
    path("<int:pk>/<str:kind>.<str:fmt>", views.download, name="download"),
]
