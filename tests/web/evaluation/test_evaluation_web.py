"""The researcher's evaluation page: who may see it, that it shows what core.evaluation.evaluate computes for the
same register (formatted the Dutch way, as the readings do), the notes when something cannot be shown yet, the
interim evaluation of a running experiment, and that a computed evaluation is reused until the data change.

The expected numbers come from evaluate() on the register's own dataset (datasets.experiment_dataset);
the synthetic municipality is generated at size XS (60 participants, 60 reference)."""

import csv
import html as html_text
import math
import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from vertrouwen.core.dataset import write_dataset
from vertrouwen.core.evaluation import evaluate, evaluate_with, reading
from vertrouwen.core.evaluation.plan import AnalysisPlan
from vertrouwen.core.evaluation.settings import PERMUTATIONS, SEED
from vertrouwen.core.formatting import dutch_decimal, dutch_number, dutch_percentage
from vertrouwen.core.simulation import generate
from vertrouwen.web.audit.services import record
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.evaluation import services
from vertrouwen.web.evaluation.models import StoredEvaluation
from vertrouwen.web.lottery.models import Draw, PlanVersion
from vertrouwen.web.registry.models import Experiment, Person, SurveyResponse

# --- the data ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "voorbeeldstad-xs"
    write_dataset(folder, generate(size="XS", seed=SEED))
    return folder


@pytest.fixture
def wageningen(db, synthetic_folder) -> Experiment:
    """The Wageningen design, finished (count date 1 October 2019), imported from the synthetic municipality."""
    import_dataset(synthetic_folder, actor="test")
    return Experiment.objects.get()


@pytest.fixture
def evaluations(monkeypatch):
    """Every call of evaluate() the page makes, with its arguments."""
    calls = []

    def counting(dataset, settings, progress=None):
        calls.append({"permutations": settings.permutations, "seed": settings.seed, "strata": settings.strata,
                      "as_of": settings.as_of})
        return evaluate_with(dataset, settings, progress)

    monkeypatch.setattr(services, "evaluate_with", counting)
    return calls


# --- reading the page -------------------------------------------------------------------------------------


def cell(page: str, table: str, row: str, figure: str) -> tuple[str, str]:
    """The number in a table cell and the smaller text under it (an interval, or what it is of)."""
    part = page.split(f'id="{table}"')[1].split("</table>")[0].split(f'data-arm="{html_text.escape(row)}"')[1]
    part = part.split("</tr>")[0]
    content = part.split(f'data-figure="{figure}">')[1].split("</td>")[0]
    detail = re.search(r'<span class="vt-ci">([^<]*)</span>', content)
    return html_text.unescape(content.split("<")[0].strip()), html_text.unescape(detail.group(1)) if detail else ""


# What could not be estimated (an infinite interval, no p-value) is shown as a dash.
def missing(value) -> bool:
    return value is None or not math.isfinite(value)


def share(value) -> str:
    return dutch_percentage(value)


def points(value) -> str:
    return reading.signed(100 * value, 1)


def p(value) -> str:
    return "–" if missing(value) else "<\u00a00,001" if value < 0.001 else dutch_decimal(value, 3)


def interval(row, shown=points) -> str:
    if missing(row.conf_low) or missing(row.conf_high):
        return "–"
    return f"{shown(row.conf_low)} tot {shown(row.conf_high)}"


def shown(text: str) -> str:
    """A reading as it stands in the HTML."""
    return html_text.escape(text)


# --- access -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "status"), [("onderzoeker", 200), ("projectleider", 200), ("klantmanager", 403),
                                                  ("beheerder", 403), ("zonder_rol", 403)])
def test_only_the_researcher_and_the_project_lead(experiment, login, username, status):
    client = login(username)
    assert client.get(f"/evaluatie/{experiment.pk}/").status_code == status
    assert client.get("/evaluatie/").status_code == (302 if status == 200 else 403)


