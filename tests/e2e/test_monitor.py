"""End to end: the project lead opens the monitor, reads the participant development and changes the date; the
researcher downloads the pseudonymized research export. Expected counts come from the demo database with SQL."""

import zipfile
from datetime import date

import pytest
from test_start_pages import as_date, log_in

from vertrouwen.web.accounts.services import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def enrolled_before(server, experiment_id: int, day: date) -> int:
    rows = server.query("SELECT consented_on FROM registry_enrollment WHERE experiment_id = ? AND consented_on IS "
                        "NOT NULL", (experiment_id,))
    return sum(1 for (consented,) in rows if as_date(consented) < day)


def test_the_monitor_at_two_dates_and_the_research_export(page, browser, demo_server, screenshots, tmp_path):
    experiment_id, count_date = demo_server.query(
        "SELECT id, count_date FROM registry_experiment ORDER BY municipality_id, period_start, id LIMIT 1")[0]
    count_date = as_date(count_date)
    log_in(page, demo_server, "projectleider", DEMO_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Monitor").click()
    total = page.locator("table#participants tr[data-arm=enrolled] td[data-figure=total]").inner_text()
    assert int(total) == enrolled_before(demo_server, experiment_id, count_date)
    page.screenshot(path=screenshots / "monitor.png", full_page=True)

    earlier = date(count_date.year - 1, count_date.month, 1)
    page.get_by_label("De monitor zoals hij was op").fill(earlier.isoformat())
    page.get_by_role("button", name="Tonen").click()
    total = page.locator("table#participants tr[data-arm=enrolled] td[data-figure=total]").inner_text()
    assert int(total) == enrolled_before(demo_server, experiment_id, earlier)
    assert f"datum={earlier.isoformat()}" in page.url
    page.get_by_text("De cijfers achter deze grafiek").first.click()
    assert page.locator("table#numbers-exit-gross tbody tr").count() > 0
    page.context.clear_cookies()

    log_in(page, demo_server, "onderzoeker", DEMO_PASSWORD)
    page.goto(f"{demo_server.url}/monitor/{experiment_id}/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Gepseudonimiseerde onderzoeksexport downloaden").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert any(n.endswith("codebook.md") for n in names) and any(n.endswith("persons.csv") for n in names)
    persons = zipfile.ZipFile(path).read(next(n for n in names if n.endswith("persons.csv"))).decode()
    assert "P0000001" not in persons and "\nX" in persons
    assert demo_server.query("SELECT COUNT(*) FROM audit_auditevent WHERE action = ?",
                             ("dataset.research_exported",))[0][0] >= 1
