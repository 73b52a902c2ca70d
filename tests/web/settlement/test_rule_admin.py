"""The beheerder types amounts in euros and percentages as people write them; they are stored in cents and basis
points, and bad input is named at its field."""

from datetime import date

import pytest
from django.utils import timezone

from vertrouwen.web.settlement.admin import BenefitNormForm, DisregardRuleForm
from vertrouwen.web.settlement.models import DisregardRule

RULE = {"regime": "standard", "valid_from": "2026-01-01", "percent_bp": "25", "max_cents": "€ 202,00",
        "max_months": "6", "min_age": "27", "source": "Stcrt.", "confirmed": ""}


def test_euros_and_percentages_as_people_write_them(db):
    form = DisregardRuleForm({**RULE, "percent_bp": "12,5 %", "max_cents": "1.308,45"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["percent_bp"], form.cleaned_data["max_cents"]) == (1250, 130_845)
    shown = DisregardRuleForm(instance=DisregardRule(percent_bp=1250, max_cents=20_200))
    assert 'value="12,5"' in str(shown["percent_bp"]) and 'value="202,00"' in str(shown["max_cents"])


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"max_cents": "1.000"}, "max_cents", "dubbelzinnig"),  # a thousand euros or one: never read as one euro
    ({"max_cents": "-5"}, "max_cents", "negatief"),
    ({"percent_bp": "101"}, "percent_bp", "meer dan 100%"),
    ({"percent_bp": "veel"}, "percent_bp", "geen percentage"),
    ({"valid_from": "2014-07-01"}, "valid_from", "1 januari 2015"),
    ({"valid_until": "2025-01-01"}, "valid_until", "na de dag"),
])
def test_bad_input_is_named_at_its_field(db, change, field, message):
    form = DisregardRuleForm({**RULE, **change})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_the_holiday_allowance_is_part_of_the_norm(db):
    form = BenefitNormForm({"household_type": "alleenstaande", "valid_from": "2026-01-01", "cents": "1.369,06",
                            "holiday_cents": "1.400,00", "source": "Stcrt."})
    assert not form.is_valid() and "holiday_cents" in form.errors


def test_the_beheerder_sees_missing_amounts_and_the_changes_of_the_law_around_now(login, monkeypatch):
    """On 7 December 2026: the shipped tables end with 1 July 2025 (tables.py); the changes of Participatiewet in
    balans (1 January 2026 and 2027) are within a year."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 7))
    html = login("beheerder").get("/beheerder/").content.decode()
    assert 'id="rule-tables-status"' in html and "01-01-2026" in html
    changes = html.split('id="law-changes"')[1].split("</details>")[0]
    assert "Gedoogjaar 2026" in changes and "Meer bijverdienen voor jongeren" in changes
