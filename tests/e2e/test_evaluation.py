"""End to end: the researcher opens the evaluation from the menu and reads it on a desktop and on a phone; the
running experiment's evaluation is an interim one. Expected counts come from the demo database with SQL."""

import pytest
from test_start_pages import as_date, log_in, nl_int
from tests.e2e.conftest import until_computed

from vertrouwen.core.formatting import dutch_percentage
from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def allocated(server, experiment_id: int, count_date) -> dict[str, list[int]]:
    """The persons allocated before the count date, per arm code."""
    rows = server.query("SELECT a.code, e.person_id, e.allocated_on FROM registry_enrollment e JOIN registry_arm a "
                        "ON a.id = e.arm_id WHERE e.experiment_id = ?", (experiment_id,))
    arms: dict[str, list[int]] = {}
    for code, person, day in rows:
        if as_date(day) < count_date:
            arms.setdefault(code, []).append(person)
    return arms


def exited_to_work(server, experiment_id: int, count_date) -> set[int]:
    """Allocated persons with a benefit ended for work or self-employment on or after allocation, before the
    count date."""
    rows = server.query("SELECT e.person_id, e.allocated_on, s.spell_end FROM registry_enrollment e JOIN "
                        "registry_benefitspell s ON s.person_id = e.person_id WHERE e.experiment_id = ? AND "
                        "s.end_reason IN ('werk', 'zelfstandig')", (experiment_id,))
    return {person for person, start, end in rows if as_date(start) <= as_date(end) < count_date}


def no_sideways_page(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_researcher_reads_the_evaluation(page, browser, demo_server, screenshots):
    experiment_id, count_date = demo_server.query(
        "SELECT id, count_date FROM registry_experiment ORDER BY municipality_id, period_start, id LIMIT 1")[0]
    count_date = as_date(count_date)
    control = demo_server.query("SELECT code FROM registry_arm WHERE experiment_id = ? AND is_control",
                                (experiment_id,))[0][0]
    log_in(page, demo_server, "onderzoeker", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Evaluatie").click()
    page.wait_for_url(f"{demo_server.url}/evaluatie/{experiment_id}/")
    assert page.locator("h1").inner_text() == "Evaluatie"
    until_computed(page)

    arms, exited = allocated(demo_server, experiment_id, count_date), exited_to_work(demo_server, experiment_id,
                                                                                     count_date)
    assert len(arms) >= 2 and exited
    for arm, people in arms.items():
        assert page.locator(f"#balance-toegewezen tr[data-arm=n] td[data-figure={arm}]").inner_text() == \
            nl_int(len(people))
        if arm != control:
            share = sum(p in exited for p in people) / len(people)
            row = page.locator(f'#effect-exit_to_work tr[data-arm="{arm} vs {control}"] td[data-figure=share]')
            assert row.inner_text() == dutch_percentage(share)
    assert page.get_by_text("Let op: deze vergelijking is niet gerandomiseerd").is_visible()
    assert page.get_by_text("Verkennend", exact=True).is_visible()
    assert page.locator("#chart-incidence svg").count() == 1 and page.locator("#forest-exit_to_work svg").count() == 1
    assert "10.000 permutaties" in page.locator("dl").first.inner_text()
    page.screenshot(path=screenshots / "evaluatie-desktop.png", full_page=True)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="nl-NL").new_page()
    log_in(phone, demo_server, "onderzoeker", DEMO_PASSWORD)
    phone.goto(f"{demo_server.url}/evaluatie/{experiment_id}/")
    until_computed(phone)
    assert no_sideways_page(phone), "the page itself must not scroll sideways on a phone"
    table = phone.locator("#effect-exit_to_work").locator("xpath=..")  # its scrolling region
    assert table.evaluate("region => region.scrollWidth > region.clientWidth")  # the table scrolls, not the page
    phone.screenshot(path=screenshots / "evaluatie-telefoon.png", full_page=True)
    phone.context.close()


def test_the_running_experiment_gets_an_interim_evaluation(page, demo_server):
    running = demo_server.query("SELECT id FROM registry_experiment ORDER BY period_start DESC, id DESC LIMIT 1")[0][0]
    log_in(page, demo_server, "projectleider", DEMO_PASSWORD)
    response = page.goto(f"{demo_server.url}/evaluatie/{running}/")
    assert response.status == 200
    until_computed(page)
    assert "Tussentijdse evaluatie." in page.locator("main").inner_text()
    assert no_sideways_page(page)
