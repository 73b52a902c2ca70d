"""The calculator for anyone and for a case manager, the monthly run page, and on the participant page the
settlements, a correction, and an exit followed by a re-entry. Fixture: werkstad.py. Amounts by hand from the
rule tables: single person's norm EUR 1,369.06; standard disregard 25%, at most EUR 285, six months, from 27."""

from datetime import timedelta

import pytest

from vertrouwen.web.registry.models import BenefitSpell
from vertrouwen.web.settlement.models import Settlement, SettlementRun


def test_anyone_calculates_without_logging_in(client, db):
    response = client.get("/wat-houd-ik-over/")
    assert response.status_code == 200 and "Wat houd ik over?" in response.content.decode()
    response = client.get("/wat-houd-ik-over/", {"household_type": "alleenstaande", "regime": "standard",
                                                 "earnings": "600", "age": "40", "start": "2026-01"})
    html = response.content.decode()
    # 25% of EUR 600 = EUR 150 kept: EUR 919.06 benefit + EUR 600 = EUR 1,519.06; EUR 150 more than without work.
    assert "€\xa01.519,06" in html.split('data-figure="total"')[1][:120]
    assert "€\xa0150,00" in html.split('data-figure="gain"')[1][:300]
    # The six months run out: from July working adds nothing.
    assert "juli 2026" in html.split('data-figure="change"')[1][:200]
    assert html.count('data-month="2026-') == 12


