"""The monthly run, its database constraint and its versions, corrections, and the rule tables as versioned data.
Fixture: werkstad.py (seven persons on a caseload; K3 in the group with the decree's disregard and EUR 600 of
earnings two months ago). Expected amounts are worked by hand from the rule tables (core/rules/tables.py)."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from vertrouwen.core.rules import YOUNG_DISREGARD_FROM, used_before
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.casework.selectors import participant_file
from vertrouwen.web.registry.models import Arm, MonthlyEarnings, Municipality, Person
from vertrouwen.web.settlement import services
from vertrouwen.web.settlement.models import BenefitNorm, DisregardRule, RuleVersion, Settlement
from vertrouwen.web.settlement.selectors import explain, history_of, months_used_by, rulebook

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
    # K3's group has the decree's disregard, but the decree lapsed on 1 April 2021 (Stb. 2017, 69): the month is
    # settled by the standard disregard (art. 31 lid 2 sub n Pw), 25% of EUR 600 = EUR 150, below the maximum.
    assert (k3.regime, k3.disregarded_cents, k3.deducted_cents, k3.benefit_cents) == (
        "standard", 15_000, 45_000, SINGLE_NORM - 45_000)
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
    assert versions[0].disregarded_cents == first.disregarded_cents == 15_000  # kept as it was
    assert versions[1].disregarded_cents == 7_500 and "inkomsten" in versions[1].reason  # 25% of EUR 300


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
    assert (made.version, made.reason, made.disregarded_cents) == (2, "Loonstrook later ontvangen", 7_500)
    assert MonthlyEarnings.objects.get(person=workspace.persons["K3"], month=month).earnings_cents == 30_000
    with pytest.raises(services.SettlementRefused, match="nog niet verrekend"):
        services.correct_month(workspace.pk("K3"), month_of(workspace, 5), earnings_cents=1, reason="x",
                               actor="test")


def test_every_settlement_explains_itself(workspace):
    month = month_of(workspace, 2)
    run(workspace, month)
    lines = explain(Settlement.objects.get(person=workspace.persons["K3"], month=month)).lines
    text = "\n".join(lines)
    assert "Standaard vrijlating (art. 31 lid 2 sub n Pw): 25% van € 600,00 vrijgelaten: € 150,00." in text
    assert "Verrekend met de uitkering: € 600,00 − € 150,00 = € 450,00." in text
    # A month of 2026 is settled with older amounts (the sub n maximum of 1 January 2025 is missing), and says so.
    assert "Let op: de bedragen per 01-01-2025 ontbreken in de regeltabellen" in text


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


def k1_counters(workspace) -> list[tuple[int, int]]:
    return list(Settlement.objects.filter(person=workspace.persons["K1"], is_current=True).order_by("month")
                .values_list("disregarded_cents", "months_used"))


def test_months_run_out_of_order_or_with_a_gap_come_out_as_in_order(workspace):
    """Art. 31 lid 2 sub n: at most six months. K1 earns EUR 400 in eight months; run backwards, and with a month
    skipped and run last, the counters are those of the months run in order: 1 to 6, then nothing disregarded."""
    backs = range(9, 1, -1)
    for back in backs:
        MonthlyEarnings.objects.create(person=workspace.persons["K1"], month=month_of(workspace, back),
                                       earnings_cents=40_000)
    expected = [(10_000, n) for n in range(1, 7)] + [(0, 6), (0, 6)]
    for back in sorted(backs):  # newest first: every later month follows when an earlier one is settled
        run(workspace, month_of(workspace, back))
    assert k1_counters(workspace) == expected
    assert Settlement.objects.filter(person=workspace.persons["K1"], reason__startswith="Gevolg van correctie")\
        .exists()
    Settlement.objects.all().delete()
    for back in [b for b in backs if b != 6] + [6]:  # in order, but one month forgotten and run last
        run(workspace, month_of(workspace, back))
    assert k1_counters(workspace) == expected


def test_a_correction_flows_on_to_the_later_months(workspace):
    """K1 earns EUR 400 in seven months (1-6 disregarded, the seventh not); the first is corrected to nothing:
    the months after it each use one month less, and the seventh now gets its disregard."""
    backs = range(8, 1, -1)
    for back in backs:
        MonthlyEarnings.objects.create(person=workspace.persons["K1"], month=month_of(workspace, back),
                                       earnings_cents=40_000)
        run(workspace, month_of(workspace, back))
    assert k1_counters(workspace)[-1] == (0, 6)
    services.correct_month(workspace.pk("K1"), month_of(workspace, 8), earnings_cents=0,
                           reason="Geen inkomsten: loonstrook van een andere maand", actor="test")
    assert k1_counters(workspace) == [(0, 0)] + [(10_000, n) for n in range(1, 7)]
    last = Settlement.objects.get(person=workspace.persons["K1"], month=month_of(workspace, 2), is_current=True)
    assert last.version == 2 and last.reason.startswith(f"Gevolg van correctie van {month_of(workspace, 8):%m-%Y}")


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


def test_shipping_new_tables_keeps_what_a_beheerder_changed(db):
    """Migration 0005 brings the rule tables to core/rules/tables.py: a row only the installation wrote follows the
    shipped value; a row a beheerder changed stays; a row no longer shipped goes, unless a beheerder changed it."""
    from importlib import import_module

    from django.apps import apps

    sync = import_module("vertrouwen.web.settlement.migrations.0005_shipped_rule_tables_from_2015").sync
    edited = BenefitNorm.objects.get(household_type="alleenstaande", valid_from=date(2025, 7, 1))
    edited.cents = 137_000
    services.save_rule(edited, actor="beheerder", changed=["cents"])
    drifted = BenefitNorm.objects.get(household_type="alleenstaande", valid_from=date(2024, 7, 1))
    BenefitNorm.objects.filter(pk=drifted.pk).update(cents=1)  # as an older installation shipped it
    stale = DisregardRule.objects.create(regime="standard", valid_from=date(2017, 1, 1), percent_bp=2500,
                                         max_cents=19_900, source="oud")
    sync(apps, None)
    assert BenefitNorm.objects.get(pk=edited.pk).cents == 137_000
    assert BenefitNorm.objects.get(pk=drifted.pk).cents == 130_845  # Gemeente Velsen, 1 July 2024
    assert not DisregardRule.objects.filter(pk=stale.pk).exists()


def test_earnings_declared_after_the_run_resettle_the_month_at_once(workspace):
    """K1's month was settled without earnings; the case manager then declares EUR 400: the month gets a new
    version at once (25% = EUR 100 disregarded), without waiting for the next run."""
    from vertrouwen.web.casework.services import declare_earnings

    month = month_of(workspace, 2)
    run(workspace, month)
    declare_earnings(workspace.pk("K1"), month=month, earnings_cents=40_000, hours=None, today=workspace.today,
                     actor="test")
    current = Settlement.objects.get(person=workspace.persons["K1"], month=month, is_current=True)
    assert (current.version, current.disregarded_cents, current.reason) == (
        2, 10_000, "Inkomsten opgegeven na de verrekening.")


def k1_bonuses(workspace) -> list[int]:
    return list(Settlement.objects.filter(person=workspace.persons["K1"], is_current=True).order_by("month")
                .values_list("bonus_cents", flat=True))


def test_the_job_bonus_is_paid_once_per_exit_to_work_within_its_yearly_maximum(workspace):
    """The group's bonus: EUR 500 for each end of benefit for work with 27 hours a week or more (27 x 52 / 12 = 117
    hours in the month of exit), at most EUR 500 a year. K1 leaves for work twice, four and two months ago, with
    130 hours each time; K2 (no bonus in their group) leaves with the same hours."""
    Arm.objects.filter(pk=workspace.arms["EXEMPT"].pk).update(
        job_bonus_cents=50_000, job_bonus_min_hours_a_week=27, job_bonus_max_per_year_cents=50_000)
    k1 = workspace.persons["K1"]
    k1.benefit_spells.all().delete()
    starts = [workspace.today - timedelta(days=730), month_of(workspace, 4) + timedelta(days=20),
              month_of(workspace, 2) + timedelta(days=20)]
    ends = [month_of(workspace, 4) + timedelta(days=14), month_of(workspace, 2) + timedelta(days=14), None]
    for start, end in zip(starts, ends, strict=True):
        k1.benefit_spells.create(spell_start=start, spell_end=end, end_reason="werk" if end else "")
    for back in (4, 2):
        MonthlyEarnings.objects.create(person=k1, month=month_of(workspace, back), earnings_cents=90_000, hours=130)
    second = 0 if month_of(workspace, 4).year == month_of(workspace, 2).year else 50_000  # the yearly maximum
    for back in (4, 3, 2):
        run(workspace, month_of(workspace, back))
    assert k1_bonuses(workspace) == [50_000, 0, second]  # never in the month between, on benefit without an exit
    line = explain(Settlement.objects.get(person=k1, month=month_of(workspace, 4)))
    assert "Premie bij uitstroom naar werk: € 500,00." in line.lines

    Settlement.objects.all().delete()  # run backwards: the year's first exit still gets it, as in order
    for back in (2, 3, 4):
        run(workspace, month_of(workspace, back))
    assert k1_bonuses(workspace) == [50_000, 0, second]

    MonthlyEarnings.objects.filter(person=k1, month=month_of(workspace, 4)).update(hours=116)  # 26.8 hours a week
    run(workspace, month_of(workspace, 4))
    assert k1_bonuses(workspace) == [0, 0, 50_000]  # the second exit is now the year's first that qualifies


def test_the_colleges_decision_on_sub_n_is_followed_from_its_date(workspace):
    """Art. 31 lid 2 sub n: only where the college judges it helps towards work. K1 earns EUR 400 in two months
    (25% = EUR 100 each); a decision not to grant it from the second month settles that month again without it;
    the first stays as it was."""
    k1 = workspace.persons["K1"]
    first, second = month_of(workspace, 3), month_of(workspace, 2)
    for month in (first, second):
        MonthlyEarnings.objects.create(person=k1, month=month, earnings_cents=40_000)
        run(workspace, month)
    with pytest.raises(services.SettlementRefused, match="reden"):
        services.decide_sub_n(k1.pk, granted=False, valid_from=second, reason="  ", actor="test")
    with pytest.raises(services.SettlementRefused, match="hoogstens 500"):
        services.decide_sub_n(k1.pk, granted=False, valid_from=second, reason="x" * 501, actor="test")
    with pytest.raises(services.SettlementRefused, match="1 januari 2015"):
        services.decide_sub_n(k1.pk, granted=False, valid_from=date(2014, 12, 31), reason="x", actor="test")
    assert not k1.sub_n_decisions.exists()

    services.decide_sub_n(k1.pk, granted=False, valid_from=second + timedelta(days=10),
                          reason="Werkt al voltijds bij dezelfde werkgever", actor="test")
    assert k1_counters(workspace) == [(10_000, 1), (0, 1)]
    changed = Settlement.objects.get(person=k1, month=second, is_current=True)
    assert changed.version == 2 and changed.reason.startswith("Besluit vrijlating sub n (niet toegekend vanaf")
    assert AuditEvent.objects.filter(action="settlement.sub_n_decided", object_id="K1").exists()
    assert any("niet toegekend door het college" in line for line in explain(changed).lines)
    run(workspace, second)  # the monthly run follows the decision too: nothing changes
    assert k1_counters(workspace) == [(10_000, 1), (0, 1)]


def test_a_municipality_that_grants_sub_n_only_by_decision(workspace):
    k1 = workspace.persons["K1"]
    Municipality.objects.filter(pk=k1.municipality_id).update(grants_sub_n=False)
    month = month_of(workspace, 2)
    MonthlyEarnings.objects.create(person=k1, month=month, earnings_cents=40_000)
    run(workspace, month)
    assert k1_counters(workspace) == [(0, 0)]
    services.decide_sub_n(k1.pk, granted=True, valid_from=month, reason="Helpt naar werk", actor="test")
    assert k1_counters(workspace) == [(10_000, 1)]


def test_a_municipality_applies_the_disregard_under_27_early_in_the_tolerance_year(workspace):
    """Participatiewet in balans: the disregard holds under 27 from 1 January 2027; in 2026 a municipality may start
    earlier. K1, 24, earns EUR 400 (25% = EUR 100)."""
    k1 = workspace.persons["K1"]
    Person.objects.filter(pk=k1.pk).update(birth_year=workspace.today.year - 24)
    month = month_of(workspace, 2)
    MonthlyEarnings.objects.create(person=k1, month=month, earnings_cents=40_000)
    run(workspace, month)
    by_law = 10_000 if month >= YOUNG_DISREGARD_FROM else 0  # art. 31 lid 7 until then
    assert k1_counters(workspace)[0][0] == by_law
    Municipality.objects.filter(pk=k1.municipality_id).update(young_disregard_from=date(2026, 1, 1))
    run(workspace, month)
    assert k1_counters(workspace)[0][0] == (10_000 if month >= date(2026, 1, 1) else 0)


def test_the_monthly_runs_count_equals_the_cores_count_from_the_history(workspace):
    """months_used_by (SQL, the monthly run) and rules.used_before (the participant page, the calculator) count the
    same: K1, a single parent, earns in eleven of the last fourteen months; after six months of sub n comes sub r,
    one consecutive period (art. 31 lid 2 sub r), which runs on in the months without earnings."""
    k1 = workspace.persons["K1"]
    Person.objects.filter(pk=k1.pk).update(household_type="alleenstaande_ouder")
    backs = [b for b in range(14, 0, -1) if b not in (11, 6, 3)]
    for back in backs:
        MonthlyEarnings.objects.create(person=k1, month=month_of(workspace, back), earnings_cents=60_000)
    for back in range(14, 0, -1):
        run(workspace, month_of(workspace, back))
    book = rulebook(k1.municipality_id)
    history = history_of(k1)
    assert {regime for _, regime, _ in history} == {"standard", "single_parent"}
    for back in range(14, 0, -1):
        month = month_of(workspace, back)
        sql = months_used_by([k1.pk], month, book)
        core = used_before(book, history, month)
        assert {regime: sql.get((k1.pk, regime), 0) for regime in core} == core
    # The participant page says that sub r now applies.
    summary = participant_file(k1.pk, workspace.today, case_manager_id=None).disregard_summary
    assert summary.startswith("Vrijlating alleenstaande ouder (art. 31 lid 2 sub r Pw): 12,5% van de inkomsten")
