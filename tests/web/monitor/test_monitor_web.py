"""The web monitor gives the same tables as the definitions worked out by hand for the small experiment of
conftest.py (count date 1 October 2019), at the count date and at an earlier date; and the research export."""

import io
import zipfile

import pytest

from vertrouwen.web.audit.models import AuditEvent


def cell(html: str, table: str, row: str, figure: str) -> str:
    part = html.split(f'id="{table}"')[1].split(f'data-arm="{row}"')[1].split("</tr>")[0]
    return part.split(f'data-figure="{figure}">')[1].split("<")[0]


def test_the_tables_at_the_count_date(experiment, login):
    html = login("projectleider").get(f"/monitor/{experiment.pk}/").content.decode()
    # A: P1 current, P2 exited, P3 stopped. B: P5 current (re-entry), P6 current (ends on C), P7 exited.
    assert [cell(html, "participants", key, "A") for key in ("enrolled", "stopped", "exited", "current")] == \
        ["3", "1", "1", "1"]
    assert [cell(html, "participants", key, "total") for key in ("enrolled", "stopped", "exited", "current")] == \
        ["6", "1", "2", "3"]
    # Exit to work: A n 2 (P1, P2), P2 left for work; B n 3, P5 (back on benefit at C) and P7; reference R1, R2.
    assert [cell(html, "exit-to-work", "A", f) for f in ("n", "first", "net")] == ["2", "1", "1"]
    assert [cell(html, "exit-to-work", "B", f) for f in ("n", "first", "net")] == ["3", "2", "1"]
    assert [cell(html, "exit-to-work", "reference", f) for f in ("n", "first", "net")] == ["2", "0", "0"]
    assert html.count("<svg") >= 5 and "De cijfers achter deze grafiek" in html


def test_an_earlier_date_and_a_wrong_one(experiment, login):
    client = login("projectleider")
    html = client.get(f"/monitor/{experiment.pk}/", {"datum": "2019-01-01"}).content.decode()
    assert 'value="2019-01-01"' in html
    # On 1 January 2019: P2 and P7 still on benefit, P3 not yet stopped, P5 between exit and re-entry.
    assert [cell(html, "participants", key, "A") for key in ("stopped", "exited", "current")] == ["0", "0", "3"]
    assert cell(html, "participants", "exited", "B") == "1"
    response = client.get(f"/monitor/{experiment.pk}/", {"datum": "2030-01-01"})
    assert response.status_code == 400 and "Kies een datum op of vóór de teldatum" in response.content.decode()


def test_the_researcher_downloads_the_pseudonymized_export(experiment, login):
    response = login("onderzoeker").post(f"/monitor/{experiment.pk}/onderzoeksexport/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "GM9999-vw-onderzoek/codebook.md" in names and "GM9999-vw-onderzoek/persons.csv" in names
    persons = archive.read("GM9999-vw-onderzoek/persons.csv").decode()
    assert "P1," not in persons and persons.count("\nX") == 9
    assert AuditEvent.objects.filter(action="dataset.research_exported", actor_label="onderzoeker").count() == 1


@pytest.mark.parametrize("role", ["klantmanager", "beheerder"])
def test_neither_the_monitor_nor_the_export_for_other_roles(experiment, login, role):
    client = login(role)
    assert client.get(f"/monitor/{experiment.pk}/").status_code == 403
    assert client.post(f"/monitor/{experiment.pk}/onderzoeksexport/").status_code == 403
    assert not AuditEvent.objects.filter(action="dataset.research_exported").exists()


def test_the_edge_cases_come_out_of_the_web_monitor_as_worked_out_by_hand(db, tmp_path, login):
    """The hand-built edge cases (tests/core/monitor/edges.py), imported into the register."""
    from core.monitor.edges import write_edges
    from vertrouwen.web.datasets import import_dataset
    from vertrouwen.web.registry.models import Experiment

    import_dataset(write_edges(tmp_path / "randen"), actor="test")
    pk = Experiment.objects.get(code="randen").pk
    html = login("projectleider").get(f"/monitor/{pk}/").content.decode()
    assert [cell(html, "participants", key, "A") for key in ("enrolled", "stopped", "exited", "current")] == \
        ["5", "1", "1", "3"]
    assert [cell(html, "exit-to-work", "A", f) for f in ("n", "first", "net")] == ["4", "2", "1"]
    assert [cell(html, "exit-to-work", "B", f) for f in ("n", "first", "net")] == ["2", "1", "1"]
    assert [cell(html, "exit-to-work", "reference", f) for f in ("n", "first", "net")] == ["2", "1", "1"]
    july = html.split('id="numbers-earnings-mean"')[1].split('data-arm="2019-07"')[1].split("</tr>")[0]
    assert "400,00" in july  # A3 and A4 earned EUR 300 and EUR 500 in July 2019
