"""The configuration at /beheer/: for the beheerder only, least privilege, nothing about persons, every
change audited."""

import json
import re
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils.html import escape

from vertrouwen.web.accounts import services
from vertrouwen.web.accounts.roles import BEHEERDER, ONDERZOEKER, ROLES, role_of
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import values_of
from vertrouwen.web.registry.models import Arm, Enrollment, Experiment, ReferenceMember

pytestmark = pytest.mark.django_db

User = get_user_model()
CONFIGURATION_MODELS = {"municipality", "experiment", "arm"}


def user_url(user, page: str = "change") -> str:
    return f"/beheer/auth/user/{user.pk}/{page}/"


def change_form_data(user, **overrides) -> dict:
    """What the user's change form posts when nothing is changed."""
    role = role_of(user)
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "role": role.code if role else "", "is_active": "on" if user.is_active else ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


# --- least privilege for the beheerder ------------------------------------------------------------------


def test_each_role_holds_exactly_the_permissions_declared_for_it(users):
    for role in ROLES:
        group = Group.objects.get(name=role.code)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(role.permissions), role.code
    held = set(BEHEERDER.permissions)
    assert not {p for p in held if p.endswith(("_group", "_permission", "_person")) or p == "auth.delete_user"}
    assert {"auth.add_user", "auth.change_user", "audit.view_auditevent"} <= held
    assert not any(p.startswith("audit.") and not p.startswith("audit.view_") for p in held)


def test_ensure_roles_takes_away_what_is_not_declared(users):
    group = Group.objects.get(name=BEHEERDER.code)
    group.permissions.add(Permission.objects.get(codename="change_group"))
    services.ensure_roles()
    assert not group.permissions.filter(codename="change_group").exists()


@pytest.mark.parametrize("target", ["beheerder", "klantmanager"])
def test_the_beheerder_cannot_make_anyone_superuser_staff_or_give_permissions(login, users, target):
    client = login("beheerder")
    user = users[target]
    form = client.get(user_url(user)).content.decode()
    for field in ("is_superuser", "is_staff", "user_permissions", "groups"):
        assert f'name="{field}"' not in form, field
    assert 'name="role"' in form

    every_permission = list(Permission.objects.values_list("pk", flat=True))
    every_group = list(Group.objects.values_list("pk", flat=True))
    response = client.post(user_url(user), {**change_form_data(user), "is_superuser": "on", "is_staff": "on",
                                           "user_permissions": every_permission, "groups": every_group})

    assert response.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert not fresh.is_superuser
    assert fresh.is_staff is (target == "beheerder")  # from the role, not from the post
    assert not fresh.user_permissions.exists()
    assert [g.name for g in fresh.groups.all()] == [target]
    assert not fresh.has_perm("auth.change_group") and not fresh.has_perm("auth.change_permission")


def test_a_user_added_by_the_beheerder_gets_one_role_and_nothing_more(login, users):
    every_permission = list(Permission.objects.values_list("pk", flat=True))
    response = login("beheerder").post("/beheer/auth/user/add/", {
        "username": "nieuw", "password1": "een-heel-nieuw-wachtwoord", "password2": "een-heel-nieuw-wachtwoord",
        "first_name": "Nieuwe", "role": "onderzoeker", "is_superuser": "on", "is_staff": "on",
        "user_permissions": every_permission, "groups": list(Group.objects.values_list("pk", flat=True))})

    assert response.status_code == 302
    user = User.objects.get(username="nieuw")
    assert not user.is_superuser and not user.is_staff and not user.user_permissions.exists()
    assert [g.name for g in user.groups.all()] == ["onderzoeker"]
    assert user.check_password("een-heel-nieuw-wachtwoord")
    event = last_event()
    assert (event.actor_label, event.action, event.object_id) == ("beheerder", "user.created", str(user.pk))
    assert event.details == {"username": "nieuw", "role": "onderzoeker"}


def test_a_user_cannot_be_added_without_a_role(login, users):
    response = login("beheerder").post("/beheer/auth/user/add/", {
        "username": "zonder", "password1": "een-heel-nieuw-wachtwoord", "password2": "een-heel-nieuw-wachtwoord"})
    assert response.status_code == 200 and not User.objects.filter(username="zonder").exists()


