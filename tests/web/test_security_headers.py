"""Security headers on every answer of the application, for every role, the anonymous pages and the admin.

Each answer carries a Content-Security-Policy with a fresh nonce (settings.CONTENT_SECURITY_POLICY), nosniff, a
same-origin Referrer-Policy and Cache-Control: no-store (vertrouwen.web.security); every inline <script> and
<style> on a page carries that page's nonce, and no page has a style="" or on…="" attribute, which the policy
would block. Static files keep their long caching. Fixture: werkstad.py (a running experiment with a caseload),
with a questionnaire wave whose personal links are out.
"""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from crawling import is_page, walk
from django.contrib import admin

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.surveys import services as surveys
from vertrouwen.web.surveys.models import Invitation, Wave

pytestmark = pytest.mark.django_db

ROLE_CODES = ("klantmanager", "projectleider", "onderzoeker", "beheerder")
# The policy of the brief (issue 10, point 4); the nonce is checked apart, as it differs per response.
REQUIRED_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "NONCE"],
    "style-src": ["'self'", "NONCE"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
NONCE_SOURCE = re.compile(r"^'nonce-([A-Za-z0-9+/]{22}==)'$")  # 16 random bytes, base64


# --- reading the answers -----------------------------------------------------------------------------------


def policy_of(response) -> tuple[dict[str, list[str]], str]:
    """The directives of the Content-Security-Policy header, with the nonce source replaced by NONCE, and the
    nonce. Fails when the nonce is not the same in script-src and style-src."""
    directives, nonces = {}, set()
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        for i, source in enumerate(sources):
            if match := NONCE_SOURCE.match(source):
                nonces.add(match.group(1))
                sources[i] = "NONCE"
        directives[name] = sources
    assert len(nonces) == 1, response["Content-Security-Policy"]
    return directives, nonces.pop()



def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class _InlineCode(HTMLParser):
    """Inline code the policy governs: <script> without src, <style>, and style="" / on…="" attributes."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.attributes: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "script" and "src" not in attrs) or tag == "style":
            self.elements.append((tag, attrs))
        self.attributes += [f"<{tag} {name}=…>" for name in attrs if name == "style" or name.startswith("on")]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    handle_startendtag = handle_starttag


def inline_code(html: str) -> _InlineCode:
    parser = _InlineCode()
    parser.feed(html)
    return parser


def assert_headers(url: str, response) -> str:
    """The headers every answer of the application carries; returns the response's nonce."""
    directives, nonce = policy_of(response)
    for name, sources in REQUIRED_DIRECTIVES.items():
        assert directives.get(name) == sources, f"{url}: {name} is {directives.get(name)}"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Cache-Control"] == "no-store", url
    assert response["Pragma"] == "no-cache", url
    return nonce


def assert_inline_code_has_the_nonce(url: str, html: str, nonce: str) -> int:
    """Every inline <script> and <style> carries the page's nonce; no inline attribute the policy blocks.
    Returns how many inline elements there were."""
    found = inline_code(html)
    for tag, attrs in found.elements:
        assert attrs.get("nonce") == nonce, f"{url}: <{tag}> without the page's nonce"
        # A <script type="application/json"> holds data and never runs; any other type must carry the nonce too.
    assert not found.attributes, f"{url}: {found.attributes}"
    assert "javascript:" not in html, url
    return len(found.elements)



# --- fixtures ----------------------------------------------------------------------------------------------


@pytest.fixture
def wave(workspace):
    """The baseline of the Werkstad experiment, open now, with a personal link for every participant."""
    surveys.create_waves(workspace.experiment.pk, actor="test", instruments=("levenstevredenheid", "participatie"))
    baseline = Wave.objects.get(experiment=workspace.experiment, number=0)
    surveys.set_period(baseline.pk, opens_on=workspace.today - timedelta(days=7),
                       closes_on=workspace.today + timedelta(days=30), actor="test")
    surveys.invite_participants(baseline.pk, on=workspace.today, actor="test")
    return Wave.objects.get(pk=baseline.pk)


@pytest.fixture
def respondent_link(workspace, wave) -> str:
    return f"/v/{Invitation.objects.get(wave=wave, person=workspace.persons['K1']).token}/"


# --- every page of every role --------------------------------------------------------------------------------


# Pages each role must at least reach in the walk, so that a broken crawl cannot pass by visiting little:
# the start page, and the pages with inline code or charts (the participant's line of time, the monitor).
MUST_REACH = {
    "klantmanager": ["/klantmanager/", "/caseload/", r"/persoon/\d+/", r"/persoon/\d+/wat-houd-ik-over/"],
    "projectleider": ["/projectleider/", r"/monitor/\d+/", r"/rapportages/\d+/", r"/evaluatie/\d+/", r"/opzet/\d+/"],
    "onderzoeker": ["/onderzoeker/", r"/monitor/\d+/", r"/evaluatie/\d+/", r"/vragenlijsten/meting/\d+/"],
    "beheerder": ["/beheerder/", "/beheer/", "/beheer/auth/user/", "/beheer/registry/experiment/",
                  "/beheer/audit/auditevent/"],
}


@pytest.mark.parametrize("code", ROLE_CODES)
def test_every_answer_a_role_reaches_carries_the_headers(login, role_pages, workspace, wave, code):
    responses = walk(login(code), ["/", role_pages[code], "/beheer/"])
    pages = {url: r for url, r in responses.items() if r.status_code == 200 and is_page(r)}
    for pattern in MUST_REACH[code]:
        assert any(re.fullmatch(pattern, url) for url in pages), f"{code} did not reach {pattern}: {sorted(pages)}"
    nonces = [assert_headers(url, response) for url, response in responses.items()]
    assert len(set(nonces)) == len(nonces), "a nonce came back twice"
    for url, response in pages.items():
        assert_inline_code_has_the_nonce(url, response.content.decode(), policy_of(response)[1])


def test_the_participant_page_places_its_line_of_time_with_a_nonced_style(login, workspace):
    # K7's benefit ended 10 days ago (werkstad.py): one spell on the line, drawn by a <style> with the nonce.
    response = login("klantmanager").get(f"/persoon/{workspace.persons['K7'].pk}/")
    html = response.content.decode()
    nonce = assert_headers("participant", response)
    assert assert_inline_code_has_the_nonce("participant", html, nonce) == 1
    assert f'<style nonce="{nonce}">' in html and "#vt-spell-1 { inset-inline-start: " in html
    assert 'id="vt-spell-1"' in html


def test_downloads_with_personal_data_are_not_stored(login, workspace):
    experiment = workspace.experiment.pk
    report = login("projectleider").get(f"/rapportages/{experiment}/progress.html")
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    export = login("onderzoeker").post(f"/monitor/{experiment}/onderzoeksexport/")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    assert AuditEvent.objects.filter(action="dataset.research_exported").exists()  # the real export ran
    for name, response in (("report", report), ("research export", export)):
        assert_headers(name, response)


def test_the_nonce_differs_between_two_requests(login, workspace):
    client = login("klantmanager")
    first, second = (policy_of(client.get("/caseload/"))[1] for _ in range(2))
    assert first != second


# --- anonymous answers -------------------------------------------------------------------------------------


def test_the_anonymous_pages_carry_the_headers(client, workspace, respondent_link):
    answers = {
        "login": client.get("/inloggen/"),
        "admin login": client.get("/beheer/login/"),
        "questionnaire": client.get(respondent_link),
        "unknown questionnaire link": client.get("/v/" + "x" * 43 + "/"),
        "not found": client.get("/bestaat-niet/"),
        "redirect to the login": client.get("/klantmanager/"),
    }
    assert answers["questionnaire"].status_code == 200 and "Deel 1 van 2" in answers["questionnaire"].content.decode()
    assert answers["not found"].status_code == 404 and answers["redirect to the login"].status_code == 302
    for name, response in answers.items():
        nonce = assert_headers(name, response)
        if is_page(response):
            assert_inline_code_has_the_nonce(name, response.content.decode(), nonce)
    # Answering a page of the questionnaire: the redirect after the POST is not stored either.
    answered = client.post(respondent_link, {"pagina": "0", "leven": "7"})
    assert answered.status_code == 302
    assert_headers("questionnaire answer", answered)


def test_the_server_error_page_has_no_inline_style(client, db, settings):
    # Django draws it without the request (so without a nonce): its style comes from a static file.
    settings.DEBUG = False
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert not inline_code(html).elements and "vertrouwen/error.css" in html


# --- the admin ---------------------------------------------------------------------------------------------


def test_the_admin_list_without_actions_gives_its_inline_style_the_nonce(login, workspace, monkeypatch):
    # Django's change list adds an inline <style> when a list has no action bar; our override
    # (templates/admin/change_list.html) gives it the nonce.
    experiment_admin = next(a for m, a in admin.site._registry.items() if m._meta.model_name == "experiment")
    monkeypatch.setattr(experiment_admin, "actions_on_top", False)
    monkeypatch.setattr(experiment_admin, "actions_on_bottom", False)
    response = login("beheerder").get("/beheer/registry/experiment/")
    assert response.status_code == 200
    html = response.content.decode()
    nonce = assert_headers("change list", response)
    assert assert_inline_code_has_the_nonce("change list", html, nonce) == 1
    assert "#changelist table thead th:first-child" in html


# --- static files ------------------------------------------------------------------------------------------


def test_static_files_keep_their_long_caching(client, db, settings):
    # WhiteNoise answers them before the application's middleware; in these tests STATIC_ROOT is a fresh folder
    # (conftest.py) without a manifest, so WhiteNoise gives its default max-age of 60 s instead of a year.
    (settings.STATIC_ROOT / "probe.css").write_text("body { color: black; }")
    response = client.get("/static/probe.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert "Pragma" not in response


# --- served over https ---------------------------------------------------------------------------------------

# The production settings read from the environment in a fresh process, as test_deploy_settings.py does, so the
# one switch SESSION_COOKIE_SECURE really turns HSTS on; the page is fetched with Django's test client there.
_FETCH_OVER_HTTPS = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
call_command("migrate", verbosity=0)  # the login page reads the municipality and the lockout tables
from django.test.utils import setup_test_environment
setup_test_environment()
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # no collectstatic in a test
with override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                                 "staticfiles": plain}):
    client = Client()
    responses = [client.get("/inloggen/", secure=True) for _ in range(2)]
