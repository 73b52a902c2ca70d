"""Login, logout, the start URL and each role's start page.

Every start page belongs to one role: anyone else gets 403. The figures come from the selectors.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.accounts import selectors as account_selectors
from vertrouwen.web.accounts.forms import LoginForm
from vertrouwen.web.accounts.roles import BEHEERDER, KLANTMANAGER, ONDERZOEKER, PROJECTLEIDER, Role, role_of
from vertrouwen.web.registry import selectors

# The pages in the main menu besides the start page: (label, URL name, the roles that see it).
NAVIGATION = (
    (_("My caseload"), "casework:caseload", (KLANTMANAGER,)),
    (_("Process questionnaire"), "surveys:case_manager", (KLANTMANAGER,)),
    (_("Monitor"), "monitor:index", (PROJECTLEIDER, ONDERZOEKER)),
    (_("Evaluation"), "evaluation:index", (PROJECTLEIDER, ONDERZOEKER)),
    (_("Guidance"), "casework:overview", (PROJECTLEIDER,)),
    (_("Reports"), "reports:index", (PROJECTLEIDER,)),
    (_("Experiment set-up"), "design:index", (PROJECTLEIDER, ONDERZOEKER)),
    (_("Lottery"), "lottery:index", (ONDERZOEKER,)),
    (_("Questionnaires"), "surveys:index", (ONDERZOEKER,)),
    (_("Monthly settlement"), "settlement:runs", (BEHEERDER,)),
    (_("Configuration"), "admin:index", (BEHEERDER,)),
)


def page_context(request, *, role: Role | None = None) -> dict:
    """What the base layout needs: the municipality's name, the user's role and the navigation."""
    if role is None and request.user.is_authenticated:
        role = role_of(request.user)
    navigation = []
    if role is not None:
        start = reverse(f"accounts:{role.code}")
        navigation.append({"label": _("Start page"), "url": start, "current": request.path == start})
        for label, name, roles in NAVIGATION:
            if role in roles:
                url = reverse(name)
                navigation.append({"label": label, "url": url,
                                   "current": name != "admin:index" and request.path.startswith(url)})
    return {"municipality_name": selectors.municipality_name(), "role": role, "navigation": navigation}


def render_page(request, template: str, context: dict | None = None, *, role: Role | None = None,
                status: int = 200) -> TemplateResponse:
    return TemplateResponse(request, template, {**page_context(request, role=role), **(context or {})},
                            status=status)


def forbidden(request) -> TemplateResponse:
    return render_page(request, "403.html", status=403)


def role_required(*roles: Role):
    """Only users with one of `roles` may open the view; others get 403, anonymous users the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **page_context(self.request)}


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (a form with a button), never a link."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have been logged out."))
        return response


@login_required
def start(request):
    """Send each user to their role's start page; a user without a role is told so."""
    role = role_of(request.user)
    if role is None:
        return render_page(request, "accounts/no_role.html")
    return redirect(f"accounts:{role.code}")


# What each start page says under "How these figures are counted": (term, how it is counted).
CASELOAD_DEFINITIONS = (
    (_("Participants"), _("Signed the rules of their group before this date and did not stop taking part.")),
    (_("On benefit"), _("Participants with a benefit that started before this date and had not ended before it.")),
    (_("With offset earnings"), _("Participants with earnings offset against the benefit, in the latest month for "
                                  "which earnings are known.")),
    (_("Contacts"), _("All contacts with the participants in the last complete month for which contacts are "
                      "known.")),
)
DEVELOPMENT_DEFINITIONS = (
    (_("Participants"), _("Signed the rules of their group before the count date. Participants = Stopped + Exit + "
                          "Still on benefit.")),
    (_("Stopped"), _("Stopped taking part before the count date while on benefit, for a personal reason or by "
                     "decision of the municipality.")),
    (_("Exit"), _("Did not stop and no longer on benefit at the count date.")),
    (_("Still on benefit"), _("Did not stop and on benefit at the count date, including people who came back onto "
                              "benefit.")),
)


def _experiment_context(heading, definitions=()):
    """The current experiment, and the context every start page has: it, the page's heading and, for the pages
    that explain their figures, the definitions (accounts/_definitions.html)."""
    experiment = selectors.current_experiment()
    return experiment, {"experiment": experiment, "heading": heading, "definitions": definitions}


@role_required(KLANTMANAGER)
def klantmanager(request):
    experiment, context = _experiment_context(_("Participants per group"), CASELOAD_DEFINITIONS)
    if experiment is not None:
        context["caseload"] = selectors.caseload_overview(experiment, timezone.localdate())
    return render_page(request, "accounts/klantmanager.html", context, role=KLANTMANAGER)


@role_required(PROJECTLEIDER)
def projectleider(request):
    experiment, context = _experiment_context(_("Participant development"), DEVELOPMENT_DEFINITIONS)
    if experiment is not None:
        context["development"] = selectors.participant_development(experiment)
    return render_page(request, "accounts/projectleider.html", context, role=PROJECTLEIDER)


@role_required(ONDERZOEKER)
def onderzoeker(request):
    experiment, context = _experiment_context(_("Allocation and response"))
    if experiment is not None:
        context["arms"] = selectors.arms_of(experiment)
        context["allocation"] = selectors.allocation_overview(experiment)
        context["waves"] = selectors.survey_response(experiment)
    return render_page(request, "accounts/onderzoeker.html", context, role=ONDERZOEKER)


@role_required(BEHEERDER)
def beheerder(request):
    experiment, context = _experiment_context(_("Administration"))
    if experiment is not None:
        context["arms"] = selectors.arms_of(experiment)
    context["users"] = account_selectors.users_per_role()
    context["audit_events"] = account_selectors.latest_audit_events(limit=10)
    return render_page(request, "accounts/beheerder.html", context, role=BEHEERDER)
