from django.urls import path, re_path

from vertrouwen.web.api import views
from vertrouwen.web.api.errors import not_found

app_name = "api"

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("openapi.json", views.SchemaView.as_view(), name="openapi"),  # where the NL API Design Rules look
    path("benefit-spells/", views.BenefitSpellsView.as_view(), name="benefit_spells"),
    path("earnings/", views.EarningsView.as_view(), name="earnings"),
    path("persons/<str:person_id>/", views.PersonView.as_view(), name="person"),
    re_path(r"^(?P<unknown_path>.*)$", not_found),  # JSON, not the site's HTML 404 page
]
