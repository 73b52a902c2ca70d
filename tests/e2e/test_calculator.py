"""End to end: someone without an account opens "Wat houd ik over?" on a phone, fills in their situation and reads
what they keep; a mistake is named at its field. Expected amounts come from core.rules with the demo's rule tables
(the same tables the page reads, shipped in core/rules/tables.py), worked out here for the month shown."""

from datetime import date

import pytest

from vertrouwen.core.formatting import euro
from vertrouwen.core.rules import shipped_rulebook
from vertrouwen.core.rules.calculator import calculate

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def nbsp(text: str) -> str:
    return text.replace(" ", "\xa0", 1)  # the page writes "€" and the amount with a no-break space


def test_the_calculator_on_a_phone(browser, demo_server, screenshots):
    context = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{demo_server.url}/wat-houd-ik-over/")
    assert page.locator("h1").inner_text() == "Wat houd ik over?"
    assert page.get_by_role("navigation").count() == 0  # nobody is logged in
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling

    # A mistake first: nothing about earnings.
    page.get_by_label("Alleenstaande ouder", exact=True).check()
    page.get_by_role("button", name="Berekenen").click()
    assert "Vul uw inkomsten per maand in" in page.locator("#id_earnings-error").inner_text()
    assert page.get_by_label("Alleenstaande ouder", exact=True).is_checked()  # what was chosen stays

    # 16 hours a week at EUR 14.06 net, the standard disregard (the experiment decree lapsed in 2021: not offered).
    assert page.get_by_text("Experimentele vrijlating").count() == 0
    page.get_by_text("Standaard vrijlating (art. 31 lid 2 sub n Pw)").click()
    page.get_by_label("Uw leeftijd").fill("40")
    page.get_by_label("Uren per week").fill("16")
    page.get_by_label("Netto uurloon (euro)").fill("14,06")
    page.get_by_role("button", name="Berekenen").click()
    page.wait_for_selector("#answer")
    page.screenshot(path=screenshots / "wat-houd-ik-over-telefoon.png", full_page=True)

    this_month = date.today().replace(day=1)
    expected = calculate(shipped_rulebook(), regime="standard", household_type="alleenstaande_ouder",
                         start=this_month, earnings_cents=97_483, months=12, age=40)[0]  # 16 x 14.06 x 52/12
    total = page.locator("#answer [data-figure=total]").inner_text()
    assert nbsp(euro(expected.settlement.total_income_cents)) in total
    assert nbsp(euro(expected.gain_cents)) in page.locator("#answer [data-figure=gain]").inner_text()
    assert page.locator("table#months tbody tr").count() == 12
    context.close()
