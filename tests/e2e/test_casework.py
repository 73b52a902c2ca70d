"""End to end: the project lead puts a person on the demo case manager's caseload; the case manager finds them,
holds the intake with goals, agrees an action, logs a contact and completes a half-yearly review; the project lead
sees it in the overview. Every page is kept as a screenshot, on a desktop and on a phone-sized window.

Expected figures are read from the demo database with SQL before and after, not from the selectors under test.
"""

from datetime import date, timedelta

import pytest
from test_start_pages import log_in

from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
MANAGER_ROW = "table#caseloads tr[data-arm='Klantmanager']"


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def unassigned_person(server) -> str:
    """A person on benefit today who is on nobody's caseload."""
    today = date.today().isoformat()
    return server.query(
        "SELECT p.external_id FROM registry_person p WHERE EXISTS (SELECT 1 FROM registry_benefitspell s "
        "WHERE s.person_id = p.id AND s.spell_start <= ? AND s.spell_end IS NULL) AND NOT EXISTS (SELECT 1 FROM "
        "casework_assignment a WHERE a.person_id = p.id) ORDER BY p.external_id LIMIT 1", (today,))[0][0]


def shoot(page, screenshots, name: str) -> None:
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / f"{name}-telefoon.png", full_page=True)
    page.set_viewport_size(size)


def test_a_case_manager_works_a_participant_and_the_project_lead_sees_it(page, demo_server, screenshots):
    today = date.today()
    number = unassigned_person(demo_server)

    # The project lead assigns the person to the demo case manager.
    log_in(page, demo_server, "projectleider", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Begeleiding").click()
    persons_before = int(page.locator(f"{MANAGER_ROW} td[data-figure=persons]").inner_text())
    contacts_before = int(page.locator(f"{MANAGER_ROW} td[data-figure=contacts]").inner_text())
    page.get_by_label("Persoonsnummers").fill(number)
    page.locator("#id_toewijzen-case_manager").select_option(label="Klantmanager")
    page.get_by_role("button", name="Toewijzen", exact=True).click()
    assert "1 personen staan nu in de gekozen caseload." in page.locator(".vt-messages").inner_text()
    page.context.clear_cookies()

    # The case manager finds the person on the caseload by person number.
    log_in(page, demo_server, "klantmanager", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Mijn caseload").click()
    assert page.locator(f"tr[data-person='{number}']").count() == 1
    shoot(page, screenshots, "caseload")
    page.get_by_label("Persoonsnummer of burgerservicenummer").fill(number)
    page.get_by_role("button", name="Zoeken").click()
    assert page.locator("h1").inner_text() == f"Persoon {number}"

    # The intake, seven months ago: goals in their own words and the ladder.
    intake_on = today - timedelta(days=210)
    page.get_by_text("Startgesprek vastleggen").click()
    page.get_by_label("Datum van het gesprek").fill(intake_on.isoformat())
    page.get_by_label("Samenvatting").fill("Kennismaking; spelregels en wensen besproken.")
    page.get_by_label("Doel in de eigen woorden van de deelnemer").fill("Weer aan het werk, eerst parttime.")
    page.get_by_label("Parttime werk").check()
    page.get_by_label("Sociale activering / vrijwilligerswerk").check()
    page.get_by_label("3 Deelname aan georganiseerde activiteiten").check()
    page.locator("#form-intake").get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Startgesprek opslaan").click()
    assert "Het startgesprek is vastgelegd." in page.locator(".vt-messages").inner_text()
    assert page.locator("[data-figure=highest_goal]").inner_text() == "Parttime werk"

    # An action without a date is refused at its field; with a date it joins the plan.
    page.get_by_text("Actie toevoegen").click()
    page.get_by_label("Wat", exact=True).fill("Twee vacatures voor 12 uur per week bespreken")
    page.get_by_role("button", name="Toevoegen aan het plan").click()
    assert "Geef aan wanneer de actie klaar moet zijn." in page.locator("#id_actie-due_on-error").inner_text()
    assert page.get_by_label("Wat", exact=True).input_value() == "Twee vacatures voor 12 uur per week bespreken"
    page.get_by_label("Uiterlijk").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Toevoegen aan het plan").click()
    assert page.locator("table#actions tbody tr").count() == 1

    # A phone call last month.
    contact_on = previous_month(today)
    page.get_by_text("Contact vastleggen").click()
    page.locator("#id_contact-contact_on").fill(contact_on.isoformat())
    page.locator("#id_contact-channel").select_option("telefoon")
    page.get_by_label("Korte notitie").fill("Belde over de vacatures.")
    page.get_by_role("button", name="Contact opslaan").click()
    assert "Belde over de vacatures." in page.locator("table#contacts").inner_text()

    # The half-yearly review: werk becomes a goal; the action is done.
    page.get_by_text("Halfjaargesprek vastleggen").click()
    review = page.locator("#form-review")
    review.get_by_label("Samenvatting").fill("Parttime baan gevonden; nu op weg naar meer uren.")
    review.get_by_label("Werk", exact=True).check()
    review.get_by_label("5 Betaald werk met ondersteuning").check()
    review.get_by_label("Ja", exact=True).check()
    review.get_by_label("Twee vacatures voor 12 uur per week bespreken").select_option("afgerond")
    page.get_by_role("button", name="Halfjaargesprek opslaan").click()
    assert "Het halfjaargesprek is vastgelegd." in page.locator(".vt-messages").inner_text()
    assert page.locator("[data-figure=highest_goal]").inner_text() == "Werk"
    assert page.locator("table#goals-over-time tbody tr").count() >= 2
    shoot(page, screenshots, "deelnemer")

    person_id = demo_server.query("SELECT id FROM registry_person WHERE external_id = ?", (number,))[0][0]
    assert demo_server.query("SELECT kind FROM casework_conversation WHERE person_id = ? ORDER BY held_on",
                             (person_id,)) == [("startgesprek",), ("halfjaargesprek",)]
    assert demo_server.query("SELECT status FROM casework_action WHERE person_id = ?", (person_id,)) == \
        [("afgerond",)]
    page.context.clear_cookies()

    # The project lead sees one more person and one more contact last month on the case manager's caseload.
    log_in(page, demo_server, "projectleider", DEMO_PASSWORD)
    page.goto(f"{demo_server.url}/begeleiding/")
    assert int(page.locator(f"{MANAGER_ROW} td[data-figure=persons]").inner_text()) == persons_before + 1
    assert int(page.locator(f"{MANAGER_ROW} td[data-figure=contacts]").inner_text()) == contacts_before + 1
    assert page.locator("table#contacts-per-month tbody tr").count() > 0
    shoot(page, screenshots, "begeleiding")
