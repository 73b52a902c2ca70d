"""Login, logout, the start URL and each role's start page, with the figures of conftest.py's experiment."""

import json
import re
from datetime import date

import pytest
from django.utils import translation

from vertrouwen.web.accounts import views
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry import selectors
from vertrouwen.web.registry.models import Person
from vertrouwen.web.templatetags.money import euros

pytestmark = pytest.mark.django_db

ROLE_CODES = ("klantmanager", "projectleider", "onderzoeker", "beheerder")


def html_of(response) -> str:
    return response.content.decode()


# --- logging in and out -----------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, role_pages):
    for url in ["/", *role_pages.values()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/inloggen/?next=")


def test_logging_in_lands_on_the_start_page_of_the_role(client, users, password, totp_code):
    code = totp_code(users["projectleider"])
    response = client.post("/inloggen/", {"username": "projectleider", "password": password})
    assert response.status_code == 302 and response.url == "/inloggen/code/?next=%2F"  # then the app's code
    response = client.post(response.url, {"otp_token": code, "next": "/"}, follow=True)
    assert response.redirect_chain == [("/", 302), ("/projectleider/", 302)]
    assert "Ontwikkeling deelnemers</h1>" in html_of(response)


def test_a_wrong_password_gives_a_clear_dutch_error(client, users):
    response = client.post("/inloggen/", {"username": "klantmanager", "password": "niet-het-goede"})
    assert response.status_code == 200
    html = html_of(response)
    assert 'role="alert"' in html
    assert "De gebruikersnaam of het wachtwoord klopt niet." in html
    assert not response.wsgi_request.user.is_authenticated


def test_empty_fields_are_marked_for_screen_readers(client, db):
    html = html_of(client.post("/inloggen/", {"username": "", "password": ""}))
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username-error"' in html and 'id="id_username-error"' in html


def test_logging_out_is_a_post_and_says_so(login):
    client = login("klantmanager")
    assert client.get("/uitloggen/").status_code == 405
    response = client.post("/uitloggen/", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/"
    assert "U bent uitgelogd." in html_of(response)
    assert client.get("/klantmanager/").status_code == 302


@pytest.mark.parametrize("code", ROLE_CODES)
def test_the_start_url_sends_each_role_to_its_own_page(login, role_pages, code):
    response = login(code).get("/")
    assert response.status_code == 302 and response.url == role_pages[code]


@pytest.mark.parametrize("code", ROLE_CODES)
def test_each_start_page_is_only_for_its_own_role(login, role_pages, experiment, code):
    client = login(code)
    for owner, url in role_pages.items():
        response = client.get(url)
        if owner == code:
            assert response.status_code == 200
        else:
            assert response.status_code == 403, f"{code} may not open {url}"
            assert "U hebt geen toegang tot deze pagina" in html_of(response)


def test_a_user_without_a_role_is_told_so(login, role_pages):
    client = login("zonder_rol")
    response = client.get("/")
    assert response.status_code == 200
    html = html_of(response)
    assert "U hebt nog geen rol" in html and "zonder_rol" in html
    for url in role_pages.values():
        assert client.get(url).status_code == 403


# --- the layout ------------------------------------------------------------------------------------------


def test_the_layout(login, experiment):
    html = html_of(login("klantmanager").get("/klantmanager/"))
    assert '<html lang="nl" class="utrecht-theme' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "nlds/tokens/index.css" in html and "nlds/components/index.css" in html
    assert '<span class="vt-brand__municipality">Proefstad</span>' in html
    assert '<span class="vt-brand__app">Vertrouwen</span>' in html
    assert 'aria-current="page"' in html and "Startpagina" in html
    assert '<footer class="utrecht-page-footer' in html
    assert html.count("<h1") == 1
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html


def test_only_the_beheerder_gets_a_link_to_the_configuration(login, experiment):
    assert 'href="/beheer/"' in html_of(login("beheerder").get("/beheerder/"))
    assert 'href="/beheer/"' not in html_of(login("onderzoeker").get("/onderzoeker/"))


@pytest.mark.parametrize("code", ROLE_CODES)
def test_a_friendly_empty_state_before_there_is_an_experiment(login, role_pages, code):
    response = login(code).get(role_pages[code])
    assert response.status_code == 200
    html = html_of(response)
    assert "Er is nog geen experiment." in html
    # Only the beheerder can set it up (in the configuration); the others are told who will.
    if code == "beheerder":
        assert 'via de <a href="/beheer/">Beheeromgeving</a>' in html and "<code>vertrouwen import</code>" in html
        assert "Zodra de beheerder" not in html
    else:
        assert "Zodra de beheerder het experiment heeft ingericht" in html
        assert "/beheer/" not in html
    assert "projectleider het experiment" not in html


# --- the figures on each page -----------------------------------------------------------------------------


def test_klantmanager_page(login, experiment, page_figures):
    # The experiment ended on 31 December 2019, so the page counts at the count date, 1 October 2019
    # (see test_selectors.test_caseload_after_the_end_uses_the_count_date for the derivation).
    response = login("klantmanager").get("/klantmanager/")
    html = html_of(response)
    assert "Deelnemers per groep</h1>" in html
    assert "Cijfers op <strong>1 oktober 2019</strong>: de teldatum, want het experiment is afgelopen." in html
    assert "Met verrekende inkomsten in september 2019" in html and "Contacten in september 2019" in html
    cells = page_figures(html)
    assert [cells[("A", f)] for f in ("participants", "on_benefit", "with_offset_earnings", "contacts")] \
        == ["2", "1", "1", "3"]
    assert [cells[("B", f)] for f in ("participants", "on_benefit", "with_offset_earnings", "contacts")] \
        == ["3", "2", "1", "1"]
    assert [cells[("total", f)] for f in ("participants", "on_benefit", "with_offset_earnings", "contacts")] \
        == ["5", "3", "2", "4"]
    # Each group with a short summary of its rules.
    assert "Vrijgesteld van verplichtingen" in html and "Begeleiding op verzoek" in html
    assert "Experimentele vrijlating (Tijdelijk besluit experimenten Pw)" in html
    assert "Baanbonus" not in html  # no group has one


def test_the_job_bonus_is_shown_as_money(login, experiment):
    experiment.arms.filter(code="B").update(job_bonus_cents=240_050, job_bonus_condition="Na zes maanden werk",
                                            job_bonus_min_hours_a_week=32, job_bonus_max_per_year_cents=240_050)
    klantmanager = html_of(login("klantmanager").get("/klantmanager/"))
    assert "Baanbonus €\N{NO-BREAK SPACE}2.400,50" in klantmanager
    beheerder = html_of(login("beheerder").get("/beheerder/"))
    assert "€\N{NO-BREAK SPACE}2.400,50<br>" in beheerder and "Na zes maanden werk" in beheerder
    assert "eenmaal per uitstroom naar werk van ten minste 32 uur per week, hoogstens € 2.400,50 per jaar" in beheerder
    assert "EUR" not in klantmanager + beheerder


def test_money_is_written_from_cents_the_dutch_way():
    with translation.override("nl"):
        assert [euros(cents) for cents in (0, 5, 19_900, 240_000, 123_456_789)] == [
            f"€\N{NO-BREAK SPACE}{amount}" for amount in ("0,00", "0,05", "199,00", "2.400,00", "1.234.567,89")]


def test_projectleider_page(login, experiment, page_figures):
    # At 1 October 2019: A 3 = 1 stopped + 1 exit + 1 on benefit; B 3 = 0 + 1 + 2; total 6 = 1 + 2 + 3,
    # that is 16,7% + 33,3% + 50,0%. The reference group has R1 and R2.
    html = html_of(login("projectleider").get("/projectleider/"))
    assert "Teldatum: <strong>1 oktober 2019</strong>" in html
    cells = page_figures(html)
    columns = ("participants", "stopped", "exited", "on_benefit")
    assert [cells[("A", c)] for c in columns] == ["3", "1", "1", "1"]
    assert [cells[("B", c)] for c in columns] == ["3", "0", "1", "2"]
    assert [cells[("total", c)] for c in columns] == ["6", "1", "2", "3"]
    assert [cells[("percentage", c)] for c in columns] == ["100,0%", "16,7%", "33,3%", "50,0%"]
    assert 'id="reference-group">2<' in html
    for word in ("Deelnemers", "Gestopt", "Uitstroom", "Stand", "Referentiegroep", "Teldatum"):
        assert word in html


def test_onderzoeker_page(login, experiment, page_figures):
    # Allocated A 4 (P4 declined), B 3; stopped so far P3 and P7. Response: wave 1 A 2 of 3, B 1 of 3,
    # total 3 of 6; wave 2 A 1 of 3, B 0 of 3, total 1 of 6.
    html = html_of(login("onderzoeker").get("/onderzoeker/"))
    cells = page_figures(html)
    assert [cells[("A", c)] for c in ("allocated", "consented", "consented_pct", "stopped")] \
        == ["4", "3", "75,0%", "1"]
    assert [cells[("B", c)] for c in ("allocated", "consented", "consented_pct", "stopped")] \
        == ["3", "3", "100,0%", "1"]
    assert [cells[("total", c)] for c in ("allocated", "consented", "consented_pct", "stopped")] \
        == ["7", "6", "85,7%", "2"]
    assert 'id="reference-group">2<' in html
    assert cells[("1", "response-total")] == "3 van 6 50,0%"
    assert cells[("2", "response-total")] == "1 van 6 16,7%"
    assert "Meting 1" in html and "2 van 3" in html and "66,7%" in html and "0 van 3" in html


def test_beheerder_page(login, experiment, page_figures):
    # One user per role and "zonder_rol" without one, none blocked; the audit trail holds the four
    # "user.created" events of the fixture.
    html = html_of(login("beheerder").get("/beheerder/"))
    cells = page_figures(html)
    assert {code: cells[(code, "users")] for code in (*ROLE_CODES, "none", "inactive")} == {
        "klantmanager": "1", "projectleider": "1", "onderzoeker": "1", "beheerder": "1", "none": "1",
        "inactive": "0"}
    assert "Zelf in actie" in html and "Verdienen loont" in html and "Begeleiding op verzoek" in html
    # Five: one per role, the link's system account (koppeling) too.
    assert html.count("account aangemaakt") == AuditEvent.objects.filter(action="user.created").count() == 5
    assert 'href="/beheer/"' in html


def test_numbers_have_dutch_formatting(login, experiment, monkeypatch, page_figures):
    big = selectors.DevelopmentColumn(arm=None, participants=12345, stopped=345, exited=2000, on_benefit=10000)
    table = selectors.ParticipantDevelopment(count_date=date(2019, 10, 1), columns=[], total=big,
                                             reference_group=1500)
    monkeypatch.setattr(views.selectors, "participant_development", lambda experiment: table)
    html = html_of(login("projectleider").get("/projectleider/"))
    cells = page_figures(html)
    assert [cells[("total", c)] for c in ("participants", "stopped", "exited", "on_benefit")] \
        == ["12.345", "345", "2.000", "10.000"]
    assert cells[("percentage", "stopped")] == "2,8%"  # 345 / 12,345 = 2.79%
    assert 'id="reference-group">1.500<' in html


def bsn_pattern(bsn: str) -> re.Pattern:
    """The BSN's digits in order, also when split by a space, dot or dash (123 456 789, 1234.56.789)."""
    return re.compile(r"[\s.-]?".join(bsn))


def test_no_bsn_anywhere(bsn_dataset, reachable_pages, users):
    # The BSN was imported (conftest.bsn_dataset); no page any role can reach shows it, nor what is
    # stored in its place (the encrypted BSN and its keyed pseudonym), and the audit trail does not hold it.
    bsn = bsn_pattern(bsn_dataset)
    stored = Person.objects.get(external_id="P1")
    for code in ROLE_CODES:
        pages = reachable_pages(code)
        assert len(pages) >= (20 if code == "beheerder" else 2), sorted(pages)
        for url, html in pages.items():
            assert not bsn.search(html), f"{code} sees the BSN on {url}"
            assert stored.bsn_encrypted not in html and stored.bsn_pseudonym not in html, url
    beheer = reachable_pages("beheerder")
    for url in ("/beheer/registry/experiment/", "/beheer/registry/arm/", "/beheer/auth/user/",
                "/beheer/audit/auditevent/"):
        assert url in beheer  # the crawl really went through the configuration and the audit trail
    details = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    assert AuditEvent.objects.filter(action="dataset.imported").exists()
    assert not bsn.search(details) and stored.bsn_pseudonym not in details
