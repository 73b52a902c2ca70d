"""The project lead's overview: caseload per case manager, overdue reviews, contacts per participant per month by
group (the process evaluation), goals at the intake by group; and reassignment. Expected figures are counted by
hand from conftest.py and the writes in each test."""

from datetime import timedelta

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.casework import services
from vertrouwen.web.casework.models import Assignment


def cell(html: str, row: str, figure: str) -> str:
    part = html.split(f'data-arm="{row}"')[1].split("</tr>")[0]
    return part.split(f'data-figure="{figure}">')[1].split("<")[0].strip()


def test_caseload_per_case_manager(workspace, login):
    today = workspace.today
    services.record_intake(workspace.pk("K1"), held_on=today - timedelta(days=200), summary="Start.",
                           goals_in_own_words="", goals=["werk"], good_prospects=False, ladder_rung=2, today=today,
                           actor="test")
    html = login("projectleider").get("/begeleiding/").content.decode()
    # Klantmanager: 7 persons; in an experiment K1-K4 (K6 stopped); intake still to hold: K2-K5 (K6 stopped,
    # K7 off benefit); K1's review was due 200 days minus six months ago.
    name = "Test klantmanager"
    assert [cell(html, name, f) for f in ("persons", "participants", "without_intake", "overdue_reviews")] == \
        ["7", "4", "4", "1"]
    assert [cell(html, "Tweede klantmanager", f) for f in ("persons", "participants")] == ["1", "1"]
    assert 'data-person="K1"' in html.split('id="overdue-caption"')[1]


def test_contacts_per_participant_per_month_by_group(workspace, login):
    today = workspace.today
    month = today.replace(day=1)
    for number, channel in (("K2", "telefoon"), ("K2", "gesprek"), ("K2", "email"), ("O1", "telefoon"),
                            ("K1", "telefoon")):
        services.log_contact(workspace.pk(number), contact_on=month, channel=channel, minutes=10,
                             initiated_by="klantmanager", note="", today=today, actor="test")
    html = login("projectleider").get("/begeleiding/").content.decode()
    row = html.split(f'data-arm="{month:%Y-%m}"')[1].split("</tr>")[0]
    values = [v.split("<")[0] for v in row.split('data-figure="')[1:]]
    # EXEMPT: K1 and K6 (stopped 30 days ago, so still counted when the month began more than 30 days ago).
    exempt_members = 2 if (today - month).days >= 30 else 1
    assert values == [f'0">{1 / exempt_members:.2f}'.replace(".", ","), '1">2,00', '2">0,00', '3">0,00']


def test_goals_at_the_intake_by_group(workspace, login):
    today = workspace.today
    for number, goals in (("K1", ["werk", "opleiding"]), ("K2", ["opleiding"]), ("K3", ["zorg_en_hulp"])):
        services.record_intake(workspace.pk(number), held_on=today, summary="Start.", goals_in_own_words="",
                               goals=goals, good_prospects=number == "K2", ladder_rung=3, today=today, actor="test")
    html = login("projectleider").get("/begeleiding/").content.decode()
    table = html.split('id="goals-by-group"')[1]
    assert cell(table, "with_goal", "EXEMPT") == "1 / 2"  # K1 of K1 and K6
    assert cell(table, "opleiding", "EXEMPT") == "1"
    assert cell(table, "opleiding", "INTENS") == "1"  # K2; O1 has no intake
    assert cell(table, "good_prospects", "INTENS") == "1"


def test_the_project_lead_assigns_persons_and_moves_a_caseload(workspace, login):
    client = login("projectleider")
    response = client.post("/begeleiding/toewijzen/", {"toewijzen-person_numbers": "U1\nK1",
                                                        "toewijzen-case_manager": workspace.other_manager.pk,
                                                        "toewijzen-on": workspace.today.isoformat()})
    assert response.status_code == 302
    assert set(Assignment.objects.filter(case_manager=workspace.other_manager, ended_on__isnull=True)
               .values_list("person__external_id", flat=True)) == {"O1", "U1", "K1"}
    assert Assignment.objects.get(person__external_id="K1", ended_on=workspace.today).case_manager == \
        workspace.manager  # the old assignment is ended, not removed
    response = client.post("/begeleiding/overdragen/", {"overdragen-from_case_manager": workspace.other_manager.pk,
                                                         "overdragen-to_case_manager": workspace.manager.pk,
                                                         "overdragen-on": workspace.today.isoformat()})
    assert response.status_code == 302
    assert Assignment.objects.filter(case_manager=workspace.manager, ended_on__isnull=True).count() == 9
    assert AuditEvent.objects.filter(action__in=("caseload.assigned", "caseload.moved")).count() == 2


def test_unknown_person_numbers_assign_nobody(workspace, login):
    response = login("projectleider").post("/begeleiding/toewijzen/", {
        "toewijzen-person_numbers": "U1, X9", "toewijzen-case_manager": workspace.other_manager.pk,
        "toewijzen-on": workspace.today.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Onbekende persoonsnummers: X9" in html and "U1, X9" in html
    assert not Assignment.objects.filter(person__external_id="U1").exists()
