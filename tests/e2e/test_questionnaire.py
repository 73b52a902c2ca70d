"""End to end: the researcher opens the 12-month wave and invites the participants; one of them answers on a phone
through their personal link, stops after the first part and resumes later where they left off; a wrong number of
hours is named at its question; then a case manager enters a paper questionnaire of a person on their caseload,
from the participant page, through the same pages. The answers are read back from the demo database with SQL."""

from datetime import date, timedelta

import pytest
from test_start_pages import log_in

from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_answer_on_a_phone_with_an_interruption_and_enter_a_paper_questionnaire(browser, page, demo_server,
                                                                                screenshots):
    today = date.today()
    log_in(page, demo_server, "onderzoeker", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Vragenlijsten").click()
    page.get_by_role("link", name="Na 12 maanden").last.click()  # the running experiment is the last one
    page.get_by_label("Open vanaf").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Sluit na").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Periode opslaan").click()
    page.get_by_role("button", name="Alle deelnemers uitnodigen").click()
    assert "deelnemers uitgenodigd" in page.locator(".vt-messages").inner_text()
    wave_url = page.url

    wave_id = int(wave_url.rstrip("/").split("/")[-1])
    [(number, token)] = demo_server.query(
        "SELECT p.external_id, i.token FROM surveys_invitation i JOIN registry_person p ON p.id = i.person_id "
        "WHERE i.wave_id = ? ORDER BY p.external_id LIMIT 1", (wave_id,))
    [(paper_number, paper_person)] = demo_server.query(  # invited, on the case manager's own caseload
        "SELECT p.external_id, p.id FROM surveys_invitation i JOIN registry_person p ON p.id = i.person_id "
        "JOIN casework_assignment a ON a.person_id = p.id AND a.ended_on IS NULL "
        "JOIN auth_user u ON u.id = a.case_manager_id "
        "WHERE i.wave_id = ? AND u.username = 'klantmanager' AND p.external_id != ? ORDER BY p.external_id LIMIT 1",
        (wave_id, number))

    # The participant, on a phone, without an account.
    phone = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.goto(f"{demo_server.url}/v/{token}/")
    assert mobile.locator(".vt-survey-step").inner_text() == "Deel 1 van 9"
    assert number not in mobile.content()
    mobile.screenshot(path=screenshots / "vragenlijst-telefoon.png", full_page=True)
    assert mobile.locator("h1").inner_text() == "Tevredenheid met uw leven"
    mobile.locator("label[for=id_leven_7]").click()  # 7 on 0 to 10
    mobile.get_by_role("button", name="Opslaan en verder").click()
    assert mobile.locator(".vt-survey-step").inner_text() == "Deel 2 van 9"
    phone.close()  # interrupted

    phone = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.goto(f"{demo_server.url}/v/{token}/")
    assert mobile.locator(".vt-survey-step").inner_text() == "Deel 2 van 9"  # resumed where they left off
    for _ in range(3):  # parts 2 to 4, skipping their questions
        mobile.get_by_role("button", name="Opslaan en verder").click()
    assert mobile.locator("h1").inner_text() == "Vrijwilligerswerk en mantelzorg"
    mobile.get_by_label("Vrijwilligerswerk").fill("99")
    mobile.get_by_role("button", name="Opslaan en verder").click()
    assert "Kies een antwoord van 0 tot en met 80." in mobile.locator("#id_vrijwilligerswerk-error").inner_text()
    assert mobile.get_by_label("Vrijwilligerswerk").input_value() == "99"  # what was typed stays
    mobile.get_by_label("Vrijwilligerswerk").fill("4,5")
    for _ in range(4):  # part 5 saved; parts 6 to 8 skipped
        mobile.get_by_role("button", name="Opslaan en verder").click()
    mobile.get_by_role("button", name="Mijn antwoorden versturen").click()  # part 9, the last
    assert mobile.locator("h1").inner_text() == "Dank u wel"
    mobile.screenshot(path=screenshots / "vragenlijst-klaar-telefoon.png", full_page=True)
    phone.close()

    answers = dict(demo_server.query(
        "SELECT r.item, r.value FROM registry_surveyresponse r JOIN registry_person p ON p.id = r.person_id "
        "WHERE p.external_id = ? AND r.wave = 1", (number,)))
    assert answers == {"leven": "7", "vrijwilligerswerk": "4.5"}

    # The case manager enters a paper questionnaire from the participant page, through the same pages.
    office = browser.new_context(locale="nl-NL")
    desk = office.new_page()
    log_in(desk, demo_server, "klantmanager", DEMO_PASSWORD)
    desk.goto(f"{demo_server.url}/persoon/{paper_person}/")
    desk.locator("#form-questionnaire summary").click()
    desk.get_by_label("Vragenlijst", exact=True).select_option(label=desk.locator(
        "#id_vragenlijst-wave option", has_text="Na 12 maanden").first.inner_text())
    desk.get_by_label("Papieren vragenlijst").check()
    desk.get_by_role("button", name="Invoer beginnen").click()
    assert f"invoer voor {paper_number} (papier)" in desk.locator(".vt-preheading").text_content()
    desk.locator("label[for=id_leven_9]").click()  # 9 on 0 to 10
    desk.get_by_role("button", name="Opslaan en verder").click()
    desk.screenshot(path=screenshots / "vragenlijst-invoer-papier.png", full_page=True)
    office.close()
    rows = demo_server.query(
        "SELECT r.item, r.value, r.mode FROM registry_surveyresponse r JOIN registry_person p ON p.id = r.person_id "
        "WHERE p.external_id = ? AND r.wave = 1", (paper_number,))
    assert rows == [("leven", "9", "papier")]

    # The monitor shows the wave per group.
    page.goto(wave_url)
    assert page.locator("table#response tr[data-arm=total] td[data-figure=response]").inner_text().startswith("2 / ")
    page.screenshot(path=screenshots / "vragenlijst-respons.png", full_page=True)
