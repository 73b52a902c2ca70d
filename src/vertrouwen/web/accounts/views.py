"""Login, logout, the start URL and each role's start page.

Every start page belongs to one role: anyone else gets 403. The figures come from the selectors.
"""

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.accounts import selectors as account_selectors
from vertrouwen.web.accounts import services, twofactor
from vertrouwen.web.accounts.forms import CodeForm, ConfirmIdentityForm, LoginForm, PasswordChangeForm
from vertrouwen.web.accounts.roles import BEHEERDER, KLANTMANAGER, ONDERZOEKER, PROJECTLEIDER, role_of
from vertrouwen.web.accounts.sessions import note_confirmation, reauthentication_required, safe_next
from vertrouwen.web.pages import forbidden, page_context, render_page, role_required
from vertrouwen.web.registry import selectors


class LoginView(auth_views.LoginView):
    """The password; then on to the code (two_factor_verify), with where the user was going."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        return _with_next("accounts:two_factor_verify", super().get_success_url())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **page_context(self.request),
                "oidc_enabled": settings.OIDC_ENABLED, "failure_limit": settings.AXES_FAILURE_LIMIT,
                "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _next_url(request) -> str:
    """The page to go on to: a safe `next` (this site only), else the start URL."""
    candidate = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, candidate) or reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request):
    """After the password: the code from the authenticator app."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if twofactor.confirmed_device(request.user) is None:
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify_login_code(request, form.cleaned_data["otp_token"]):
            return redirect(next_url)
        form.reject()
    return render_page(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def two_factor_setup(request):
    """A user without an authenticator app sets one up: QR code or secret, then a first code to confirm it."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if twofactor.confirmed_device(request.user) is not None:
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    device = twofactor.device_to_set_up(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_new_device(request, device, form.cleaned_data["otp_token"]):
            messages.success(request, _("The authenticator app is set up. From now on you log in with a code "
                                        "from the app."))
            return redirect(next_url)
        form.reject()
    return render_page(request, "accounts/two_factor_setup.html", {
        "form": form, "next": next_url, "secret": twofactor.secret_text(device),
        "qr_code": mark_safe(twofactor.qr_code_svg(device))})  # noqa: S308 - segno's own SVG, no user input


@login_required
def confirm_identity(request):
    """"Confirm that it is you": password and code again, before an export or a change of rights."""
    next_url = _next_url(request)
    user = request.user
    form = ConfirmIdentityForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if _identity_confirmed(request, form):
            note_confirmation(request.session)
            AxesProxyHandler.reset_attempts(username=user.get_username(), ip_address=get_client_ip_address(request))
            return redirect(next_url)
        form.reject()
    return render_page(request, "accounts/confirm_identity.html", {
        "form": form, "next": next_url,
        "valid_minutes": int(settings.REAUTHENTICATION_VALID_FOR.total_seconds() // 60)})


@login_required
@reauthentication_required  # the code as well as the password: a stolen session alone changes nothing
def change_password(request):
    """Every user changes their own password here (the admin's own page leads here too); audited, never the
    password itself. The session stays logged in."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.password_changed(user, actor=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:start")
    return render_page(request, "accounts/password_change.html", {"form": form, "heading": _("Change password")},
                       status=400 if request.method == "POST" else 200)


def _identity_confirmed(request, form) -> bool:
    """Password (through authenticate, so the lockout sees it) and then the code; each failure counts once."""
    user = request.user
    if "password" in form.fields:
        checked = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
        if checked is None or checked.pk != user.pk:
            return False  # authenticate() already reported the failed login
    if twofactor.check_code(request, form.cleaned_data["otp_token"]):
        return True
    twofactor.count_failed_attempt(request, user.get_username())
    return False


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
    if role.system:  # a system account uses the API with its token, not the pages
        return forbidden(request)
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
