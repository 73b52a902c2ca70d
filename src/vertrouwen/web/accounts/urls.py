from django.conf import settings
from django.urls import include, path

from vertrouwen.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.start, name="start"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("inloggen/code/", views.two_factor_verify, name="two_factor_verify"),
    path("inloggen/app-instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("bevestigen/", views.confirm_identity, name="confirm_identity"),
    path("wachtwoord/", views.change_password, name="password_change"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("klantmanager/", views.klantmanager, name="klantmanager"),
    path("projectleider/", views.projectleider, name="projectleider"),
    path("onderzoeker/", views.onderzoeker, name="onderzoeker"),
    path("beheerder/", views.beheerder, name="beheerder"),
]

if settings.OIDC_ENABLED:  # the municipality's identity provider, only when configured (accounts/oidc.py)
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
