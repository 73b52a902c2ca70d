"""The monthly run, its database constraint and its versions, corrections, and the rule tables as versioned data.
Fixture: werkstad.py (seven persons on a caseload; K3 in the group with the decree's disregard and EUR 600 of
earnings two months ago). Expected amounts are worked by hand from the rule tables (core/rules/tables.py)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.registry.models import MonthlyEarnings
from vertrouwen.web.settlement import services
from vertrouwen.web.settlement.models import BenefitNorm, DisregardRule, RuleVersion, Settlement
from vertrouwen.web.settlement.selectors import explain, rulebook

SINGLE_NORM = 136_906  # from 1 July 2025


def month_of(workspace, back: int) -> date:
    month = workspace.today.replace(day=1)
    for _ in range(back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def run(workspace, month: date):
    return services.run_month(workspace.experiment.municipality_id, month, actor="test")


def test_a_month_settles_everyone_on_benefit_under_their_groups_regime(workspace):
    month = month_of(workspace, 2)
    result = run(workspace, month)
    assert result.persons == 9  # all nine: K7's benefit ended only 10 days ago
    k3 = Settlement.objects.get(person=workspace.persons["K3"], month=month)
    # The decree: 50% of EUR 600 is EUR 300, above the maximum: EUR 199 disregarded, EUR 401 offset.
    assert (k3.regime, k3.disregarded_cents, k3.deducted_cents, k3.benefit_cents) == (
        "experiment", 19_900, 40_100, SINGLE_NORM - 40_100)
    k5 = Settlement.objects.get(person=workspace.persons["K5"], month=month)
    assert (k5.regime, k5.earnings_cents, k5.benefit_cents) == ("standard", 0, SINGLE_NORM)
    assert AuditEvent.objects.filter(action="settlement.month_run").count() == 1


def test_running_a_month_again_changes_nothing(workspace):
    month = month_of(workspace, 2)
    run(workspace, month)
    before = list(Settlement.objects.order_by("pk").values())
    again = run(workspace, month)
    assert (again.created, again.corrected, again.unchanged) == (0, 0, again.persons)
    assert list(Settlement.objects.order_by("pk").values()) == before


def test_changed_earnings_give_a_new_version_with_its_reason_never_an_overwrite(workspace):
    month = month_of(workspace, 2)
    run(workspace, month)
    first = Settlement.objects.get(person=workspace.persons["K3"], month=month)
    MonthlyEarnings.objects.filter(person=workspace.persons["K3"], month=month).update(earnings_cents=30_000)
    result = run(workspace, month)
    assert result.corrected == 1
    versions = list(Settlement.objects.filter(person=workspace.persons["K3"], month=month).order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].disregarded_cents == first.disregarded_cents == 19_900  # kept as it was
    assert versions[1].disregarded_cents == 15_000 and "inkomsten" in versions[1].reason


def test_the_database_allows_one_current_settlement_per_person_and_month(workspace):
    month = month_of(workspace, 2)
    run(workspace, month)
    current = Settlement.objects.get(person=workspace.persons["K1"], month=month)
    current.pk, current.version = None, 2
    with pytest.raises(IntegrityError), transaction.atomic():
        current.save()


def test_a_correction_names_its_reason_and_adds_a_version(workspace):
    month = month_of(workspace, 2)
    run(workspace, month)
    with pytest.raises(services.SettlementRefused, match="reden"):
        services.correct_month(workspace.pk("K3"), month, earnings_cents=30_000, reason=" ", actor="test")
    made = services.correct_month(workspace.pk("K3"), month, earnings_cents=30_000,
                                  reason="Loonstrook later ontvangen", actor="test")
    assert (made.version, made.reason, made.disregarded_cents) == (2, "Loonstrook later ontvangen", 15_000)
    assert MonthlyEarnings.objects.get(person=workspace.persons["K3"], month=month).earnings_cents == 30_000
    with pytest.raises(services.SettlementRefused, match="nog niet verrekend"):
        services.correct_month(workspace.pk("K3"), month_of(workspace, 5), earnings_cents=1, reason="x",
                               actor="test")


def test_every_settlement_explains_itself(workspace):
    month = month_of(workspace, 2)
    run(workspace, month)
    lines = explain(Settlement.objects.get(person=workspace.persons["K3"], month=month)).lines
    text = "\n".join(lines)
    assert "Experimentele vrijlating" in text and "vrijgelaten: het maximum € 199,00" in text
    assert "Verrekend met de uitkering: € 600,00 − € 199,00 = € 401,00." in text


def test_the_standard_counter_runs_on_from_month_to_month(workspace):
    """K1 (exempt group, standard disregard, age 41) earns EUR 400 four months running: 25% = EUR 100 each month,
    and the counter goes 1, 2, 3, 4."""
    for back in (5, 4, 3, 2):
        MonthlyEarnings.objects.create(person=workspace.persons["K1"], month=month_of(workspace, back),
                                       earnings_cents=40_000)
        run(workspace, month_of(workspace, back))
    rows = list(Settlement.objects.filter(person=workspace.persons["K1"]).order_by("month")
                .values_list("disregarded_cents", "months_used"))
    assert rows == [(10_000, 1), (10_000, 2), (10_000, 3), (10_000, 4)]


def test_a_month_without_a_norm_is_refused_whole(workspace):
    BenefitNorm.objects.filter(household_type="alleenstaande").delete()
    with pytest.raises(services.SettlementRefused, match="geen bijstandsnorm alleenstaande"):
        run(workspace, month_of(workspace, 1))
    assert not Settlement.objects.exists()


def test_rule_tables_are_data_and_every_version_is_kept(workspace):
    assert rulebook().norm("alleenstaande", workspace.today).cents == SINGLE_NORM
    norm = BenefitNorm.objects.get(household_type="alleenstaande", valid_from=date(2025, 7, 1))
    norm.cents, norm.confirmed = 137_000, True
    services.save_rule(norm, actor="test", changed=["cents", "confirmed"])
    assert rulebook().norm("alleenstaande", workspace.today).cents == 137_000
    history = list(RuleVersion.objects.filter(table="benefitnorm", row_id=norm.pk).order_by("version")
                   .values_list("version", "values__cents"))
    assert history == [(1, SINGLE_NORM), (2, 137_000)]
    assert AuditEvent.objects.filter(action="rules.saved", object_id=str(norm.pk)).exists()
    # Every shipped value says where it comes from.
    assert not DisregardRule.objects.filter(source="").exists() and not BenefitNorm.objects.filter(source="").exists()
