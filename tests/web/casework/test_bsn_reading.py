"""Reading a BSN (issue 10, point 1): only for a person on one's own caseload, only by POST with a reason, shown on
that one response, and every reading recorded in the audit trail. Fixture: werkstad.py (K3's BSN is BSN_K3)."""

import pytest
from django.conf import settings
from werkstad import BSN_K3

from vertrouwen.core import privacy
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import Person


@pytest.fixture
def k3_with_bsn(workspace):
    Person.objects.filter(pk=workspace.pk("K3")).update(
        bsn_encrypted=privacy.encrypt(BSN_K3, settings.BSN_ENCRYPTION_KEY))
    return workspace


def test_the_page_hides_the_bsn_until_asked(k3_with_bsn, login):
    html = login("klantmanager").get(k3_with_bsn.page("K3")).content.decode()
    assert BSN_K3 not in html and "BSN tonen" in html


def test_a_reading_shows_it_once_and_is_audited_with_the_reason(k3_with_bsn, login):
    client = login("klantmanager")
    url = f"/persoon/{k3_with_bsn.pk('K3')}/bsn/"
    response = client.post(url, {"bsn-reason": "uitkeringsadministratie"})
    assert response.status_code == 200 and BSN_K3 in response.content.decode()
    assert BSN_K3 not in url and BSN_K3 not in response.get("Location", "")
    event = AuditEvent.objects.get(action="person.bsn_read")
    assert (event.actor_label, event.object_id, event.details) == (
        "klantmanager", str(k3_with_bsn.pk("K3")), {"reason": "uitkeringsadministratie"})
    assert BSN_K3 not in str(event.details)
    assert BSN_K3 not in client.get(k3_with_bsn.page("K3")).content.decode()  # not remembered


def test_without_a_reason_nothing_is_shown_or_recorded(k3_with_bsn, login):
    response = login("klantmanager").post(f"/persoon/{k3_with_bsn.pk('K3')}/bsn/", {})
    assert response.status_code == 400 and BSN_K3 not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.bsn_read").exists()


def test_outside_the_caseload_the_person_does_not_exist(k3_with_bsn, login):
    client = login("klantmanager")
    for number in ("O1", "U1"):
        response = client.post(f"/persoon/{k3_with_bsn.pk(number)}/bsn/", {"bsn-reason": "deelnemer"})
        assert response.status_code == 404
    assert client.get(f"/persoon/{k3_with_bsn.pk('K3')}/bsn/").status_code == 405
    assert not AuditEvent.objects.filter(action="person.bsn_read").exists()
