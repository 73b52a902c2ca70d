"""End to end: the project lead finds the reports in the menu and downloads the final report as PDF and the
progress report as HTML from the demo municipality."""

from pathlib import Path

import pytest
from test_start_pages import log_in
from tests.e2e.conftest import until_computed

from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def download(page, report: str, name: str, to: Path) -> Path:
    """Ask for a report (the worker makes it while the page shows how far it is), then download it."""
    link = page.get_by_role("listitem").filter(has_text=report).get_by_role("link", name=name, exact=True)
    if link.get_attribute("download") is None:  # not made yet: asking for it comes back to this page
        link.click()
        page.wait_for_load_state()
        until_computed(page)
    with page.expect_download() as made:
        link.click()
    made.value.save_as(to)
    return to


def test_the_project_lead_downloads_the_reports(page, demo_server, screenshots, tmp_path):
    experiment_id, name = demo_server.query(
        "SELECT id, name FROM registry_experiment ORDER BY municipality_id, period_start, id LIMIT 1")[0]
    log_in(page, demo_server, "projectleider", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Rapportages").click()
    page.wait_for_url(f"{demo_server.url}/rapportages/{experiment_id}/")
    assert page.locator("h1").inner_text() == "Rapportages"
    page.screenshot(path=screenshots / "rapportages-desktop.png", full_page=True)

    pdf = download(page, "Eindrapportage", "PDF", tmp_path / "eind.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")

    html = download(page, "Voortgangsrapportage", "HTML (toegankelijke webpagina)", tmp_path / "voortgang.html")
    report = page.context.new_page()
    report.goto(html.as_uri())
    assert report.locator("h1").inner_text().startswith("Voortgangsrapportage")
    assert name in report.locator("h1").inner_text()
    assert report.locator("nav.toc li").count() >= 12
    report.screenshot(path=screenshots / "rapportage-html.png", full_page=False)
