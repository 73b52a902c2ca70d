from django.urls import path

from vertrouwen.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.start, name="start"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("klantmanager/", views.klantmanager, name="klantmanager"),
    path("projectleider/", views.projectleider, name="projectleider"),
    path("onderzoeker/", views.onderzoeker, name="onderzoeker"),
    path("beheerder/", views.beheerder, name="beheerder"),
]
