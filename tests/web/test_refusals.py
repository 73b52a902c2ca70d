"""One shape for every refusal: problems with their place as data, shown at their fields."""

import pytest
from django import forms

from vertrouwen.web import refusals
from vertrouwen.web.api.delivery import DeliveryRefused
from vertrouwen.web.casework.services import Refused as CaseworkRefused
from vertrouwen.web.datasets.importing import ImportRefused
from vertrouwen.web.lottery.services import LotteryRefused
from vertrouwen.web.refusals import Problem, Refused, show_at_fields
from vertrouwen.web.settlement.services import SettlementRefused
from vertrouwen.web.surveys.services import SurveyRefused


class OneField(forms.Form):
    earnings = forms.IntegerField()


def test_every_service_refuses_in_one_shape():
    for refusal in (LotteryRefused, SettlementRefused, SurveyRefused, DeliveryRefused, CaseworkRefused,
                    ImportRefused):
        assert issubclass(refusal, Refused)


def test_a_problem_keeps_its_field_and_line_as_data_and_says_them():
    refused = DeliveryRefused([Problem("geen datum", "spell_start", 3), Problem("leeg")])
    assert [(p.field, p.line) for p in refused.problems] == [("spell_start", 3), (None, None)]
    assert str(refused) == "Levering geweigerd, er is niets opgeslagen: regel 3: geen datum; leeg"
    assert str(Problem("te groot", file="persons.csv", line=7)) == "persons.csv, regel 7: te groot"


def test_problems_given_per_field_or_as_text_become_problems():
    assert Refused({"earnings": "Te veel.", None: "Niets geschreven."}).by_field() == {
        "earnings": "Te veel.", None: "Niets geschreven."}
    assert Refused("Eén probleem.").problems == [Problem("Eén probleem.")]


def test_a_form_shows_each_problem_at_its_field_and_counts_the_rest():
    form = OneField({"earnings": "1"})
    assert form.is_valid()
    many = [Problem("Te veel.", "earnings"), Problem("Onbekend veld.", "nope")] + [
        Problem(f"persoon P{i}") for i in range(refusals.PROBLEMS_SHOWN + 5)]
    show_at_fields(form, Refused(many), "en nog %(count)s")
    assert form.errors["earnings"] == ["Te veel."]
    assert form.non_field_errors()[0] == "Onbekend veld."  # a field the form does not have: above the form
    assert form.non_field_errors()[-1] == "en nog 7"


def test_the_message_names_the_first_problems_and_how_many_more():
    refused = LotteryRefused([f"persoon P{i}" for i in range(refusals.PROBLEMS_SHOWN + 3)])
    assert str(refused).startswith("Loting geweigerd, er is niets vastgelegd: persoon P0; persoon P1")
    assert str(refused).endswith("; en nog 3")


@pytest.mark.django_db
def test_the_actor_is_made_once_from_a_user_a_label_or_the_request():
    from django.contrib.auth import get_user_model

    from vertrouwen.web.audit.actor import Actor

    user = get_user_model().objects.create_user("km1")

    class Request:  # the request's actor resolves to the signed-in user only when asked
        def resolve(self):
            return user

    assert Actor.of(user) == Actor("km1", user.pk) == Actor.of(Request()) == Actor.of(Actor.of(user))
    assert Actor.of("systeem:import") == Actor("systeem:import", None)
