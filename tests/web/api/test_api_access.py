"""Who may use the API: only the link's system account with its token. Anonymous requests get 401, every other
account 403 (by session or even with a token), and a session never gets anything: no CSRF surface. Tokens are
stored as hashes only, issued and revoked on the command line, and throttled per token."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from link_accounts import LINK_USERNAME, make_link_account

from vertrouwen.web.accounts.roles import KOPPELING, USER_ROLES
from vertrouwen.web.accounts.services import ensure_demo_users
from vertrouwen.web.api.models import ApiToken
from vertrouwen.web.api.tokens import TokenRefused, issue_token, revoke_tokens
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import BenefitSpell

STAFF_ROLES = [role.code for role in USER_ROLES]
# Each operation with a request that the link would get a 200 for.
OPERATIONS = [
    ("get", "/api/v1/persons/P1/", None),
    ("post", "/api/v1/benefit-spells/", [{"person_id": "P2", "spell_start": "2019-07-01"}]),
    ("post", "/api/v1/earnings/", [{"person_id": "P1", "month": "2019-10", "earnings_cents": 100}]),
]


def call(client, method: str, path: str, body, **headers):
    if method == "get":
        return client.get(path, **headers)
    return client.post(path, body, content_type="application/json", **headers)


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_the_link_with_its_token_gets_through(client, link_token, bearer, method, path, body):
    assert call(client, method, path, body, **bearer(link_token)).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_anonymous_requests_get_401_with_the_scheme_to_use(client, experiment, method, path, body):
    response = call(client, method, path, body)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": response.json()["detail"], "errors": []} and response.json()["detail"]


@pytest.mark.parametrize("token", ["vtw_wrong", "not-even-the-format", "vtw_" + "a" * 43])
def test_a_wrong_token_gets_401(client, experiment, bearer, token):
    assert client.get("/api/v1/persons/P1/", **bearer(token)).status_code == 401


@pytest.mark.parametrize("code", [*STAFF_ROLES, KOPPELING.code])
@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a_signed_in_session_gets_403_and_changes_nothing(login, experiment, code, method, path, body):
    """Staff with a verified session, and even the link's account signed in without its token: 403. A write
    without a CSRF token gets the same 403, not a CSRF failure: a session is never enough."""
    client = login(code)
    client.handler.enforce_csrf_checks = True
    before = BenefitSpell.objects.count()
    response = call(client, method, path, body)
    assert response.status_code == 403, response.content
    assert response.json()["errors"] == []
    assert BenefitSpell.objects.count() == before


@pytest.mark.parametrize("code", STAFF_ROLES)
def test_a_staff_account_with_a_token_gets_403(client, users, experiment, bearer, code):
    """issue_token refuses staff accounts; a token made for one anyway does not open the API."""
    with pytest.raises(TokenRefused):
        issue_token(users[code], municipality=experiment.municipality, actor="test")
    token = "vtw_made-by-hand-for-a-staff-account"
    ApiToken.objects.create(user=users[code], municipality=experiment.municipality,
                            key_hash=hashlib.sha256(token.encode()).hexdigest(), prefix=token[:12],
                            expires_at=timezone.now() + timedelta(days=1))
    assert client.get("/api/v1/persons/P1/", **bearer(token)).status_code == 403


def test_revoked_and_expired_tokens_and_blocked_accounts_get_401(client, link_user, link_token, bearer):
    url = "/api/v1/persons/P1/"
    assert client.get(url, **bearer(link_token)).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url, **bearer(link_token)).status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(days=1))
    link_user.is_active = False
    link_user.save()
    assert client.get(url, **bearer(link_token)).status_code == 401
    link_user.is_active = True
    link_user.save()
    assert client.get(url, **bearer(link_token)).status_code == 200
    assert revoke_tokens(link_user, actor="test") == 1
    assert client.get(url, **bearer(link_token)).status_code == 401


def test_only_a_hash_of_the_token_is_stored(link_user, link_token):
    stored = ApiToken.objects.get(user=link_user)
    assert stored.key_hash == hashlib.sha256(link_token.encode()).hexdigest()
    assert stored.prefix == link_token[:12] and len(link_token) > 40
    everything_stored = str(list(ApiToken.objects.values())) + str(list(AuditEvent.objects.values()))
    assert link_token not in everything_stored
    issued = AuditEvent.objects.get(action="api_token.issued")
    assert issued.details["token"] == stored.prefix and issued.details["municipality"] == "GM9999"


def test_the_command_prints_a_working_token_once_and_revokes_the_earlier_one(client, experiment, bearer):
    make_link_account()
    first, second, kept = StringIO(), StringIO(), StringIO()
    call_command("issue_api_token", LINK_USERNAME, stdout=first, stderr=StringIO())
    call_command("issue_api_token", LINK_USERNAME, "--days", "30", stdout=second, stderr=StringIO())
    call_command("issue_api_token", LINK_USERNAME, "--keep-others", stdout=kept, stderr=StringIO())
    tokens = [out.getvalue().strip() for out in (first, second, kept)]
    assert all(t.startswith("vtw_") and "\n" not in t for t in tokens) and len(set(tokens)) == 3
    assert [client.get("/api/v1/persons/P1/", **bearer(t)).status_code for t in tokens] == [401, 200, 200]
    out = StringIO()
    call_command("revoke_api_tokens", LINK_USERNAME, stdout=out)
    assert out.getvalue().startswith("2 ")
    assert [client.get("/api/v1/persons/P1/", **bearer(t)).status_code for t in tokens] == [401, 401, 401]


def test_the_command_refuses_accounts_without_the_link_role(users, experiment):
    with pytest.raises(CommandError, match="koppeling"):
        call_command("issue_api_token", "beheerder", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="geen account"):
        call_command("issue_api_token", "niemand", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_requests_are_throttled_per_token(client, link_user, link_token, experiment, bearer, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"api_token": "3/min"}}
    other = issue_token(make_link_account("tweede-koppeling"), municipality=experiment.municipality,
                        actor="test").token
    answers = [client.get("/api/v1/persons/P1/", **bearer(link_token)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = client.get("/api/v1/persons/P1/", **bearer(link_token))
    assert int(throttled["Retry-After"]) > 0 and throttled.json()["detail"]
    assert client.get("/api/v1/persons/P1/", **bearer(other)).status_code == 200  # its own count


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/openapi.json"])
def test_the_openapi_description_is_public_json(client, path):
    response = client.get(path)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.") and "/api/v1/benefit-spells/" in schema["paths"]
    assert schema["components"]["securitySchemes"] == {"apiToken": {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["apiToken"][
            "description"]}}


def test_no_browsable_api_only_json(client, link_token, bearer):
    response = client.get("/api/v1/persons/P1/", HTTP_ACCEPT="text/html", **bearer(link_token))
    assert response.status_code == 406 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nothing/here", "/api/v1/earnings"])
def test_an_unknown_api_address_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["errors"] == []


def test_the_link_account_has_no_pages(login, users):
    client = login(KOPPELING.code)
    assert client.get("/").status_code == 403
    assert client.get("/klantmanager/").status_code == 403


def test_the_demo_gives_no_system_account_the_published_password(db):
    made = {username for username, _, _ in ensure_demo_users()}
    assert KOPPELING.code not in made
    assert not get_user_model().objects.filter(username=KOPPELING.code).exists()


def test_a_bsn_in_the_address_is_refused_and_neither_repeated_nor_logged(in_process_app, link_token, caplog):
    """Sent to the app itself (WSGI), as a client would: the test client's own record of the URL would count as a
    leak (tests/leakcheck.py), while what matters is what the app answers and logs."""
    from dataset_files import BSN_P1
    from werkzeug.test import Client

    response = Client(in_process_app).get(f"/api/v1/persons/{BSN_P1}/",
                                          headers={"Authorization": f"Bearer {link_token}"})
    assert response.status_code == 400
    assert response.get_json() == {"detail": "person_id lijkt een BSN; gebruik een eigen persoonsnummer, nooit het BSN",
                                   "errors": []}
    missing_slash = Client(in_process_app).get(f"/api/v1/persons/{BSN_P1}")
    assert missing_slash.status_code == 404 and BSN_P1 not in missing_slash.get_data(as_text=True)
    assert BSN_P1 not in caplog.text


def test_the_demo_link_account_has_the_role_no_password_and_no_token(experiment):
    from vertrouwen.web.accounts.roles import role_of
    from vertrouwen.web.api.demo import ensure_demo_link_account

    line = ensure_demo_link_account()
    ensure_demo_link_account()  # a second run of the demo leaves it as it is
    account = get_user_model().objects.get(username=KOPPELING.code)
    assert role_of(account) is KOPPELING and not account.has_usable_password() and not account.is_staff
    assert not ApiToken.objects.exists() and "vtw_" not in line


@pytest.mark.parametrize(("error", "status"), [(RuntimeError("geheim detail"), 500), (OperationalError("weg"), 503)])
def test_an_unexpected_error_is_json_without_a_trace_even_with_debug(api, settings, monkeypatch, error, status):
    settings.DEBUG = True

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("vertrouwen.web.api.views.person_deliveries", fail)
    response = api.get("/api/v1/persons/P1/")
    assert response.status_code == status and response["Content-Type"] == "application/json"
    body = response.content.decode()
    assert set(response.json()) == {"detail", "errors"}
    assert "Traceback" not in body and "geheim" not in body and "weg" not in body


def test_the_request_rate_is_counted_in_the_database_shared_by_every_process(client, link_token, bearer, settings):
    # Issue 21: on main each process counted on its own (a cache in its memory), so N workers allowed N times the
    # rate. The count lives in the database's cache table, which every process reads.
    from django.core.cache import caches
    from django.db import connection

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "3/min"}}
    client.get("/api/v1/persons/P1/", **bearer(link_token))

    assert type(caches["default"]).__name__ == "DatabaseCache"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM vertrouwen_cache WHERE cache_key LIKE %s", ["%throttle_api_token%"])
        assert cursor.fetchone()[0] == 1
