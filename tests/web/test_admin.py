"""The configuration at /beheer/: for the beheerder only, nothing about persons, every change audited."""

import pytest

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import Arm

pytestmark = pytest.mark.django_db


def test_the_beheerder_configures_municipality_experiment_and_groups(login, experiment):
    client = login("beheerder")
    index = client.get("/beheer/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "Vertrouwen: beheeromgeving" in html
    for url in ("/beheer/registry/municipality/", "/beheer/registry/experiment/", "/beheer/registry/arm/",
                f"/beheer/registry/experiment/{experiment.pk}/change/"):
        assert client.get(url).status_code == 200, url
    change = client.get(f"/beheer/registry/experiment/{experiment.pk}/change/").content.decode()
    assert "Zelf in actie" in change and "Verdienen loont" in change  # the groups as inlines


def test_persons_are_not_in_the_admin(login, experiment):
    client = login("beheerder")
    assert client.get("/beheer/registry/person/").status_code == 404
    assert "bsn" not in client.get("/beheer/").content.decode().lower()


@pytest.mark.parametrize("code", ["klantmanager", "projectleider", "onderzoeker"])
def test_other_roles_do_not_get_into_the_admin(login, code):
    response = login(code).get("/beheer/")
    assert response.status_code == 302 and response.url.startswith("/beheer/login/")


def test_the_audit_trail_is_read_only(client, django_user_model, users):
    admin = django_user_model.objects.create_superuser("super", password="een-lang-supergeheim")
    client.force_login(admin)
    event = AuditEvent.objects.first()
    assert client.get("/beheer/audit/auditevent/").status_code == 200
    assert client.get("/beheer/audit/auditevent/add/").status_code == 403
    detail = client.get(f"/beheer/audit/auditevent/{event.pk}/change/")
    assert detail.status_code == 200 and 'name="actor_label"' not in detail.content.decode()
    assert client.post(f"/beheer/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_change_in_the_admin_is_written_to_the_audit_trail(login, experiment):
    arm = Arm.objects.get(code="A")
    data = {"experiment": experiment.pk, "position": 1, "code": "A", "name": "Zelf aan zet",
            "rules_text": arm.rules_text, "exempt_from_obligations": "on", "guidance_intensity": "op_verzoek",
            "disregard_regime": "standaard", "job_bonus_cents": 0, "job_bonus_condition": ""}
    response = login("beheerder").post(f"/beheer/registry/arm/{arm.pk}/change/", data)
    assert response.status_code == 302
    arm.refresh_from_db()
    assert arm.name == "Zelf aan zet"
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.actor_label, event.action, event.object_type, event.object_id) == \
        ("beheerder", "configuration.changed", "arm", str(arm.pk))
    assert event.details == {"name": "Zelf aan zet", "fields": ["name"]}
