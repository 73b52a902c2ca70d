from django.urls import path

from vertrouwen.web.design import views

app_name = "design"

urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/simulatie/", views.simulate, name="simulate"),
]
