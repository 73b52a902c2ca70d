"""The admin site (/beheer/), for users who logged in with password and authenticator code.

It replaces Django's default site through VerifiedAdminConfig below (INSTALLED_APPS), so every app's
admin.py registers with it as before. Anonymous users log in at the app's own login page (with the lockout and
the code) rather than at the admin's.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin import apps as admin_apps


class VerifiedAdminSite(AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def password_change(self, request, extra_context=None):
        """One page for every user's own password, audited (accounts/views.py)."""
        from django.shortcuts import redirect  # not at import: this module is an app's

        return redirect("accounts:password_change")

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login  # not at import: this module is an app's

            return redirect_to_login(request.GET.get("next") or request.path.replace("login/", ""))
        return super().login(request, extra_context)


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the site above as its default site."""

    default_site = "vertrouwen.web.accounts.admin_site.VerifiedAdminSite"