print(json.dumps([[r.status_code, dict(r.headers)] for r in responses]))
"""


class _Answer:
    """Enough of a response for assert_headers, from the headers printed by the subprocess."""

    def __init__(self, status_code: int, headers: dict):
        self.status_code, self.headers = status_code, headers

    def __getitem__(self, name):
        return self.headers[name]

    def __contains__(self, name):
        return name in self.headers


def test_over_https_every_answer_also_carries_hsts(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vertrouwen.web.settings", "VERTROUWEN_HOME": str(tmp_path),
           "DEBUG": "false", "SESSION_COOKIE_SECURE": "true", "ALLOWED_HOSTS": "testserver",
           "SECRET_KEY": "x" * 50, "VERTROUWEN_PSEUDONYM_KEY": "y" * 40,
           "VERTROUWEN_BSN_KEY": "ZGV2ZWxvcG1lbnQtb25seS1ic24ta2V5LTAxMjM0NTY=",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", _FETCH_OVER_HTTPS], env=env, cwd=tmp_path,  # noqa: S603
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    answers = [_Answer(status, headers) for status, headers in json.loads(result.stdout.strip().splitlines()[-1])]
    nonces = set()
    for answer in answers:
        assert answer.status_code == 200
        assert answer["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        nonces.add(assert_headers("login over https", answer))
    assert len(nonces) == 2
