"""A small experiment built by hand, with figures that can be counted on one's fingers.

Experiment "Vertrouwen Werkt" in Proefstad, 1 January 2018 to 31 December 2019, count date C = 1 October 2019.
Two groups: A "Zelf in actie" (exempt, guidance on request) and B "Verdienen loont" (experimental disregard).
Seven persons were allocated, P1..P4 to A and P5..P7 to B; two more persons, R1 and R2, form the reference group.

    person  group  rules signed  stopped      benefit spells                          at C
    P1      A      2018-02-01    -            2017-01-01 ..                           Stand
    P2      A      2018-02-01    -            2017-03-01 .. 2019-05-31                Uitstroom
    P3      A      2018-02-01    2019-03-01   2017-01-01 ..                           Gestopt
    P4      A      - (declined)  -            2017-01-01 ..                           not a participant
    P5      B      2018-02-01    -            2016-06-01 .. 2018-12-31, 2019-06-01 .. Stand (re-entry)
    P6      B      2018-02-01    -            2017-01-01 .. 2019-10-01                Stand (ends on C)
    P7      B      2018-02-01    2019-10-15   2017-01-01 .. 2019-09-30                Uitstroom (stops after C)
    R1, R2  reference group                   2017-01-01 ..

Earnings (month, cents): P1 2019-09 50000; P2 2019-09 0; P3 2019-09 20000; P5 2019-09 30000;
P6 2019-10 10000; P7 2019-08 40000.
Contacts: P1 2019-09-10 and 2019-09-20; P2 2019-09-05; P3 2019-09-12; P5 2019-08-15; P6 2019-09-30 and 2019-10-05.
Questionnaire answers: wave 1 from P1 (two items), P2, P4, P5 and R1; wave 2 from P1.
"""

import time
from datetime import date
from html.parser import HTMLParser

import pytest
from crawling import crawl
from dataset_files import BSN_P1, write_folder
from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from werkstad import workspace  # noqa: F401 - a fixture, for the casework and settlement tests

from vertrouwen.web.accounts.roles import BEHEERDER, KLANTMANAGER, ONDERZOEKER, PROJECTLEIDER, ROLES
from vertrouwen.web.accounts.services import create_user
from vertrouwen.web.accounts.sessions import CONFIRMED_AT
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.registry.models import (
    Arm,
    BenefitSpell,
    Contact,
    Enrollment,
    Experiment,
    MonthlyEarnings,
    Municipality,
    Person,
    ReferenceMember,
    SurveyResponse,
)

PASSWORD = "een-lang-testwachtwoord"  # noqa: S105
COUNT_DATE = date(2019, 10, 1)





