from django.contrib import admin
from django.urls import include, path

# A database that cannot be reached answers 503 with its own page, also when a middleware noticed it first.
handler500 = "vertrouwen.web.faults.server_error"

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("vertrouwen.web.api.urls")),
    path("opzet/", include("vertrouwen.web.design.urls")),
    path("loting/", include("vertrouwen.web.lottery.urls")),
    path("monitor/", include("vertrouwen.web.monitor.urls")),
    path("rapportages/", include("vertrouwen.web.reports.urls")),
    path("evaluatie/", include("vertrouwen.web.evaluation.urls")),
    path("", include("vertrouwen.web.settlement.urls")),
    path("", include("vertrouwen.web.surveys.urls")),
    path("", include("vertrouwen.web.casework.urls")),
    path("", include("vertrouwen.web.accounts.urls")),
]
