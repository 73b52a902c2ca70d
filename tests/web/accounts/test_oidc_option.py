"""OIDC login is an option: on when OIDC_RP_CLIENT_ID and the provider's endpoints are set, absent otherwise. The
provider only says who someone is; the account must exist here, found by user name or e-mail, and roles never
come from the claims.

Not tested here: a whole login against a real identity provider (there is none on this machine). What is tested:
the settings switch in a fresh process both ways, the URLs, the redirect to the provider, and the user mapping.
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from vertrouwen.web.accounts.oidc import StaffOIDCBackend, staff_user_for_claims

PROVIDER = {
    "OIDC_RP_CLIENT_ID": "vertrouwen-test",
    "OIDC_RP_CLIENT_SECRET": "client-secret-for-the-test",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.gemeente.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.gemeente.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.gemeente.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.gemeente.example/jwks",
}

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
out = {"enabled": settings.OIDC_ENABLED, "backends": settings.AUTHENTICATION_BACKENDS}
try:
    out["init"] = reverse("accounts:oidc_authentication_init")
    out["callback"] = reverse("accounts:oidc_authentication_callback")
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        out["redirect"] = Client().get(out["init"] + "?next=/projectleider/")["Location"]
except NoReverseMatch:
    out["init"] = None
from vertrouwen.web.accounts.forms import LoginForm
out["page"] = render_to_string("accounts/login.html", {"form": LoginForm(), "oidc_enabled": settings.OIDC_ENABLED,
                                                       "next": "", "redirect_field_name": "next"})
print(json.dumps(out))
"""


def probe(tmp_path, **env) -> dict:
    base = {"VERTROUWEN_HOME": str(tmp_path), "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "vertrouwen.web.settings",
            "PATH": "/usr/bin:/bin", "ALLOWED_HOSTS": "testserver"}
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env={**base, **env},
                            check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_the_variables_there_is_no_oidc_at_all(tmp_path):
    out = probe(tmp_path)
    assert out["enabled"] is False and out["init"] is None
    assert not any("oidc" in backend.lower() for backend in out["backends"])
    assert 'id="oidc-login"' not in out["page"]


def test_with_the_variables_the_login_page_offers_the_provider(tmp_path):
    out = probe(tmp_path, **PROVIDER)
    assert out["enabled"] is True
    assert out["backends"][0] == "axes.backends.AxesStandaloneBackend"  # the lockout still comes first
    assert out["backends"][-1] == "vertrouwen.web.accounts.oidc.StaffOIDCBackend"
    assert (out["init"], out["callback"]) == ("/oidc/authenticate/", "/oidc/callback/")
    assert 'id="oidc-login"' in out["page"] and 'href="/oidc/authenticate/?next=' in out["page"]
    location = out["redirect"]
    assert location.startswith("https://idp.gemeente.example/authorize?")
    for part in ("client_id=vertrouwen-test", "response_type=code", "state=", "nonce=", "code_challenge=",
                 "redirect_uri=http%3A%2F%2Ftestserver%2Foidc%2Fcallback%2F"):
        assert part in location, part


def test_a_client_id_without_the_endpoints_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-c", "import vertrouwen.web.settings"], capture_output=True, text=True,
                            env={"VERTROUWEN_HOME": str(tmp_path), "DEBUG": "true", "OIDC_RP_CLIENT_ID": "x"},
                            check=False)
    assert result.returncode != 0 and "OIDC_RP_CLIENT_SECRET must be set" in result.stderr


def test_this_test_run_has_no_oidc():
    assert settings.OIDC_ENABLED is False
    with pytest.raises(NoReverseMatch):
        reverse("accounts:oidc_authentication_init")


