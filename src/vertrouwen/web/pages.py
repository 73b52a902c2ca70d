"""What every page uses: the layout's context (the municipality, the user's role, the menu), rendering a page with
it, and the role check in front of a view. Shared by every web room."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
    if role is None and request.user.is_authenticated and _verified(request.user):
        role = role_of(request.user)  # no menu before the code: its pages would only send the user back
    navigation = []
    if role is not None and not role.system:  # a system account has no pages to navigate
        start = reverse(f"accounts:{role.code}")
        navigation.append({"label": _("Start page"), "url": start, "current": request.path == start})
        for label, name, roles in NAVIGATION:
            if role in roles:
                url = reverse(name)
                navigation.append({"label": label, "url": url,
                                   "current": name != "admin:index" and request.path.startswith(url)})
    return {"municipality_name": selectors.municipality_name(), "role": role, "navigation": navigation}


def _verified(user) -> bool:
    return getattr(user, "is_verified", lambda: False)()


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
