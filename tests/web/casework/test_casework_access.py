"""Least access: a case manager reaches only their own caseload. Every other person's page and every form about
them answers 404, whatever id is tried; other roles get 403; reassigning is the project lead's alone."""

import pytest

from vertrouwen.web.casework.models import Assignment
from vertrouwen.web.casework.views import STEPS
from vertrouwen.web.registry.models import Contact, Person

MINE = ("K1", "K2", "K3", "K4", "K5", "K6", "K7")


def test_by_enumeration_every_other_persons_page_and_form_is_404(workspace, login):
    client = login("klantmanager")
    mine = {workspace.pk(n) for n in MINE}
    highest = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    for pk in range(1, highest + 5):  # every id in use, and a few that are not
        expected = 200 if pk in mine else 404
        assert client.get(f"/persoon/{pk}/").status_code == expected, pk
        if pk not in mine:
            for step in STEPS:
                assert client.post(f"/persoon/{pk}/{step}/", {}).status_code == 404, (pk, step)
            assert client.post(f"/persoon/{pk}/actie/1/", {}).status_code == 404
            assert client.post(f"/persoon/{pk}/verhaal/1/intrekken/", {}).status_code == 404
    assert not Contact.objects.exists()


def test_the_other_case_manager_sees_their_own_person_only(workspace, login):
    client = login("klantmanager2")
    assert client.get(workspace.page("O1")).status_code == 200
    assert client.get(workspace.page("K1")).status_code == 404


def test_an_unknown_step_is_404(workspace, login):
    assert login("klantmanager").post(workspace.step("K1", "verwijderen"), {}).status_code == 404


@pytest.mark.parametrize("role", ["projectleider", "onderzoeker", "beheerder"])
def test_other_roles_do_not_open_the_workspace(workspace, login, role):
    client = login(role)
    assert client.get("/caseload/").status_code == 403
    assert client.get(workspace.page("K1")).status_code == 403
    assert client.post(workspace.step("K1", "contact"), {}).status_code == 403


@pytest.mark.parametrize("role", ["klantmanager", "onderzoeker", "beheerder"])
def test_only_the_project_lead_reassigns(workspace, login, role):
    client = login(role)
    assert client.get("/begeleiding/").status_code == 403
    response = client.post("/begeleiding/toewijzen/", {"toewijzen-person_numbers": "O1",
                                                        "toewijzen-case_manager": workspace.manager.pk,
                                                        "toewijzen-on": workspace.today.isoformat()})
    assert response.status_code == 403
    assert Assignment.objects.get(person__external_id="O1", ended_on__isnull=True).case_manager == \
        workspace.other_manager


def test_anonymous_visitors_are_sent_to_the_login(workspace, client):
    response = client.get(workspace.page("K1"))
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