@pytest.fixture(autouse=True)
def _plain_static_files(settings, tmp_path):
    """Templates use {% static %}; the tests do not run collectstatic, so no manifest is needed."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
    # Background tasks run at once in the test's own process; the end-to-end tests start a real worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def experiment(db):
    municipality = Municipality.objects.create(code="GM9999", name="Proefstad")
    exp = Experiment.objects.create(municipality=municipality, code="vw", name="Vertrouwen Werkt",
                                    period_start=date(2018, 1, 1), period_end=date(2019, 12, 31),
                                    count_date=COUNT_DATE)
    arm_a = Arm.objects.create(experiment=exp, position=1, code="A", name="Zelf in actie",
                               rules_text="Geen verplichtingen; begeleiding op verzoek.",
                               exempt_from_obligations=True, guidance_intensity="op_verzoek")
    arm_b = Arm.objects.create(experiment=exp, position=2, code="B", name="Verdienen loont",
                               rules_text="De helft van de inkomsten houdt u zelf.", disregard_regime="experiment")

    def person(external_id):
        return Person.objects.create(municipality=municipality, external_id=external_id, birth_year=1980,
                                     sex="vrouw", household_type="alleenstaande", limitation="geen",
                                     education="middelbaar")

    p = {key: person(key) for key in ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "R1", "R2")}
    signed, allocated = date(2018, 2, 1), date(2018, 1, 15)
    for key, arm, consented, stopped in [
        ("P1", arm_a, signed, None), ("P2", arm_a, signed, None), ("P3", arm_a, signed, date(2019, 3, 1)),
        ("P4", arm_a, None, None), ("P5", arm_b, signed, None), ("P6", arm_b, signed, None),
        ("P7", arm_b, signed, date(2019, 10, 15)),
    ]:
        Enrollment.objects.create(experiment=exp, person=p[key], arm=arm, allocated_on=allocated,
                                  consented_on=consented, stopped_on=stopped,
                                  stop_reason="persoonlijke_reden" if stopped else "")
    for key in ("R1", "R2"):
        ReferenceMember.objects.create(experiment=exp, person=p[key])

    open_ended = date(2017, 1, 1)
    for key, start, end in [
        ("P1", open_ended, None), ("P2", date(2017, 3, 1), date(2019, 5, 31)), ("P3", open_ended, None),
        ("P4", open_ended, None), ("P5", date(2016, 6, 1), date(2018, 12, 31)), ("P5", date(2019, 6, 1), None),
        ("P6", open_ended, date(2019, 10, 1)), ("P7", open_ended, date(2019, 9, 30)),
        ("R1", open_ended, None), ("R2", open_ended, None),
    ]:
        BenefitSpell.objects.create(person=p[key], spell_start=start, spell_end=end,
                                    end_reason="werk" if end else "")

    for key, month, cents in [("P1", date(2019, 9, 1), 50000), ("P2", date(2019, 9, 1), 0),
                              ("P3", date(2019, 9, 1), 20000), ("P5", date(2019, 9, 1), 30000),
                              ("P6", date(2019, 10, 1), 10000), ("P7", date(2019, 8, 1), 40000)]:
        MonthlyEarnings.objects.create(person=p[key], month=month, earnings_cents=cents)

    for key, day in [("P1", date(2019, 9, 10)), ("P1", date(2019, 9, 20)), ("P2", date(2019, 9, 5)),
                     ("P3", date(2019, 9, 12)), ("P5", date(2019, 8, 15)), ("P6", date(2019, 9, 30)),
                     ("P6", date(2019, 10, 5))]:
        Contact.objects.create(person=p[key], contact_on=day, channel="gesprek", minutes=30,
                               initiated_by="klantmanager")

    for key, wave, item in [("P1", 1, "q1"), ("P1", 1, "q2"), ("P2", 1, "q1"), ("P4", 1, "q1"),
                            ("P5", 1, "q1"), ("R1", 1, "q1"), ("P1", 2, "q1")]:
        SurveyResponse.objects.create(experiment=exp, person=p[key], wave=wave, instrument="vragenlijst",
                                      item=item, value="3", mode="online")
    return exp


@pytest.fixture
def bsn_dataset(db, tmp_path) -> str:
    """Import the hand-made dataset of dataset_files.py, with P1's BSN in it, through the import service; returns
    that BSN. What the import stores in its place (encrypted, and as a keyed pseudonym) may never come back on
    any page or in the audit trail."""
    import_dataset(write_folder(tmp_path / "dataset-with-bsn"), actor="test")
    assert Person.objects.get(external_id="P1").bsn_pseudonym  # the BSN was stored
    return BSN_P1


@pytest.fixture
def users(db):
    """One user per role, username = role code, plus a user without a role."""
    made = {role.code: create_user(username=role.code, password=PASSWORD, role=role, actor="test",
                                   first_name=f"Test {role.code}") for role in ROLES}
    made["zonder_rol"] = get_user_model().objects.create_user(username="zonder_rol", password=PASSWORD)
    return made


@pytest.fixture
def password():
    return PASSWORD


# The authenticator key of every test user's device (RFC 6238's test key "12345678901234567890", in hex).
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def login_user(client):
    """login_user(user) -> the client, logged in as after password and code: a confirmed TOTP device, the session
    marked verified the way django_otp.login marks it, and the login's code as a fresh proof of identity
    (accounts/sessions.py). The password and code pages themselves are tested in tests/web/accounts."""

    def log_in(user):
        device = authenticator_device(user)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[CONFIRMED_AT] = time.time()
        session.save()
        return client

    return log_in


def authenticator_device(user) -> TOTPDevice:
    """The user's confirmed authenticator device, made with TEST_TOTP_KEY when there is none."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", key=TEST_TOTP_KEY, confirmed=True)


def next_code(device: TOTPDevice) -> str:
    """The code the authenticator app would show, computed from the device's key (RFC 6238). django-otp refuses a
    time step it accepted before (last_t), so a second code within the same 30 seconds is the next step's, which
    it still accepts (tolerance)."""
    device.refresh_from_db()
    current = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(current, device.last_t + 1)
    assert step <= current + device.tolerance, "no fresh code in this time step"
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def totp_code():
    """totp_code(user) -> a fresh 6-digit code of the user's device (made with TEST_TOTP_KEY when missing)."""
    return lambda user: next_code(authenticator_device(user))


@pytest.fixture
def login(users, login_user):
    def log_in(username):
        return login_user(get_user_model().objects.get(username=username))

    return log_in


@pytest.fixture
def role_pages():
    return {KLANTMANAGER.code: "/klantmanager/", PROJECTLEIDER.code: "/projectleider/",
            ONDERZOEKER.code: "/onderzoeker/", BEHEERDER.code: "/beheerder/"}


class _FigureParser(HTMLParser):
    """Collects the text of every cell with data-figure, keyed by its row's data-arm/-role/-wave."""

    def __init__(self):
        super().__init__()
        self.row = None
        self.figure = None
        self.text = []
        self.cells: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.row = attrs.get("data-arm") or attrs.get("data-role") or attrs.get("data-wave")
        elif tag == "td" and "data-figure" in attrs:
            self.figure, self.text = attrs["data-figure"], []

    def handle_data(self, data):
        if self.figure is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self.figure is not None:
            self.cells[(self.row, self.figure)] = " ".join("".join(self.text).split())
            self.figure = None


def figures(html: str) -> dict[tuple[str, str], str]:
    parser = _FigureParser()
    parser.feed(html)
    return parser.cells


@pytest.fixture
def page_figures():
    """figures(html) -> {(row, figure): text} for the cells marked with data-figure."""
    return figures


@pytest.fixture
def reachable_pages(login, role_pages):
    """reachable_pages(code) -> {url: html} of every page the role's user reaches from its start page,
    the start URL and /beheer/."""

    def pages_of(code: str) -> dict[str, str]:
        return crawl(login(code), ["/", role_pages[code], "/beheer/"])

    return pages_of