def test_hours_and_hourly_wage_instead_of_monthly_earnings(client, db):
    """20 hours at EUR 14.06 for 52/12 weeks a month is EUR 1,218.53 (rounded half up)."""
    response = client.get("/wat-houd-ik-over/", {"household_type": "alleenstaande", "regime": "standard",
                                                 "hours_per_week": "20", "hourly_wage": "14,06", "start": "2026-01"})
    html = response.content.decode()
    assert "uw loon van €\xa01.218,53" in html


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"earnings": ""}, "earnings", "Vul uw inkomsten per maand in"),
    ({"earnings": "-10"}, "earnings", "Inkomsten kunnen niet negatief zijn."),
    ({"earnings": "25000"}, "earnings", "Meer dan € 20.000,00 per maand"),
    ({"earnings": "", "hours_per_week": "60", "hourly_wage": "200"}, "hourly_wage", "Meer dan € 20.000,00 per maand"),
])
def test_bad_input_is_named_at_its_field_and_kept(client, db, params, field, message):
    data = {"household_type": "alleenstaande", "regime": "standard", "start": "2026-01", **params}
    response = client.get("/wat-houd-ik-over/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.split(f'id="id_{field}-error"')[1].split("</div>")[0]


def test_the_case_manager_calculates_with_the_participants_own_figures(workspace, login):
    client = login("klantmanager")
    html = client.get(f"/persoon/{workspace.pk('K3')}/wat-houd-ik-over/").content.decode()
    assert "Wat houdt K3 over?" in html
    checked = [tag for tag in html.split("<input")[1:] if 'name="regime"' in tag and "checked" in tag.split(">")[0]]
    # K3's group has the decree's disregard, which lapsed on 1 April 2021: the calculator starts from the standard one.
    assert len(checked) == 1 and 'value="standard"' in checked[0]
    assert 'value="experiment"' not in html  # not offered today
    assert 'name="household_type" value="alleenstaande"' in html and "€ 600" not in html
    assert client.get(f"/persoon/{workspace.pk('O1')}/wat-houd-ik-over/").status_code == 404


def test_the_beheerder_runs_a_month_and_sees_its_result(workspace, login, django_capture_on_commit_callbacks):
    client = login("beheerder")
    assert client.get("/verrekening/").status_code == 200
    month = (workspace.today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued when the request commits
        response = client.post("/verrekening/starten/", {"month": f"{month:%Y-%m}"})
    assert response.status_code == 302
    run = SettlementRun.objects.get()
    assert (run.status, run.total, run.created) == ("done", 9, 9)  # the test backend runs the task at once
    assert "9 personen met een uitkering: 9 voor het eerst verrekend" in client.get("/verrekening/").content.decode()
    future = (workspace.today.replace(day=28) + timedelta(days=10)).replace(day=1)
    response = client.post("/verrekening/starten/", {"month": f"{future:%Y-%m}"})
    assert response.status_code == 400 and "nog niet begonnen" in response.content.decode()


@pytest.mark.parametrize("role", ["klantmanager", "projectleider", "onderzoeker"])
def test_only_the_beheerder_runs_months(workspace, login, role):
    assert login(role).get("/verrekening/").status_code == 403


def test_the_participant_page_shows_settlements_and_takes_a_correction(workspace, login,
                                                                       django_capture_on_commit_callbacks):
    client = login("beheerder")
    month = (workspace.today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month = (month - timedelta(days=1)).replace(day=1)  # the month of K3's EUR 600
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/verrekening/starten/", {"month": f"{month:%Y-%m}"})
    client = login("klantmanager")
    html = client.get(workspace.page("K3")).content.decode()
    row = html.split(f'data-month="{month:%Y-%m}" data-version="1"')[1].split("</tr>")[0]
    # The decree lapsed in 2021: the standard disregard, 25% of EUR 600; settled with older amounts, and tagged so.
    assert "€\xa0150,00" in row and "Verrekend met de uitkering: € 600,00 − € 150,00 = € 450,00." in row
    assert 'data-flag="older-amounts"' in row
    response = client.post(workspace.step("K3", "correction"), {"correctie-month": f"{month:%Y-%m}",
                                                                "correctie-earnings": "300",
                                                                "correctie-reason": ""})
    assert response.status_code == 400 and "Geef de reden van de correctie." in response.content.decode()
    response = client.post(workspace.step("K3", "correction"), {"correctie-month": f"{month:%Y-%m}",
                                                                "correctie-earnings": "300",
                                                                "correctie-reason": "Loonstrook gecorrigeerd"})
    assert response.status_code == 302
    assert Settlement.objects.get(person=workspace.persons["K3"], month=month, is_current=True).version == 2


def test_an_exit_and_a_re_entry_on_one_line_of_time(workspace, login):
    client = login("klantmanager")
    today = workspace.today
    data = {"einde-end_on": (today + timedelta(days=1)).isoformat(), "einde-reason": "werk"}
    response = client.post(workspace.step("K2", "end_benefit"), data)
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()
    data["einde-end_on"] = (today - timedelta(days=5)).isoformat()
    assert client.post(workspace.step("K2", "end_benefit"), data).status_code == 302
    response = client.post(workspace.step("K2", "start_benefit"),
                           {"herinstroom-start_on": (today - timedelta(days=6)).isoformat()})
    assert response.status_code == 400 and "de nieuwe begint daarna" in response.content.decode()
    assert client.post(workspace.step("K2", "start_benefit"),
                       {"herinstroom-start_on": today.isoformat()}).status_code == 302
    spells = list(BenefitSpell.objects.filter(person=workspace.persons["K2"]).order_by("spell_start")
                  .values_list("spell_end", "end_reason"))
    assert spells == [(today - timedelta(days=5), "werk"), (None, "")]
    html = client.get(workspace.page("K2")).content.decode()
    timeline = html.split('id="uitkering"')[1]
    assert timeline.count("vt-timeline-line__spell") == 3  # the class twice, and the re-entry modifier once
    assert "Herinstroom" in timeline and "Uitstroom op" in timeline and "werk" in timeline


def test_a_failed_month_keeps_its_reason_and_is_audited_as_failed(workspace):
    """Without benefit norms a month cannot be settled: the run keeps the reason, the audit trail says failed."""
    from django.db import transaction

    from vertrouwen.web.audit.models import AuditEvent
    from vertrouwen.web.settlement import services
    from vertrouwen.web.settlement.models import BenefitNorm

    month = (workspace.today.replace(day=1) - timedelta(days=1)).replace(day=1)
    with transaction.atomic():
        BenefitNorm.objects.all().delete()
        run = SettlementRun.objects.create(municipality_id=workspace.experiment.municipality_id,
                                           month=month, requested_by="beheerder")
    with pytest.raises(services.SettlementRefused, match="geen bijstandsnorm"):
        services.carry_out(run.pk)
    run.refresh_from_db()
    event = AuditEvent.objects.get(action="settlement.month_failed")
    assert run.status == "failed" and run.error
    assert (event.result, event.object_id) == ("failed", str(run.pk))
    assert event.details == {"month": month.isoformat(), "error": "SettlementRefused"}
    assert not Settlement.objects.filter(month=month).exists()


def test_the_case_manager_records_a_decision_on_sub_n(workspace, login):
    client = login("klantmanager")
    html = client.get(workspace.page("K1")).content.decode()
    assert 'data-sub-n="granted"' in html  # the municipality's default
    data = {"vrijlating-granted": "nee", "vrijlating-valid_from": workspace.today.isoformat(), "vrijlating-reason": ""}
    response = client.post(workspace.step("K1", "sub_n"), data)
    assert response.status_code == 400 and not workspace.persons["K1"].sub_n_decisions.exists()
    data["vrijlating-reason"] = "Werkt al voltijds"
    assert client.post(workspace.step("K1", "sub_n"), data).status_code == 302
    html = client.get(workspace.page("K1")).content.decode()
    assert 'data-sub-n="refused"' in html and "Werkt al voltijds" in html
    assert client.post(workspace.step("O1", "sub_n"), data).status_code == 404  # not on this caseload
