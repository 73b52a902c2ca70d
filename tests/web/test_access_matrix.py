"""The access matrix (issue 10, point 2): every URL pattern of the app, the admin and the API included, asked by
every role, with the answer the table below expects.

How to read the table. One row per URL pattern (its name, or its route when it has none), with the method and
a concrete address of that pattern, then the expected answer for each role, in the order of ROLES:

    OK      200                      NO          403: logged in, but not this user's page
    FORM    400: the empty form is   GONE        404
            refused, page shown      NOT_POST    405: the pattern answers POST only
    LOGIN   302 to the login page, with ?next= the address asked for
    ADMIN   302 to the admin's login page (which sends a person without a verified login on to LOGIN)
    to(x)   302 to address x         EXPORT      200 with a file to download (the user confirmed who they are)
    UNAUTHENTICATED  401: the API without a token

The roles: the four roles of people and a user without a role, each logged in with password and code (the
`login` fixture); anonymous; and the benefit administration's system account "koppeling" as it really comes:
its API token in every request, no session (it never logs in, so the pages treat it as anonymous).

Rows that POST send an empty form: enough to show who gets in, and nothing is stored by a refused form.
Person-level rows ({person} in the address) are asked about a person on the case manager's own caseload; the
tests below ask them again about a person on someone else's caseload, one on nobody's, and an id that does not
exist: the case manager gets 404 for all three, and every other role the same answer as for the own person
(no existence oracle). Exports answer EXPORT to a user who confirmed who they are (the login fixture counts as
such a confirmation) and otherwise send the allowed user to the confirmation page.

A URL pattern without a row fails test_every_url_pattern_has_a_row: a new endpoint cannot slip through
unchecked. The data: tests/web/werkstad.py (persons K1-K7 on the klantmanager's caseload, O1 on klantmanager2's,
U1 on nobody's), with an action and a story for K1 and O1, the baseline wave with its links, and one draw.

The second half checks that the researcher's screens and exports (onderzoeker pages, monitor, evaluation,
research export, report downloads) never show a BSN, a birth date or, where the data must be pseudonymous, a
person number.
"""

import io
import re
import time
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from leakcheck import bsn_candidates
from vertrouwen.core import privacy
from vertrouwen.web.accounts.sessions import CONFIRMED_AT
from vertrouwen.web.api.tokens import issue_token
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.casework import services as casework
from vertrouwen.web.lottery.selectors import proposed_plan
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery, register_plan
from vertrouwen.web.registry.models import Arm, Experiment, Municipality, Person
from vertrouwen.web.settlement.models import BenefitNorm, DisregardRule, RuleVersion
from vertrouwen.web.surveys import services as surveys
from vertrouwen.web.surveys.models import Invitation, Wave

pytestmark = pytest.mark.django_db

ANONYMOUS = "anoniem"
NO_ROLE = "zonder_rol"
LINK = "koppeling"  # the benefit administration's system account (API); it has no pages
ROLES = ("klantmanager", "projectleider", "onderzoeker", "beheerder", NO_ROLE, ANONYMOUS, LINK)


# --- expected answers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    to: str | None = None  # for a redirect: the path it goes to ("{name}" filled in from the ids)
    login_next: bool = False  # the redirect carries ?next= the address asked for
    download: bool = False

    def problem(self, response, asked: str, ids: dict) -> str | None:
        """None when the response is as expected, else what differs."""
        got = f"{response.status_code}"
        location = response.get("Location", "")
        if location:
            got += f" to {location}"
        if response.status_code != self.status:
            return f"expected {self}, got {got}"
        if self.to is not None:
            where = urlsplit(location)
            if where.path != self.to.format(**ids):
                return f"expected {self}, got {got}"
            if self.login_next and parse_qs(where.query).get("next") != [asked]:
                return f"expected ?next={asked}, got {got}"
        if self.download and "attachment" not in response.get("Content-Disposition", ""):
            return "expected a file to download (Content-Disposition: attachment)"
        return None

    def __str__(self):
        return f"{self.status}" + (f" to {self.to}" if self.to else "") + (" (file)" if self.download else "")


def to(path: str) -> Answer:
    return Answer(302, path)


OK, FORM, UNAUTHENTICATED, NO, GONE, NOT_POST = (Answer(200), Answer(400), Answer(401), Answer(403), Answer(404),
                                               Answer(405))
LOGIN = Answer(302, "/inloggen/", login_next=True)
ADMIN = Answer(302, "/beheer/login/", login_next=True)
EXPORT = Answer(200, download=True)
CODE = to("/inloggen/code/")