def test_anonymous_users_are_sent_to_the_login_page(experiment, client):
    response = client.get(f"/evaluatie/{experiment.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_the_menu_has_evaluation_after_monitor_and_the_index_goes_to_the_current_experiment(experiment, login):
    client = login("projectleider")
    response = client.get("/evaluatie/")
    assert response.status_code == 302 and response["Location"] == f"/evaluatie/{experiment.pk}/"
    page = client.get(response["Location"]).content.decode()
    menu = page.split('vt-nav__list">')[1].split("</ul>")[0]
    assert menu.index(">Monitor<") < menu.index(">Evaluatie<")
    assert 'href="/evaluatie/" aria-current="page"' in menu
    assert "/evaluatie/" not in login("klantmanager").get("/klantmanager/").content.decode()


# --- the numbers ------------------------------------------------------------------------------------------


def test_the_page_shows_what_evaluate_computes(wageningen, login, evaluations):
    page = login("onderzoeker").get(f"/evaluatie/{wageningen.pk}/").content.decode()
    e = evaluate(experiment_dataset(wageningen), permutations=PERMUTATIONS, seed=SEED)
    assert evaluations == [{"permutations": PERMUTATIONS, "seed": SEED, "strata": (), "as_of": date(2019, 10, 1)}]
    assert "10.000 permutaties, seed 2017" in page and "Tussentijdse evaluatie" not in page
    # How the re-draws re-did the lottery (the register records each allocation's block), and that no plan was given.
    assert e.randomization_scheme.startswith("De herlotingen doen de loting over zoals die trok")
    assert shown(e.randomization_scheme) in page
    assert "Niet opgegeven: alle schattingen zijn verkennend (niet vooraf vastgelegd)." in page
    for heading in ("1. Balans na de loting", "2. Effecten (intention to treat)", "3. Tijd tot uitstroom en "
                    "herinstroom", "4. Vragenlijsten", "5. Vergelijking met de referentiegroep", "6. Subgroepen"):
        assert heading in page

    # 1. Balance: shares, SMDs (flagged above 0.1) and the joint test, for everyone allocated and per wave.
    assert set(e.balance) == {"toegewezen", "vragenlijst ronde 0", "vragenlijst ronde 1"}
    for population, table in e.balance.items():
        key = population.replace(" ", "-")
        for row in table.rows:
            level = f"{row.covariate}={row.level}" if row.level is not None else row.covariate
            value = share(row.mean) if row.level is not None else dutch_decimal(row.mean, 1)
            assert cell(page, f"balance-{key}", level, row.arm)[0] == value
            if row.smd is not None:
                assert cell(page, f"balance-{key}", level, f"smd-{row.arm}")[0] == reading.signed(row.smd, 2)
        flagged = page.split(f'id="balance-{key}"')[1].split("</table>")[0].count("vt-flag__mark")
        assert flagged == len(table.imbalanced)
        for test in (r for r in e.balance_tests if r.outcome == f"balance:{population}"):
            assert cell(page, f"balance-test-{key}", test.contrast, "p")[0] == p(test.p_value)
        assert shown(reading.read_balance(e, population)) in page

    # 2. Effects: every outcome and contrast, every method.
    for outcome in ("exit_to_work", "net_exit_to_work", "work_27h", "work_12h", "parttime_earnings"):
        for contrast in e.contrasts:
            code = contrast.code
            treated, other = reading.shares(e, outcome, code)
            assert cell(page, f"effect-{outcome}", code, "share")[0] == share(treated)
            assert cell(page, f"effect-{outcome}", code, "share-control")[0] == share(other)
            simple = e.row("difference_in_proportions", outcome, code)
            assert cell(page, f"effect-{outcome}", code, "difference") == (points(simple.estimate), interval(simple))
            lpm = e.row("lpm_hc2", outcome, code)
            assert cell(page, f"effect-{outcome}", code, "lpm") == (points(lpm.estimate), interval(lpm))
            assert cell(page, f"effect-{outcome}", code, "lpm-p")[0] == p(lpm.p_value)
            mde = e.row("mde", outcome, code)
            assert cell(page, f"effect-{outcome}", code, "mde")[0] == (dutch_decimal(100 * mde.estimate, 1) if mde
                                                                        else "–")
            for method, figure in (("holm", "holm"), ("benjamini_hochberg", "bh"), ("randomization_inference", "ri"),
                                   ("fisher_exact", "fisher")):
                row = e.row(method, outcome, code)
                assert cell(page, f"checks-{outcome}", code, figure)[0] == (p(row.p_value) if row else "–")
            # Holm over the family of single arms whose model gave a p-value (a sparse outcome may give none).
            family = [c for c in e.contrasts if not c.pooled and (r := e.row("lpm_hc2", outcome, c.code))
                      and r.p_value is not None and math.isfinite(r.p_value)]
            assert (e.row("holm", outcome, code) is not None) == (contrast in family and len(family) >= 2)
            odds = e.row("logit_hc2", outcome, code)
            assert cell(page, f"checks-{outcome}", code, "or") == (
                (dutch_decimal(odds.estimate, 2), interval(odds, lambda v: dutch_decimal(v, 2))) if odds else ("–", ""))
            assert shown(reading.read_effect(e, outcome, code)) in page
    assert "voor de familie van groepen die met de controlegroep worden vergeleken" in page
    assert page.count('id="forest-') == 2 and page.count("<svg") >= 3

    # 3. Time to exit.
    for arm in e.arms:
        row = e.row("cumulative_incidence", "exit_to_work", arm)
        assert cell(page, "incidence", arm, "incidence") == (share(row.estimate), interval(row, share))
        for months in (6, 12):
            back = e.row("share", f"reentry_{months}m", arm)
            if back is not None:
                assert cell(page, "reentry", arm, f"reentry-{months}") == (
                    share(back.estimate), f"{dutch_number(round(back.estimate * back.n))} van {dutch_number(back.n)}")
    for contrast in e.contrasts:
        hr = e.row("cox_hr", "exit_to_work", contrast.code)
        if hr is None:  # a group without exits has no hazard ratio
            assert cell(page, "hazard", contrast.code, "hr")[0] == "–"
            continue
        assert cell(page, "hazard", contrast.code, "hr") == (dutch_decimal(hr.estimate, 2),
                                                             interval(hr, lambda v: dutch_decimal(v, 2)))
        assert shown(reading.read_hazard(e, contrast.code)) in page
    assert 'id="chart-incidence"' in page and "Maanden sinds de toewijzing" in page
    assert re.search(r"<title>[^<]*, maand 12: [0-9]+,[0-9]%", page)  # each month's value on hover

    # 4. Questionnaires: response and its test per wave, ANCOVA, change and IPW per instrument, means per wave.
    for wave in (0, 1):
        for arm in e.arms:
            row = e.row("share", f"response:wave{wave}", arm)
            assert cell(page, "response", arm, f"wave{wave}")[0] == share(row.estimate)
        test = e.row("response_chi2", f"response:wave{wave}", "arms")
        assert cell(page, "response", "chi2", f"wave{wave}")[0] == p(test.p_value)
    for row in e.rows("ancova_hc2") + e.rows("change_hc2") + e.rows("ancova_ipw"):
        name = {"ancova_hc2": "ancova", "change_hc2": "change", "ancova_ipw": "ipw"}[row.method]
        assert cell(page, f"questionnaire-{row.outcome}", row.contrast, name) == (
            reading.signed(row.estimate, 2), interval(row, lambda v: reading.signed(v, 2)))
    for row in e.rows("mean"):
        instrument, wave = row.outcome.split(":")
        assert cell(page, f"means-{instrument}", row.contrast, wave)[0] == dutch_decimal(row.estimate, 2)

    # 5. The reference group, with its warning.
    assert shown(reading.SELF_SELECTION_WARNING) in page
    for row in e.rows("psm_att"):
        assert cell(page, "reference", row.contrast, "psm") == (points(row.estimate), interval(row))
        ipw = e.row("ipw_att", "exit_to_work", row.contrast)
        assert cell(page, "reference", row.contrast, "ipw") == (points(ipw.estimate), interval(ipw))
        unmatched = e.row("psm_unmatched", "exit_to_work", row.contrast)
        assert cell(page, "reference", row.contrast, "unmatched") == (dutch_number(round(unmatched.estimate)),
                                                                       f"van {dutch_number(unmatched.n)}")
        before = max(abs(r.estimate) for r in e.rows("smd_unadjusted") if r.contrast == row.contrast)
        after = max(abs(r.estimate) for r in e.rows("smd_matched") if r.contrast == row.contrast)
        assert cell(page, "reference", row.contrast, "smd-before")[0] == dutch_decimal(before, 2)
        assert cell(page, "reference", row.contrast, "smd-matched")[0] == dutch_decimal(after, 2)
        assert shown(reading.read_reference(e, row.contrast)) in page

    # 6. Heterogeneity, marked exploratory.
    assert "Verkennend</span>" in page
    for row in e.rows("subgroup_difference"):
        modifier, level = row.outcome.split("|")[1].split("=")
        assert cell(page, f"heterogeneity-{modifier}", level, row.contrast)[0] == points(row.estimate)
    for row in e.rows("interaction_wald"):
        modifier = row.outcome.split("|")[1]
        assert cell(page, f"heterogeneity-{modifier}", "interaction", row.contrast)[0] == p(row.p_value)
        assert shown(reading.read_interaction(e, modifier, row.contrast)) in page


def test_the_self_selection_warning_stands_above_the_reference_comparison(wageningen, login):
    page = login("projectleider").get(f"/evaluatie/{wageningen.pk}/").content.decode()
    section = page.split('id="referentiegroep"')[1]
    assert section.index(shown(reading.SELF_SELECTION_WARNING)) < section.index('id="reference"')
    assert "Niet gerandomiseerd" in section


# --- what cannot be shown ---------------------------------------------------------------------------------


def test_without_a_control_group_the_page_says_so(experiment, login):
    # conftest's experiment has the groups A and B, neither of them a control group.
    page = login("onderzoeker").get(f"/evaluatie/{experiment.pk}/").content.decode()
    notes = page.split('id="notes"')[1].split("</ul>")[0]
    assert "geen controlegroep" in notes
    assert 'id="effecten"' not in page and 'id="balance-toegewezen"' not in page


def test_with_only_the_baseline_questionnaire_the_page_says_so(wageningen, login):
    SurveyResponse.objects.exclude(wave=0).delete()
    page = login("onderzoeker").get(f"/evaluatie/{wageningen.pk}/").content.decode()
    notes = page.split('id="notes"')[1].split("</ul>")[0]
    assert "Alleen de nulmeting is ingevuld" in notes
    assert 'id="effect-exit_to_work"' in page  # the rest is there
    assert 'id="questionnaire-' not in page and 'id="means-levenstevredenheid"' in page


def test_a_failing_computation_is_told_kept_as_failed_and_tried_again_on_asking(wageningen, login, monkeypatch,
                                                                               evaluations):
    def failing(dataset, settings, progress=None):
        raise ValueError("`ps` must include only numbers between 0 and 1.")

    monkeypatch.setattr(services, "evaluate_with", failing)
    client = login("onderzoeker")
    response = client.get(f"/evaluatie/{wageningen.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "De evaluatie kon voor deze datum niet worden berekend" in page
    assert f'href="/evaluatie/{wageningen.pk}/?opnieuw=1"' in page  # "Opnieuw proberen"
    failed = StoredEvaluation.objects.get()
    assert failed.status == "failed" and "ps" in failed.error and failed.result == ""
    assert client.get(f"/evaluatie/{wageningen.pk}/").status_code == 200  # shown again, not computed again
    monkeypatch.undo()
    monkeypatch.setattr(services, "evaluate_with", lambda *args: evaluations.append("again") or evaluate_with(*args))
    page = client.get(f"/evaluatie/{wageningen.pk}/", {"opnieuw": "1"}).content.decode()
    assert evaluations == ["again"] and 'id="effect-exit_to_work"' in page
    assert StoredEvaluation.objects.get().status == "done"


def test_while_the_worker_computes_the_page_shows_its_progress_and_refreshes(wageningen, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # nobody carries it out
    client = login("onderzoeker")
    page = client.get(f"/evaluatie/{wageningen.pk}/").content.decode()
    assert 'id="computing"' in page and "De evaluatie wordt op de achtergrond berekend: 0 van 7" in page
    assert f'<meta http-equiv="refresh" content="3; url=/evaluatie/{wageningen.pk}/?">' in page
    job = StoredEvaluation.objects.get()
    assert job.status == "queued"
    services.compute_evaluation(job.pk)  # what the worker does
    page = client.get(f"/evaluatie/{wageningen.pk}/").content.decode()
    assert 'id="computing"' not in page and 'http-equiv="refresh"' not in page
    assert 'id="effect-exit_to_work"' in page
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 7, 7)


# --- a running experiment and an earlier date --------------------------------------------------------------


def test_a_running_experiment_gets_an_interim_evaluation_today_with_the_lottery_strata(workspace, login,
                                                                                        evaluations):
    # Werkstad's experiment runs until a count date a year from now; its draws were stratified.
    for sequence, strata in ((1, ["household_type"]), (2, ["household_type", "benefit_duration_band"])):
        Draw.objects.create(experiment=workspace.experiment, sequence=sequence, kind="list", drawn_on=workspace.today,
                            actor_label="test", method="stratified_block", strata=strata, arms=[], ratio=[], units=[],
                            size=0, input_hash="0" * 64, result_hash="0" * 64, previous_hash="0" * 64,
                            chain_hash=str(sequence) * 64)
    response = login("onderzoeker").get(f"/evaluatie/{workspace.experiment.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    today = timezone.localdate()
    assert evaluations == [{"permutations": PERMUTATIONS, "seed": SEED,
                            "strata": ("household_type", "benefit_duration_band"), "as_of": today}]
    assert "Tussentijdse evaluatie." in page
    assert "huishoudtype, uitkeringsduur" in page  # what the re-draws keep fixed
    assert "te weinig ingedeelde personen" in page.split('id="notes"')[1]  # one person in the control group


def test_an_earlier_date_and_a_wrong_one(wageningen, login, evaluations):
    client = login("onderzoeker")
    page = client.get(f"/evaluatie/{wageningen.pk}/", {"datum": "2019-01-01"}).content.decode()
    assert evaluations[-1]["as_of"] == date(2019, 1, 1)
    assert 'value="2019-01-01"' in page and "Tussentijdse evaluatie." in page
    for wrong in ("2030-01-01", "morgen"):
        response = client.get(f"/evaluatie/{wageningen.pk}/", {"datum": wrong})
        assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    assert evaluations[-1]["as_of"] == date(2019, 10, 1)


# --- reuse ------------------------------------------------------------------------------------------------


def test_the_evaluation_is_computed_once_until_the_data_change(wageningen, login, evaluations,
                                                              django_assert_max_num_queries):
    client = login("onderzoeker")
    url = f"/evaluatie/{wageningen.pk}/"
    first = client.get(url).content.decode()
    with django_assert_max_num_queries(12):
        second = client.get(url).content.decode()
    assert len(evaluations) == 1 and StoredEvaluation.objects.count() == 1
    assert second.split('id="balans"')[1] == first.split('id="balans"')[1]
    login("projectleider").get(url)  # another user, another process: the same stored result
    assert len(evaluations) == 1

    with transaction.atomic():  # any change to the data is audited, and so gives a new data version
        record(actor="test", action="benefit.ended", object_type="person", object_id="X")
    client.get(url)
    assert len(evaluations) == 2
    assert StoredEvaluation.objects.count() == 1  # the result of the old data version is gone

    person = Person.objects.filter(enrollments__isnull=False).first()
    # a participant's own answer: not audited, still new data
    SurveyResponse.objects.create(experiment=wageningen, person=person, wave=1, instrument="levenstevredenheid",
                                  item="x", value="7", mode="online")
    client.get(url)
    assert len(evaluations) == 3


def test_a_stored_result_of_another_version_is_computed_again(wageningen, login, evaluations):
    client = login("onderzoeker")
    client.get(f"/evaluatie/{wageningen.pk}/")
    StoredEvaluation.objects.update(result="not stored data")
    assert client.get(f"/evaluatie/{wageningen.pk}/").status_code == 200
    assert len(evaluations) == 2


# --- privacy ----------------------------------------------------------------------------------------------


def test_no_bsn_name_or_birth_date(wageningen, synthetic_folder, login):
    with (synthetic_folder / "persons.csv").open(encoding="utf-8") as persons:
        delivered = list(csv.DictReader(persons))
    assert sum(1 for person in delivered if person["bsn"]) > 50  # the import had BSNs to leak
    page = login("onderzoeker").get(f"/evaluatie/{wageningen.pk}/").content.decode()
    assert not re.search(r"(?<![\d.,])\d{9}(?!\d)", page)  # nine digits, not the decimals of a chart's coordinate
    for person in delivered:
        assert not person["bsn"] or person["bsn"] not in page
        assert not person["birth_date"] or person["birth_date"] not in page
    assert not re.search(r"\bP\d+\b", page)  # no person numbers either
    for person in Person.objects.exclude(birth_date=None)[:20]:
        assert person.birth_date.strftime("%d-%m-%Y") not in page


def test_a_running_experiment_is_evaluated_again_the_next_day(workspace, login, evaluations, monkeypatch):
    client = login("onderzoeker")
    client.get(f"/evaluatie/{workspace.experiment.pk}/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    client.get(f"/evaluatie/{workspace.experiment.pk}/")
    assert [call["as_of"] for call in evaluations] == [tomorrow - timedelta(days=1), tomorrow]


def test_the_page_follows_the_registered_plan_and_labels_what_it_does_not_name(wageningen, login, evaluations):
    """A plan row inserted as registration would (the count date of 2019 is past, so the service refuses now): the
    page computes with its re-draws and estimator, names the plan and its deviations, and labels each effect."""
    dataset = experiment_dataset(wageningen)
    first, second = [c.code for c in evaluate(dataset).contrasts][:2]
    plan = AnalysisPlan(experiment=wageningen.code, count_date=wageningen.count_date, primary=("exit_to_work",),
                        secondary=("net_exit_to_work",), contrasts=(first, "niemand vs onderzoeksgroep"),
                        estimator="lin_hc2", permutations=200)
    PlanVersion.objects.create(experiment=wageningen, version=1, text=plan.to_json(), plan_hash=plan.hash,
                               registered_on=date(2017, 1, 1), actor_label="test", draws_before=0,
                               previous_hash="0" * 64, chain_hash="1" * 64)

    page = login("onderzoeker").get(f"/evaluatie/{wageningen.pk}/").content.decode()

    assert evaluations == [{"permutations": 200, "seed": SEED, "strata": (), "as_of": date(2019, 10, 1)}]
    e = evaluate(dataset, permutations=200, seed=SEED, plan=plan)
    assert f"gevolgd: SHA-256 <code class=\"vt-code vt-hash\">{plan.hash}</code>" in page
    listed = page.split('id="deviations"')[1].split("</ul>")[0]
    assert "De vergelijking niemand vs onderzoeksgroep uit het plan is niet gemaakt" in e.deviations[0]
    assert all(shown(deviation) in listed for deviation in e.deviations)
    assert cell(page, "effect-exit_to_work", first, "plan")[0] == "volgens plan, primair"
    assert cell(page, "effect-net_exit_to_work", first, "plan")[0] == "volgens plan, secundair"
    assert cell(page, "effect-exit_to_work", second, "plan")[0] == "verkennend (niet vooraf vastgelegd)"
    assert cell(page, "effect-work_27h", first, "plan")[0] == "verkennend (niet vooraf vastgelegd)"
    # 30 persons a contrast cannot carry Lin's interactions: the additive model stands in, and that is a deviation.
    assert e.row("lin_hc2", "exit_to_work", first) is None
    assert e.primary("exit_to_work", first) == e.row("lpm_hc2", "exit_to_work", first)
    assert f"Bij {first} kon de geïnteracteerde schatter van Lin (2013) uit het plan niet worden berekend" in listed
    assert cell(page, "effect-exit_to_work", first, "lpm")[0] == reading.signed(
        100 * e.row("lpm_hc2", "exit_to_work", first).estimate, 1)
