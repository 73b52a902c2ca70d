"""The project lead's reports from the register: the same report as `vertrouwen report` on the experiment's
dataset, with only the stories whose tellers consented, as HTML and PDF, each download in the audit trail."""

from datetime import date

import pytest

from vertrouwen.core.evaluation import EvaluationSettings
from vertrouwen.core.reports import build_report, render_html
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.casework.models import Story
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.registry.models import Person
from vertrouwen.web.reports import services
from vertrouwen.web.reports.models import StoredReport


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


def test_a_report_is_made_in_the_background_shown_while_it_is_made_and_kept(experiment, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nobody carries it out
    client = login("projectleider")
    response = client.get(f"/rapportages/{experiment.pk}/final.pdf")
    assert response.status_code == 302 and response["Location"] == f"/rapportages/{experiment.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "data-computing" in page and "wordt gemaakt, stap 0 van 3" in page
    assert f'<meta http-equiv="refresh" content="3; url=/rapportages/{experiment.pk}/">' in page
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()  # nothing was downloaded yet

    job = StoredReport.objects.get()
    services.make_report(job.pk)  # what the worker does
    page = client.get(f"/rapportages/{experiment.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and 'data-ready="final.pdf"' in page
    first = client.get(f"/rapportages/{experiment.pk}/final.pdf")
    second = client.get(f"/rapportages/{experiment.pk}/final.pdf")
    assert first.content.startswith(b"%PDF") and second.content == first.content
    assert StoredReport.objects.count() == 1  # kept: made once
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 2


def test_a_report_that_could_not_be_made_says_so_and_is_made_again_on_asking(experiment, login, monkeypatch):
    def failing(*args):
        raise ValueError("geen lettertype")

    monkeypatch.setattr(services, "experiment_report", failing)
    client = login("projectleider")
    assert client.get(f"/rapportages/{experiment.pk}/final.html").status_code == 302
    page = client.get(f"/rapportages/{experiment.pk}/").content.decode()
    assert "kon niet worden gemaakt" in page and f"/rapportages/{experiment.pk}/final.html?opnieuw=1" in page
    monkeypatch.undo()
    response = client.get(f"/rapportages/{experiment.pk}/final.html", {"opnieuw": "1"})
    assert response.status_code == 200 and response.content.startswith(b"<!DOCTYPE html>")
