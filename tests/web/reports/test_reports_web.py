"""The project lead's reports from the register: the same report as `vertrouwen report` on the experiment's
dataset, with only the stories whose tellers consented, as HTML and PDF, each download in the audit trail."""

from datetime import date

import pytest

from vertrouwen.core.evaluation import EvaluationSettings
from vertrouwen.core.reports import build_report, render_html
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.casework.models import Story
from vertrouwen.web.registry.models import Person
from vertrouwen.web.registry.services.exporting import experiment_dataset


@pytest.fixture
def stories(experiment):
    told = date(2019, 6, 12)
    Story.objects.create(person=Person.objects.get(external_id="P1"), told_on=told, consent_on=told,
                         text="Ik werk nu twee ochtenden in de bakkerij.")
    Story.objects.create(person=Person.objects.get(external_id="P5"), told_on=told, consent_on=told,
                         consent_withdrawn_on=date(2019, 8, 1), text="Dit verhaal mag niet meer gedeeld worden.")
    later = date(2024, 3, 1)  # after this experiment: a story for a later one
    Story.objects.create(person=Person.objects.get(external_id="P2"), told_on=later, consent_on=later,
                         text="Verteld in een later experiment.")


def test_the_html_report_is_the_one_the_command_makes_with_consented_stories(experiment, stories, login):
    response = login("projectleider").get(f"/rapportages/{experiment.pk}/final.html")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="eindrapportage-GM9999-vw.html"'
    # The register is read today, after the count date: the report stands at the count date, as the researcher's
    # evaluation page does (a dataset folder alone would stand at the day after its last event).
    expected = render_html(build_report(experiment_dataset(experiment), "final", stories=(
        ("Verteld in juni 2019", "Ik werk nu twee ochtenden in de bakkerij."),),
        settings=EvaluationSettings(as_of=experiment.count_date)))
    assert response.content.decode() == expected
    assert "niet meer gedeeld" not in expected  # consent withdrawn: left out
    assert "later experiment" not in expected  # told after the experiment ended


def test_the_pdf_and_the_audit_trail(experiment, login):
    response = login("projectleider").get(f"/rapportages/{experiment.pk}/progress.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="report.downloaded")
    assert event.actor_label == "projectleider" and event.details["kind"] == "progress"
    assert event.details["format"] == "pdf" and len(event.details["data"]) == 64


def test_the_page_offers_both_reports_in_both_formats(experiment, login):
    html = login("projectleider").get(f"/rapportages/{experiment.pk}/").content.decode()
    for kind in ("progress", "final"):
        for fmt in ("pdf", "html"):
            assert f'href="/rapportages/{experiment.pk}/{kind}.{fmt}"' in html
    assert login("projectleider").get("/rapportages/").status_code == 302


@pytest.mark.parametrize("role", ["klantmanager", "onderzoeker", "beheerder"])
def test_other_roles_get_no_report(experiment, login, role):
    client = login(role)
    assert client.get(f"/rapportages/{experiment.pk}/").status_code == 403
    assert client.get(f"/rapportages/{experiment.pk}/final.pdf").status_code == 403
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()


def test_unknown_kinds_formats_and_experiments(experiment, login):
    client = login("projectleider")
    assert client.get(f"/rapportages/{experiment.pk}/yearly.pdf").status_code == 404
    assert client.get(f"/rapportages/{experiment.pk}/final.docx").status_code == 404
    assert client.get(f"/rapportages/{experiment.pk + 99}/final.html").status_code == 404