def test_groups_and_permissions_are_not_in_the_admin(login, users):
    client = login("beheerder")
    for url in ("/beheer/auth/group/", "/beheer/auth/group/add/", "/beheer/auth/permission/"):
        assert client.get(url).status_code == 404, url


def test_superusers_are_out_of_the_beheerders_reach(login, users, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="een-lang-supergeheim")
    client = login("beheerder")
    assert "root" not in client.get("/beheer/auth/user/").content.decode()
    assert client.get(user_url(root)).status_code == 302  # "does not exist", back to the index
    assert client.get(user_url(root, "password")).status_code == 404
    response = client.post(user_url(root, "password"), {"password1": "overgenomen-wachtwoord",
                                                        "password2": "overgenomen-wachtwoord",
                                                        "usable_password": "true"})
    assert response.status_code == 404
    assert User.objects.get(pk=root.pk).check_password("een-lang-supergeheim")


def test_users_are_blocked_not_deleted(login, users):
    client = login("beheerder")
    user = users["klantmanager"]
    assert client.get(user_url(user, "delete")).status_code == 403
    assert client.post(user_url(user, "delete"), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


# --- every change to a user is audited ------------------------------------------------------------------


def test_changing_a_role_in_the_admin_is_audited_with_the_old_and_the_new_role(login, users):
    user = users["klantmanager"]
    client = login("beheerder")

    response = client.post(user_url(user), change_form_data(user, role="beheerder"))

    assert response.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert role_of(fresh) is BEHEERDER and fresh.is_staff
    event = last_event()
    assert (event.actor_label, event.action, event.object_type, event.object_id) == \
        ("beheerder", "user.role_changed", "user", str(user.pk))
    assert event.details == {"username": "klantmanager", "fields": [], "old_role": "klantmanager",
                             "new_role": "beheerder"}

    client.post(user_url(user), change_form_data(fresh, role="onderzoeker", last_name="Jansen"))
    fresh = User.objects.get(pk=user.pk)
    assert role_of(fresh) is ONDERZOEKER and not fresh.is_staff and fresh.groups.count() == 1
    assert last_event().details == {"username": "klantmanager", "fields": ["last_name"], "old_role": "beheerder",
                                    "new_role": "onderzoeker"}


def test_blocking_a_user_is_audited(login, users):
    user = users["onderzoeker"]
    response = login("beheerder").post(user_url(user), change_form_data(user, is_active=""))
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active
    event = last_event()
    assert (event.action, event.details) == \
        ("user.changed", {"username": "onderzoeker", "fields": ["is_active"], "is_active": False})


def test_saving_an_unchanged_user_records_nothing(login, users):
    user = users["onderzoeker"]
    client = login("beheerder")  # the login is an audit event of its own
    before = AuditEvent.objects.count()
    assert client.post(user_url(user), change_form_data(user)).status_code == 302
    assert AuditEvent.objects.count() == before


def test_a_user_without_a_role_gets_one(login, users):
    user = users["zonder_rol"]
    assert login("beheerder").post(user_url(user), change_form_data(user, role="klantmanager")).status_code == 302
    assert [g.name for g in User.objects.get(pk=user.pk).groups.all()] == ["klantmanager"]
    assert last_event().details["old_role"] is None


def test_a_password_set_in_the_admin_is_audited_without_the_password(login, users):
    user = users["klantmanager"]
    new = "een-ander-wachtwoord-2024"
    response = login("beheerder").post(user_url(user, "password"), {
        "password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    fresh = User.objects.get(pk=user.pk)
    assert fresh.check_password(new)
    event = last_event()
    assert (event.actor_label, event.action, event.details) == \
        ("beheerder", "user.password_changed", {"username": "klantmanager"})
    details = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    assert new not in details and fresh.password not in details


def test_a_change_and_its_audit_event_are_one_transaction(login, users, monkeypatch):
    def broken_record(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "record", broken_record)
    user = users["klantmanager"]
    client = login("beheerder")
    with pytest.raises(RuntimeError):
        client.post(user_url(user), change_form_data(user, role="beheerder", last_name="Jansen"))
    fresh = User.objects.get(pk=user.pk)
    assert role_of(fresh) is not BEHEERDER and not fresh.is_staff and fresh.last_name == ""


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
    # Words, not substrings: a random CSRF token or static file hash may contain the letters "bsn".
    index = client.get("/beheer/").content.decode().lower()
    assert not re.search(r"\bbsn|burgerservicenummer|\bperson(en)?\b", index)


def test_the_beheerder_cannot_reach_persons_or_a_bsn_anywhere_in_the_admin(bsn_dataset, login, reachable_pages):
    client = login("beheerder")
    beheerder = User.objects.get(username="beheerder")
    for model in apps.get_app_config("registry").get_models():
        name = model._meta.model_name
        if name in CONFIGURATION_MODELS:
            continue
        assert client.get(f"/beheer/registry/{name}/").status_code == 404, name
        assert not any(beheerder.has_perm(f"registry.{action}_{name}") for action in ("view", "change")), name
    # Not by filtering a list across relations, nor through the autocomplete of a related field.
    for url in ("/beheer/registry/experiment/?enrollments__person__bsn_pseudonym__startswith=a",
                "/beheer/registry/arm/?enrollments__person__external_id=P1",
                "/beheer/auth/user/?password__startswith=md5"):
        assert client.get(url).status_code == 400, url
    autocomplete = "/beheer/autocomplete/?app_label=registry&model_name=enrollment&field_name=person&term=P"
    assert client.get(autocomplete).status_code == 403
    # Nor on any page the beheerder can reach.
    digits = bsn_dataset
    for url, html in reachable_pages("beheerder").items():
        assert digits not in html and "bsn_" not in html, url


def test_what_would_delete_data_about_persons_cannot_be_deleted_here(bsn_dataset, login):
    client = login("beheerder")
    experiment = Experiment.objects.get()
    enrollments = Enrollment.objects.count()
    page = client.get(f"/beheer/registry/experiment/{experiment.pk}/delete/").content.decode()
    listed = [str(e) for e in Enrollment.objects.all()] + [str(r) for r in ReferenceMember.objects.all()]
    assert listed and not any(text in page for text in listed)  # the persons are not listed either
    assert client.post(f"/beheer/registry/experiment/{experiment.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/beheer/registry/experiment/", {"action": "delete_selected", "post": "yes",
                                                           "_selected_action": [experiment.pk]})
    assert response.status_code == 403
    arm = Arm.objects.get(code="zelf_in_actie")
    assert client.post(f"/beheer/registry/arm/{arm.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Experiment.objects.filter(pk=experiment.pk).exists() and Arm.objects.filter(pk=arm.pk).exists()
    assert Enrollment.objects.count() == enrollments
    change = client.get(f"/beheer/registry/experiment/{experiment.pk}/change/").content.decode()
    assert "-DELETE" not in change  # no deleting the groups from the experiment's page


def test_deleting_configuration_without_persons_is_audited(login, experiment):
    arm = Arm.objects.create(experiment=experiment, position=3, code="C", name="Nog niet gebruikt",
                             rules_text="Nog geen regels.")
    response = login("beheerder").post(f"/beheer/registry/arm/{arm.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Arm.objects.filter(pk=arm.pk).exists()
    event = AuditEvent.objects.get(action="configuration.deleted")
    assert (event.actor_label, event.object_type, event.object_id, event.details) == \
        ("beheerder", "arm", str(arm.pk), {"name": "Nog niet gebruikt"})
    row = AuditEvent.objects.get(action="record.deleted", object_type="registry.arm")  # with what was deleted
    assert values_of(row)["old"]["name"] == "Nog niet gebruikt" and row.origin.startswith("web ")


@pytest.mark.parametrize("code", ["klantmanager", "projectleider", "onderzoeker"])
def test_other_roles_do_not_get_into_the_admin(login, code):
    response = login(code).get("/beheer/")
    assert response.status_code == 302 and response.url.startswith("/beheer/login/")


def test_the_audit_trail_is_read_only(login_user, django_user_model, users):
    admin = django_user_model.objects.create_superuser("super", password="een-lang-supergeheim")
    client = login_user(admin)  # with password and code, as the admin asks
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
            "disregard_regime": "standaard", "job_bonus_cents": "0", "job_bonus_condition": "",
            "job_bonus_min_hours_a_week": 0, "job_bonus_max_per_year_cents": "0,00",
            "target_contacts_per_month": 0, "allocation_ratio": 1}
    response = login("beheerder").post(f"/beheer/registry/arm/{arm.pk}/change/", data)
    assert response.status_code == 302
    arm.refresh_from_db()
    assert arm.name == "Zelf aan zet"
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.actor_label, event.action, event.object_type, event.object_id) == \
        ("beheerder", "configuration.changed", "arm", str(arm.pk))
    assert event.details == {"name": "Zelf aan zet", "fields": ["name"]}


# --- configuration that exports as a valid dataset ----------------------------------------------------------


def new_experiment_form(experiment, **overrides) -> dict:
    """What the "add experiment" form posts for a second experiment of the municipality, without groups."""
    data = {"municipality": experiment.municipality_id, "code": "vw-2", "name": "Tweede ronde",
            "period_start": "2020-01-01", "period_end": "2021-12-31", "count_date": "2021-10-01",
            "arms-TOTAL_FORMS": "0", "arms-INITIAL_FORMS": "0", "arms-MIN_NUM_FORMS": "0",
            "arms-MAX_NUM_FORMS": "1000"}
    return {**data, **overrides}


def test_a_valid_new_experiment_is_saved(login, experiment):
    response = login("beheerder").post("/beheer/registry/experiment/add/", new_experiment_form(experiment))
    assert response.status_code == 302
    assert Experiment.objects.filter(code="vw-2").exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("code", "vw 2", "Gebruik alleen letters, cijfers, '.', '_' en '-', zonder spaties."),
    ("code", "ronde/2", "Gebruik alleen letters, cijfers, '.', '_' en '-', zonder spaties."),
    ("count_date", "2022-01-01", "De teldatum moet binnen de periode van het experiment liggen."),
    ("count_date", "2019-12-31", "De teldatum moet binnen de periode van het experiment liggen."),
    ("period_end", "2019-12-31", "Het einde van de periode mag niet vóór het begin liggen."),
])
def test_the_admin_refuses_an_experiment_that_would_export_as_an_invalid_dataset(login, experiment, field, value,
                                                                                 message):
    response = login("beheerder").post("/beheer/registry/experiment/add/",
                                       new_experiment_form(experiment, **{field: value}))
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not Experiment.objects.filter(name="Tweede ronde").exists()


def test_the_admin_refuses_a_group_code_with_a_space(login, experiment):
    arm = Arm.objects.get(code="A")
    data = {"experiment": experiment.pk, "position": 1, "code": "groep A", "name": arm.name,
            "rules_text": arm.rules_text, "exempt_from_obligations": "on", "guidance_intensity": "op_verzoek",
            "disregard_regime": "standaard", "job_bonus_cents": "0", "job_bonus_condition": "",
            "job_bonus_min_hours_a_week": 0, "job_bonus_max_per_year_cents": "0,00",
            "target_contacts_per_month": 0, "allocation_ratio": 1}
    response = login("beheerder").post(f"/beheer/registry/arm/{arm.pk}/change/", data)
    assert response.status_code == 200
    assert escape("Gebruik alleen letters, cijfers, '.', '_' en '-', zonder spaties.") in response.content.decode()
    arm.refresh_from_db()
    assert arm.code == "A"


def test_the_database_refuses_a_count_date_outside_the_period(experiment):
    for count_date in (date(2017, 12, 31), date(2020, 1, 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Experiment.objects.filter(pk=experiment.pk).update(count_date=count_date)
    for count_date in (experiment.period_start, experiment.period_end):  # the period's own days are in it
        Experiment.objects.filter(pk=experiment.pk).update(count_date=count_date)