@pytest.mark.django_db
def test_claims_name_an_existing_active_account_by_user_name_or_else_a_verified_e_mail(users, django_user_model):
    users["projectleider"].email = "P.Leider@gemeente.example"
    users["projectleider"].save()
    assert staff_user_for_claims({"sub": "s1", "preferred_username": "onderzoeker"}) == users["onderzoeker"]
    assert staff_user_for_claims({"sub": "s2", "preferred_username": "iemand", "email": "p.leider@gemeente.example",
                                  "email_verified": True}) == users["projectleider"]
    # An e-mail address the provider did not verify names nobody (on main it did).
    assert staff_user_for_claims({"sub": "s2", "email": "p.leider@gemeente.example"}) is None
    assert staff_user_for_claims({"sub": "s2", "email": "p.leider@gemeente.example", "email_verified": "true"}) is None
    assert staff_user_for_claims({"sub": "s3", "preferred_username": "nieuw", "email": "nieuw@gemeente.example",
                                  "email_verified": True}) is None
    assert staff_user_for_claims({}) is None
    assert staff_user_for_claims({"preferred_username": "onderzoeker"}) is None  # no subject id: nobody
    users["klantmanager"].is_active = False
    users["klantmanager"].save()
    assert staff_user_for_claims({"sub": "s4", "preferred_username": "klantmanager"}) is None  # blocked stays blocked
    # Two accounts with one e-mail address: no guess.
    users["beheerder"].email = "p.leider@gemeente.example"
    users["beheerder"].save()
    assert staff_user_for_claims({"sub": "s5", "email": "p.leider@gemeente.example", "email_verified": True}) is None
    assert django_user_model.objects.count() == len(users)  # nothing was created


@pytest.mark.django_db
def test_the_first_login_binds_the_subject_and_after_that_only_the_subject_counts(users):
    from vertrouwen.web.accounts.models import OidcIdentity
    from vertrouwen.web.accounts.oidc import bind
    from vertrouwen.web.audit.models import AuditEvent

    first = {"sub": "abc-123", "preferred_username": "onderzoeker"}
    user = staff_user_for_claims(first, issuer="https://idp.example/token")
    bind(user, first, issuer="https://idp.example/token")

    assert OidcIdentity.objects.get(user=user).subject == "abc-123"
    assert AuditEvent.objects.filter(action="user.oidc_bound", object_id=str(user.pk)).exists()
    # The same subject, under another user name: still this account; another subject claiming the user name: nobody.
    assert staff_user_for_claims({"sub": "abc-123", "preferred_username": "hernoemd"},
                                 issuer="https://idp.example/token") == user
    assert staff_user_for_claims({"sub": "xyz-999", "preferred_username": "onderzoeker"},
                                 issuer="https://idp.example/token") is None
    # Another provider's subject ids are another space.
    assert staff_user_for_claims({"sub": "abc-123"}, issuer="https://ander.example/token") is None


@pytest.mark.django_db
@override_settings(OIDC_USERNAME_CLAIM="preferred_username", OIDC_CREATE_USER=False,
                   **{k: v for k, v in PROVIDER.items()}, OIDC_RP_SIGN_ALGO="RS256")
def test_the_backend_never_creates_accounts_nor_takes_roles_from_claims(users, django_user_model):
    backend = StaffOIDCBackend()
    claims = {"sub": "k-1", "preferred_username": "klantmanager", "groups": ["beheerder"], "roles": ["beheerder"],
              "is_staff": True, "is_superuser": True}
    assert backend.verify_claims(claims) and not backend.verify_claims({"name": "Iemand"})
    assert not backend.verify_claims({"preferred_username": "klantmanager"})  # no subject id
    found = backend.filter_users_by_claims(claims)
    assert list(found) == [users["klantmanager"]]
    user = backend.update_user(found[0], claims)
    user.refresh_from_db()
    assert [g.name for g in user.groups.all()] == ["klantmanager"] and not user.is_staff and not user.is_superuser
    assert not backend.filter_users_by_claims({"sub": "n-1", "preferred_username": "nieuw"}).exists()
    assert backend.create_user({"preferred_username": "nieuw", "email": "nieuw@gemeente.example"}) is None
    assert django_user_model.objects.count() == len(users)