# --- the table ----------------------------------------------------------------------------------------------

# Each row: method, address, then the answer for klantmanager, projectleider, onderzoeker, beheerder, zonder_rol,
# anoniem and koppeling (ROLES).
MATRIX: dict[str, tuple] = {
    # Start, login and the start page of each role
    "accounts:start": ("GET", "/", to("/klantmanager/"), to("/projectleider/"), to("/onderzoeker/"),
                       to("/beheerder/"), OK, LOGIN, LOGIN),
    # logged in already: on to the code page, which sends a verified user on to the start page
    "accounts:login": ("GET", "/inloggen/", CODE, CODE, CODE, CODE, CODE, OK, OK),
    "accounts:two_factor_verify": ("GET", "/inloggen/code/", to("/"), to("/"), to("/"), to("/"), to("/"), LOGIN,
                                   LOGIN),
    "accounts:two_factor_setup": ("GET", "/inloggen/app-instellen/", to("/"), to("/"), to("/"), to("/"), to("/"),
                                  LOGIN, LOGIN),
    "accounts:confirm_identity": ("GET", "/bevestigen/", OK, OK, OK, OK, OK, LOGIN, LOGIN),
    "accounts:password_change": ("GET", "/wachtwoord/", OK, OK, OK, OK, OK, LOGIN, LOGIN),
    "accounts:logout": ("GET", "/uitloggen/", NOT_POST, NOT_POST, NOT_POST, NOT_POST, NOT_POST, NOT_POST, NOT_POST),
    "accounts:klantmanager": ("GET", "/klantmanager/", OK, NO, NO, NO, NO, LOGIN, LOGIN),
    "accounts:projectleider": ("GET", "/projectleider/", NO, OK, NO, NO, NO, LOGIN, LOGIN),
    "accounts:onderzoeker": ("GET", "/onderzoeker/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "accounts:beheerder": ("GET", "/beheerder/", NO, NO, NO, OK, NO, LOGIN, LOGIN),
    # The case manager's caseload and participant pages (person level), the project lead's guidance overview
    "casework:caseload": ("GET", "/caseload/", OK, NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:participant": ("GET", "/persoon/{person}/", OK, NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:act": ("POST", "/persoon/{person}/contact/", FORM, NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:action_status": ("POST", "/persoon/{person}/actie/{action}/", to("/persoon/{person}/"), NO, NO, NO,
                               NO, LOGIN, LOGIN),
    "casework:withdraw_consent": ("POST", "/persoon/{person}/verhaal/{story}/intrekken/", to("/persoon/{person}/"),
                                  NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:reveal_bsn": ("POST", "/persoon/{person}/bsn/", FORM, NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:start_questionnaire": ("POST", "/persoon/{person}/vragenlijst/", FORM, NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:questionnaire": ("GET", "/vragenlijst/{paper_invitation}/", OK, NO, NO, NO, NO, LOGIN, LOGIN),
    "casework:participant_calculator": ("GET", "/persoon/{person}/wat-houd-ik-over/", OK, NO, NO, NO, NO, LOGIN,
                                          LOGIN),
    "casework:overview": ("GET", "/begeleiding/", NO, OK, NO, NO, NO, LOGIN, LOGIN),
    "casework:assign": ("POST", "/begeleiding/toewijzen/", NO, FORM, NO, NO, NO, LOGIN, LOGIN),
    "casework:move": ("POST", "/begeleiding/overdragen/", NO, FORM, NO, NO, NO, LOGIN, LOGIN),
    # Questionnaires: the participant's link (no account), the researcher's waves, the case manager's own
    "surveys:answer": ("GET", "/v/{token}/", OK, OK, OK, OK, OK, OK, OK),
    "surveys:index": ("GET", "/vragenlijsten/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "surveys:create_waves": ("POST", "/vragenlijsten/experiment/{experiment}/metingen/", NO, NO,
                             to("/vragenlijsten/"), NO, NO, LOGIN, LOGIN),
    "surveys:wave": ("GET", "/vragenlijsten/meting/{wave}/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "surveys:invite": ("POST", "/vragenlijsten/meting/{wave}/uitnodigen/", NO, NO,
                       to("/vragenlijsten/meting/{wave}/"), NO, NO, LOGIN, LOGIN),
    "surveys:remind": ("POST", "/vragenlijsten/meting/{wave}/herinneren/", NO, NO,
                       to("/vragenlijsten/meting/{wave}/"), NO, NO, LOGIN, LOGIN),
    "surveys:period": ("POST", "/vragenlijsten/meting/{wave}/periode/", NO, NO, FORM, NO, NO, LOGIN, LOGIN),
    "surveys:links": ("GET", "/vragenlijsten/meting/{wave}/links.csv", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "surveys:case_manager": ("GET", "/vragenlijsten/klantmanager/", OK, NO, NO, NO, NO, LOGIN, LOGIN),
    # Experiment set-up, lottery, monitor, evaluation, reports
    "design:index": ("GET", "/opzet/", NO, OK, OK, NO, NO, LOGIN, LOGIN),
    "design:new": ("GET", "/opzet/nieuw/", NO, OK, OK, NO, NO, LOGIN, LOGIN),
    "design:detail": ("GET", "/opzet/{experiment}/", NO, OK, OK, NO, NO, LOGIN, LOGIN),
    "design:edit": ("GET", "/opzet/{experiment}/wijzigen/", NO, OK, OK, NO, NO, LOGIN, LOGIN),
    "design:simulate": ("POST", "/opzet/{experiment}/simulatie/", NO, to("/opzet/{experiment}/"),
                        to("/opzet/{experiment}/"), NO, NO, LOGIN, LOGIN),
    "lottery:index": ("GET", "/loting/", NO, NO, to("/loting/{experiment}/"), NO, NO, LOGIN, LOGIN),
    "lottery:experiment": ("GET", "/loting/{experiment}/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "lottery:plan": ("GET", "/loting/{experiment}/analyseplan/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "lottery:plan_file": ("GET", "/loting/analyseplan/{plan_version}/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "lottery:draw": ("POST", "/loting/{experiment}/loten/", NO, NO, FORM, NO, NO, LOGIN, LOGIN),
    "lottery:invite": ("POST", "/loting/{experiment}/uitnodigen/", NO, NO, FORM, NO, NO, LOGIN, LOGIN),
    "lottery:answer": ("POST", "/loting/{experiment}/antwoord/", NO, NO, FORM, NO, NO, LOGIN, LOGIN),
    "lottery:allocate": ("POST", "/loting/{experiment}/toewijzen/", NO, NO, FORM, NO, NO, LOGIN, LOGIN),
    "lottery:draw_detail": ("GET", "/loting/trekking/{draw}/", NO, NO, OK, NO, NO, LOGIN, LOGIN),
    "monitor:index": ("GET", "/monitor/", NO, to("/monitor/{experiment}/"), to("/monitor/{experiment}/"), NO, NO,
                      LOGIN, LOGIN),
    "monitor:experiment": ("GET", "/monitor/{experiment}/", NO, OK, OK, NO, NO, LOGIN, LOGIN),
    "monitor:research_export": ("POST", "/monitor/{experiment}/onderzoeksexport/", NO, EXPORT, EXPORT, NO, NO,
                                LOGIN, LOGIN),
    "evaluation:index": ("GET", "/evaluatie/", NO, to("/evaluatie/{experiment}/"), to("/evaluatie/{experiment}/"),
                         NO, NO, LOGIN, LOGIN),
    "evaluation:experiment": ("GET", "/evaluatie/{experiment}/", NO, OK, OK, NO, NO, LOGIN, LOGIN),
    "reports:index": ("GET", "/rapportages/", NO, to("/rapportages/{experiment}/"), NO, NO, NO, LOGIN, LOGIN),
    "reports:experiment": ("GET", "/rapportages/{experiment}/", NO, OK, NO, NO, NO, LOGIN, LOGIN),
    "reports:download": ("GET", "/rapportages/{experiment}/progress.html", NO, EXPORT, NO, NO, NO, LOGIN, LOGIN),
    # The calculator (public) and the monthly run
    "settlement:calculator": ("GET", "/wat-houd-ik-over/", OK, OK, OK, OK, OK, OK, OK),
    "settlement:runs": ("GET", "/verrekening/", NO, NO, NO, OK, NO, LOGIN, LOGIN),
    "settlement:start_run": ("POST", "/verrekening/starten/", NO, NO, NO, FORM, NO, LOGIN, LOGIN),
    # The admin's own pages (its models follow in ADMIN_MODELS)
    "admin:index": ("GET", "/beheer/", ADMIN, ADMIN, ADMIN, OK, ADMIN, ADMIN, ADMIN),
    # a person logged in without the admin's rights sees Django's "not authorized, log in as someone else?"
    "admin:login": ("GET", "/beheer/login/", OK, OK, OK, to("/beheer/"), OK, to("/inloggen/"), to("/inloggen/")),
    "admin:logout": ("GET", "/beheer/logout/", to("/beheer/"), to("/beheer/"), to("/beheer/"), NOT_POST,
                     to("/beheer/"), to("/beheer/"), to("/beheer/")),
    "admin:password_change": ("GET", "/beheer/password_change/", ADMIN, ADMIN, ADMIN, to("/wachtwoord/"), ADMIN, ADMIN,
                              ADMIN),
    "admin:password_change_done": ("GET", "/beheer/password_change/done/", ADMIN, ADMIN, ADMIN, OK, ADMIN, ADMIN,
                                   ADMIN),
    "admin:autocomplete": ("GET", "/beheer/autocomplete/", ADMIN, ADMIN, ADMIN, NO, ADMIN, ADMIN, ADMIN),
    "admin:jsi18n": ("GET", "/beheer/jsi18n/", ADMIN, ADMIN, ADMIN, OK, ADMIN, ADMIN, ADMIN),
    "admin:view_on_site": ("GET", "/beheer/r/{experiment_type}/{experiment}/", ADMIN, ADMIN, ADMIN, GONE, ADMIN,
                           ADMIN, ADMIN),
    "admin:app_list": ("GET", "/beheer/registry/", ADMIN, ADMIN, ADMIN, OK, ADMIN, ADMIN, ADMIN),
    "beheer/(?P<url>.*)$": ("GET", "/beheer/bestaat-niet/", ADMIN, ADMIN, ADMIN, GONE, ADMIN, ADMIN, ADMIN),
    # The API, for the benefit administration's token only: a person's session is recognised and refused (403),
    # no credentials at all is 401. Its description is public.
    "api:schema": ("GET", "/api/v1/schema/", OK, OK, OK, OK, OK, OK, OK),
    "api:openapi": ("GET", "/api/v1/openapi.json", OK, OK, OK, OK, OK, OK, OK),
    "api:benefit_spells": ("POST", "/api/v1/benefit-spells/", NO, NO, NO, NO, NO, UNAUTHENTICATED, FORM),
    "api:earnings": ("POST", "/api/v1/earnings/", NO, NO, NO, NO, NO, UNAUTHENTICATED, FORM),
    "api:person": ("GET", "/api/v1/persons/{person_number}/", NO, NO, NO, NO, NO, UNAUTHENTICATED, OK),
    "api/v1/(?P<unknown_path>.*)$": ("GET", "/api/v1/bestaat-niet/", GONE, GONE, GONE, GONE, GONE, GONE, GONE),
}

# Every model in the admin and what the beheerder may do with it (v view, a add, c change, d delete), as
# roles.py declares; nobody else gets past the admin's login. Its six URL patterns each get a row (admin_rows).
ADMIN_MODELS = {
    "auth.user": "vac",  # users are blocked, never deleted: the audit trail refers to them
    "registry.municipality": "vacd",
    "registry.experiment": "vacd",
    "registry.arm": "vacd",
    "audit.auditevent": "v",  # read only
    "settlement.disregardrule": "vac",  # a change is a new version; rule tables are never deleted
    "settlement.benefitnorm": "vac",
    "settlement.ruleversion": "v",
    "django_tasks_database.dbtaskresult": "",  # background tasks: not for the beheerder
    "otp_totp.totpdevice": "",  # people's authenticator apps: not for the beheerder either
    "axes.accessattempt": "",  # the lockout's records
    "axes.accesslog": "",
    "axes.accessfailurelog": "",
}


def admin_rows(model: str, can: str) -> dict[str, tuple]:
    app, name = model.split(".")
    base, one = f"/beheer/{app}/{name}/", f"/beheer/{app}/{name}/{{{name}}}/"

    def beheerder(*needed: str) -> Answer:
        return OK if any(letter in can for letter in needed) else NO

    rows = {
        f"admin:{app}_{name}_changelist": ("GET", base, beheerder("v", "c")),
        f"admin:{app}_{name}_add": ("GET", f"{base}add/", beheerder("a")),
        f"admin:{app}_{name}_history": ("GET", f"{one}history/", beheerder("v", "c")),
        f"admin:{app}_{name}_delete": ("GET", f"{one}delete/", beheerder("d")),
        f"admin:{app}_{name}_change": ("GET", f"{one}change/", beheerder("v", "c")),
        # the old address of an object: the admin sends the beheerder on to its change page
        f"beheer/{app}/{name}/<path:object_id>/": ("GET", one, to(f"{one}change/")),
    }
    if model == "auth.user":
        rows["admin:auth_user_password_change"] = ("GET", f"{one}password/", beheerder("c"))
    if model == "otp_totp.totpdevice":  # the device's secret, as text and as QR code
        rows["admin:otp_totp_totpdevice_config"] = ("GET", f"{one}config/", beheerder("v", "c"))
        rows["admin:otp_totp_totpdevice_qrcode"] = ("GET", f"{one}qrcode/", beheerder("v", "c"))
    # Only the beheerder is staff: every other role, and anonymous, is sent to the admin's login.
    return {key: (method, path, ADMIN, ADMIN, ADMIN, answer, ADMIN, ADMIN, ADMIN)
            for key, (method, path, answer) in rows.items()}


TABLE = {**MATRIX, **{key: row for model, can in ADMIN_MODELS.items() for key, row in admin_rows(model, can).items()}}


@dataclass(frozen=True)
class Row:
    key: str
    method: str
    path: str
    expected: dict[str, Answer]

    @property
    def person_level(self) -> bool:
        return "{person}" in self.path


def rows() -> list[Row]:
    return [Row(key, method, path, dict(zip(ROLES, answers, strict=True)))
            for key, (method, path, *answers) in TABLE.items()]


# --- every URL pattern ------------------------------------------------------------------------------------


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(key, route) of every URL pattern, recursively: the key is "namespace:name", or the full route when the
    pattern has no name (without the regular expressions' "^", as Django's ResolverMatch.route gives it)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern).replace("^", "")
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else route, route


def pattern_key(path: str) -> str:
    """The key of the pattern that answers `path`, as url_patterns names it."""
    match = resolve(urlsplit(path).path)
    if match.url_name:
        return match.view_name
    return match.route


def test_every_url_pattern_has_a_row():
    keys = [key for key, _route in url_patterns()]
    assert len(keys) == len(set(keys)), "two URL patterns have the same name; give them a row each"
    missing = sorted(set(keys) - set(TABLE))
    assert not missing, f"URL patterns without a row in the access matrix: {missing}"
    stale = sorted(set(TABLE) - set(keys))
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


def test_each_row_asks_its_own_pattern(ids):
    wrong = {row.key: pattern_key(row.path.format(**ids)) for row in rows()
             if pattern_key(row.path.format(**ids)) != row.key}
    assert not wrong, f"these rows' addresses answer to another pattern: {wrong}"


# --- the data and the clients --------------------------------------------------------------------------------


@pytest.fixture
def ids(workspace) -> dict:
    """The ids the table's addresses need: the experiment, person K1 with an action and a story, the baseline
    wave with its links, an analysis plan, a draw, and an object of every model in the admin."""
    today, manager = workspace.today, workspace.manager
    for number, actor in (("K1", manager), ("O1", workspace.other_manager)):
        casework.add_action(workspace.pk(number), description="Cv opsturen", owner="deelnemer",
                            due_on=today + timedelta(days=14), goal="", today=today, actor=actor)
        casework.record_story(workspace.pk(number), told_on=today, text="Het gaat goed.", consent=True, today=today,
                              actor=actor)
    surveys.create_waves(workspace.experiment.pk, actor="test")
    wave = Wave.objects.get(experiment=workspace.experiment, number=0)
    surveys.set_period(wave.pk, opens_on=today - timedelta(days=7), closes_on=today + timedelta(days=30),
                       actor="test")
    surveys.invite_participants(wave.pk, on=today, actor="test")
    invitation = Invitation.objects.get(wave=wave, person=workspace.persons["K1"])
    paper = surveys.staff_invitation(wave.pk, "K2", mode="papier", today=today, actor="test")
    plan = register_plan(workspace.experiment.pk, proposed_plan(workspace.experiment), on=today, actor="test")
    # U1 drawn with a fixed seed, into DISREG: the same data every run.
    draw = draw_lottery(workspace.experiment.pk, DrawRequest(drawn_on=today, method="complete",
                                                             person_numbers=("U1",), seed=1), actor="test")
    experiment = workspace.experiment
    k1 = workspace.persons["K1"]
    return {
        "experiment": experiment.pk, "person": k1.pk, "person_number": k1.external_id, "action": k1.actions.get().pk,
        "story": k1.stories.get().pk, "wave": wave.pk, "invitation": invitation.pk, "token": invitation.token,
        "paper_invitation": paper.pk,
        "draw": draw.pk, "plan_version": plan.pk, "experiment_type": ContentType.objects.get_for_model(Experiment).pk,
        # the admin's objects
        "user": workspace.manager.pk, "municipality": Municipality.objects.get(code="GM8888").pk,
        "arm": Arm.objects.filter(experiment=experiment).first().pk,
        "auditevent": AuditEvent.objects.order_by("id").first().pk,
        "disregardrule": DisregardRule.objects.order_by("id").first().pk,
        "benefitnorm": BenefitNorm.objects.order_by("id").first().pk,
        "ruleversion": RuleVersion.objects.order_by("id").first().pk,
        **records_outside_the_beheerder_s_reach(workspace.other_manager),
    }


def records_outside_the_beheerder_s_reach(user) -> dict:
    """One row of each admin model the beheerder may not open (a real one: for an object that does not exist the
    admin's history page answers with a redirect before it checks permissions)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "username": user.username, "http_accept": "*/*",
            "path_info": "/inloggen/"}
    return {
        "dbtaskresult": DBTaskResult.objects.create(args_kwargs={}, task_path="test", backend_name="default",
                                                    run_after=timezone.now()).pk,
        "totpdevice": TOTPDevice.objects.create(user=user, name="test", confirmed=True).pk,
        "accessattempt": AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1).pk,
        "accesslog": AccessLog.objects.create(**seen).pk,
        "accessfailurelog": AccessFailureLog.objects.create(**seen).pk,
    }


@pytest.fixture
def link_token(users, workspace) -> str:
    """An API token of the benefit administration's system account, for Werkstad."""
    municipality = workspace.experiment.municipality
    return issue_token(users[LINK], municipality=municipality, actor="test").token


@pytest.fixture
def as_role(client, login, link_token):
    """as_role(role) -> the test client as that role: a person's role logged in (password and code, the login
    fixture); ANONYMOUS logged out; the system account LINK as it really comes, with its API token in every
    request and no session (it has no pages, so it never logs in)."""

    def client_of(role: str):
        client.defaults.pop("HTTP_AUTHORIZATION", None)
        if role in (ANONYMOUS, LINK):
            client.logout()
            if role == LINK:
                client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {link_token}"
            return client
        return login(role)

    return client_of


def ask(client, method: str, path: str):
    """GET, or POST an empty form (for the API: an empty JSON list, the smallest delivery it can refuse)."""
    if method == "GET":
        return client.get(path)
    if path.startswith("/api/"):
        return client.post(path, "[]", content_type="application/json")
    return client.post(path)


# --- the matrix ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_table_says(role, ids, as_role):
    client = as_role(role)
    problems = []
    for row in rows():
        path = row.path.format(**ids)
        problem = row.expected[role].problem(ask(client, row.method, path), path, ids)
        if problem:
            problems.append(f"{row.method} {path} ({row.key}): {problem}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_a_post_only_pattern_answers_get_with_405(role, ids, as_role):
    """A page's POST-only view refuses GET before anything else. The API checks who asks first: a role it
    refuses gets the same refusal for GET as for POST."""
    client = as_role(role)
    wrong = {}
    for row in (r for r in rows() if r.method == "POST"):
        refused = row.path.startswith("/api/") and row.expected[role] in (NO, UNAUTHENTICATED)
        expected = row.expected[role] if refused else NOT_POST
        answer = client.get(row.path.format(**ids)).status_code
        if answer != expected.status:
            wrong[row.key] = f"expected {expected}, got {answer}"
    assert not wrong, wrong


def test_the_system_account_with_a_session_still_has_no_pages(ids, login):
    """Should the system account ever get a session (it has no password to log in with in practice), it reaches
    nothing a user without a role cannot, and not even the start page a user without a role sees."""
    client = login(LINK)
    problems = []
    for row in rows():
        expected = NO if row.key == "accounts:start" else row.expected[NO_ROLE]
        path = row.path.format(**ids)
        problem = expected.problem(ask(client, row.method, path), path, ids)
        if problem:
            problems.append(f"{row.method} {path} ({row.key}): {problem}")
    assert not problems, "\n".join(problems)


def outside_persons(workspace) -> dict[str, dict]:
    """For each way of guessing: the ids that replace K1's. O1 is on klantmanager2's caseload (its own action
    and story), U1 on nobody's (with K1's action and story ids), and an id no person has."""
    o1 = workspace.persons["O1"]
    nobody = Person.objects.order_by("-pk").first().pk + 1000
    return {
        "someone else's caseload": {"person": o1.pk, "action": o1.actions.get().pk, "story": o1.stories.get().pk},
        "nobody's caseload": {"person": workspace.pk("U1")},
        "no such person": {"person": nobody},
    }


@pytest.mark.parametrize("role", ROLES)
def test_guessing_a_person_outside_the_caseload_tells_nothing(role, ids, workspace, as_role):
    """The case manager gets 404 for anyone not on their caseload, existing or not; every other role gets the
    same answer as for a person on the caseload. So no answer tells whether a person exists."""
    client = as_role(role)
    problems = []
    for row in (r for r in rows() if r.person_level):
        for way, replaced in outside_persons(workspace).items():
            guessed = {**ids, **replaced}
            path = row.path.format(**guessed)
            expected = GONE if role == "klantmanager" else row.expected[role]
            problem = expected.problem(ask(client, row.method, path), path, guessed)
            if problem:
                problems.append(f"{row.method} {path} ({row.key}, {way}): {problem}")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def test_the_api_tells_nothing_about_persons_of_another_municipality(ids, bsn_dataset, as_role):
    """The token is Werkstad's: a person number of the other municipality (P1, imported with a BSN) answers as
    a number nobody has."""
    client = as_role(LINK)
    assert client.get("/api/v1/persons/K1/").status_code == 200
    other, nobody = client.get("/api/v1/persons/P1/"), client.get("/api/v1/persons/X999/")
    assert other.status_code == nobody.status_code == 404
    assert other.json().keys() == nobody.json().keys()


def test_person_level_rows_cover_every_pattern_with_a_person_in_its_address():
    person_routes = {key for key, route in url_patterns() if route.startswith("persoon/<int:pk>")}
    assert person_routes == {row.key for row in rows() if row.person_level}


EXPORTS = [row for row in rows() if EXPORT in row.expected.values()]


@pytest.mark.parametrize("row", EXPORTS, ids=[row.key for row in EXPORTS])
def test_an_export_first_asks_who_you_are_when_that_was_not_confirmed_lately(row, ids, as_role):
    path = row.path.format(**ids)
    for role in ROLES:
        client = as_role(role)
        if role != ANONYMOUS:
            session = client.session
            session[CONFIRMED_AT] = time.time() - settings.REAUTHENTICATION_VALID_FOR.total_seconds() - 1
            session.save()
        response = ask(client, row.method, path)
        if row.expected[role] == EXPORT:
            assert response.status_code == 302, (role, response.status_code)
            assert urlsplit(response["Location"]).path == reverse("accounts:confirm_identity"), role
        else:  # the others are refused as before, never sent to confirm
            assert row.expected[role].problem(response, path, ids) is None, role


# --- no BSN, birth date or person number on the researcher's screens and in exports -------------------------

BSNS = {"K1": "999990019", "K3": "111222333", "O1": "999990032"}  # each passes the 11-proef (asserted below)
BIRTH_DATES = {"K1": date(1985, 3, 4), "K3": date(1985, 11, 23), "O1": date(1985, 5, 17)}
DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                "november", "december")


def written_forms(day: date) -> list[str]:
    """Every way the app might print a date: 04-03-1985, 4-3-1985, 04/03/1985, 1985-03-04, 4 maart 1985."""
    return [day.strftime("%d-%m-%Y"), f"{day.day}-{day.month}-{day.year}", day.strftime("%d/%m/%Y"),
            day.isoformat(), f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"]


def bsn_pattern(bsn: str) -> re.Pattern:
    """The BSN's digits in order, also split by a space, dot or dash (111 222 333, 1112.22.333); not inside a
    longer number or after a decimal point (a chart's coordinate 0.111222333 is no BSN)."""
    return re.compile(r"(?<![0-9])(?<![0-9][.,])" + r"[\s.-]?".join(bsn) + r"(?![0-9])")


@pytest.fixture
def sensitive(workspace, bsn_dataset) -> dict:
    """Workspace persons with a BSN (encrypted and as pseudonym, as the import stores it) and a birth date, and
    the hand-made dataset imported beside them (P1 with a BSN and a birth date, P3 with a birth date)."""
    for number, bsn in BSNS.items():
        assert privacy.is_valid_bsn(bsn), number
        Person.objects.filter(pk=workspace.pk(number)).update(
            bsn_encrypted=privacy.encrypt(bsn, settings.BSN_ENCRYPTION_KEY),
            bsn_pseudonym=privacy.pseudonym(bsn, settings.PSEUDONYM_KEY), birth_date=BIRTH_DATES[number])
    stored = list(Person.objects.exclude(bsn_encrypted="").values_list("bsn_encrypted", "bsn_pseudonym"))
    dated = list(Person.objects.exclude(birth_date=None).values_list("birth_date", flat=True))
    return {"bsns": {*BSNS.values(), bsn_dataset}, "stored": [s for pair in stored for s in pair],
            "birth_dates": dated, "person_numbers": set(Person.objects.values_list("external_id", flat=True))}


def leaks(text: str, sensitive: dict, *, pseudonymous: bool) -> list[str]:
    """What of a person's identity `text` shows: a BSN (the known ones in any grouping, or any number passing
    the 11-proef), what is stored in a BSN's place, a birth date, and, where the data must be pseudonymous, a
    person number (as a word: a CSRF token or a hash may hold the same letters and digits)."""
    found = [f"BSN {b}" for b in sensitive["bsns"] if bsn_pattern(b).search(text)]
    found += [f"11-proef number {m.group(1)}" for m in bsn_candidates(text)]
    found += [f"stored BSN {s[:12]}..." for s in sensitive["stored"] if s in text]
    found += [f"birth date {form}" for day in sensitive["birth_dates"] for form in written_forms(day)
              if re.search(rf"(?<![\d]){re.escape(form)}(?![\d])", text)]
    if pseudonymous:
        found += [f"person number {n}" for n in sensitive["person_numbers"] if re.search(rf"\b{re.escape(n)}\b", text)]
    return found


def test_the_leak_finder_finds_each_form_it_looks_for():
    known = {"bsns": {"111222333"}, "stored": ["gAAAAABencrypted"], "birth_dates": [date(1985, 3, 4)],
             "person_numbers": {"K1"}}
    for text in ("111 222 333", "1112.22.333", "999990019", "gAAAAABencrypted", "04-03-1985", "4-3-1985",
                 "04/03/1985", "1985-03-04", "4 maart 1985"):
        assert leaks(f"<td>{text}</td>", known, pseudonymous=False), text
    assert leaks("<td>K1</td>", known, pseudonymous=True) and not leaks("<td>K1</td>", known, pseudonymous=False)
    assert not leaks("<td>1985</td> <td>K12</td> csrf=aK1b 0.111222333 14-03-1985", known, pseudonymous=True)


def files_in(response) -> dict[str, str]:
    """The text of a response, or of every file in the zip file it sends."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}
    return {"": body.decode("utf-8", "replace")}


# The researcher's screens: every GET row the onderzoeker may open. Lottery and questionnaire pages are the
# research team's working pages: they name persons by person number (to invite, allocate, remind), never by BSN
# or birth date. The monitor, the evaluation and the onderzoeker's start page are pseudonymous.
PSEUDONYMOUS = ("accounts:onderzoeker", "monitor:", "evaluation:", "design:")


def researcher_pages() -> list[Row]:
    return [row for row in rows() if row.method == "GET" and row.expected["onderzoeker"] == OK
            and not row.key.startswith(("surveys:answer", "settlement:calculator"))]


def test_the_researcher_s_screens_show_no_bsn_birth_date_or_person_number(sensitive, ids, as_role, bsn_dataset):
    client = as_role("onderzoeker")
    vw = Experiment.objects.get(code="vw").pk  # the imported dataset's experiment, with P1's BSN
    problems = []
    for experiment in (ids["experiment"], vw):
        for row in researcher_pages():
            path = row.path.format(**{**ids, "experiment": experiment})
            response = client.get(path, follow=True)
            assert response.status_code == 200, path
            for name, text in files_in(response).items():
                for leak in leaks(text, sensitive, pseudonymous=row.key.startswith(PSEUDONYMOUS)):
                    problems.append(f"{path}{name}: {leak}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["onderzoeker", "projectleider"])
def test_the_research_export_and_the_reports_show_no_bsn_birth_date_or_person_number(role, sensitive, ids, as_role):
    client = as_role(role)
    problems = []
    downloads = [row for row in EXPORTS if row.expected[role] == EXPORT]
    assert downloads
    for experiment in (ids["experiment"], Experiment.objects.get(code="vw").pk):
        for row in downloads:
            path = row.path.format(**{**ids, "experiment": experiment})
            response = ask(client, row.method, path)
            assert EXPORT.problem(response, path, ids) is None, path
            files = files_in(response)
            if row.key == "monitor:research_export":
                persons = next(text for name, text in files.items() if name.endswith("/persons.csv"))
                assert "1985" in persons or "1980" in persons, "the birth years are there, the birth dates not"
            for name, text in files.items():
                problems += [f"{path} {name}: {leak}" for leak in leaks(text, sensitive, pseudonymous=True)]
    assert not problems, "\n".join(problems)
