"""The evaluation's parts in the catalogue: balance, the effects, time to exit, questionnaires, the reference group
and heterogeneity; each table and chart with the readings beside it. The evaluation page and the reports show them
alike."""

from dataclasses import dataclass, field

from vertrouwen.core import charts, codes
from vertrouwen.core.catalogue import (
    DASH,
    Cell,
    Chart,
    Row,
    Table,
    difference,
    interval,
    missing,
    number,
    p_value,
    share,
    signed,
)
from vertrouwen.core.evaluation import Evaluation, reading
from vertrouwen.core.evaluation.evaluate import MODIFIERS, REENTRY_MONTHS
from vertrouwen.core.evaluation.frame import BINARY_OUTCOMES, PRIMARY_OUTCOMES
from vertrouwen.core.evaluation.reference import PARTICIPANTS
from vertrouwen.core.formatting import dutch_number
from vertrouwen.core.lottery.strata import ATTRIBUTE_LABELS, STRATUM_VARIABLES
from vertrouwen.core.surveys.instruments import PARTICIPANT_INSTRUMENTS

DAYS_PER_MONTH = 365.25 / 12
# The Dutch words for the values of the coded person attributes.
LEVEL_LABELS = {"sex": codes.SEX, "household_type": codes.HOUSEHOLD_TYPES, "limitation": codes.LIMITATIONS,
                "education": codes.EDUCATION_LEVELS, "refugee_status_holder": {"true": "Ja", "false": "Nee"}}
ALLOCATED = "toegewezen"


@dataclass(frozen=True)
class Part:
    """One result: its tables, chart and readings."""

    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)
    chart: Chart | None = None
    headline: str = ""


@dataclass(frozen=True)
class EvaluationParts:
    evaluation: Evaluation
    sizes: list[tuple[str, str]]  # (arm name, allocated)
    strata: list[str]
    balance: list[Part]
    effects: list[Part]
    time: Part
    response: Part | None
    questionnaires: list[Part]
    reference: Part | None
    heterogeneity: list[Part]


def evaluation_parts(evaluation: Evaluation) -> EvaluationParts:
    names = _names(evaluation)
    return EvaluationParts(
        evaluation=evaluation,
        sizes=[(names[arm], dutch_number(n)) for arm, n in evaluation.sizes.items()],
        strata=[STRATUM_VARIABLES.get(s, s) for s in evaluation.strata],
        balance=[_balance(evaluation, population) for population in evaluation.balance],
        effects=[_effect(evaluation, outcome) for outcome in BINARY_OUTCOMES] if evaluation.contrasts else [],
        time=_time(evaluation),
        response=_response(evaluation),
        questionnaires=[part for code in PARTICIPANT_INSTRUMENTS if (part := _questionnaire(evaluation, code))],
        reference=_reference(evaluation),
        heterogeneity=[part for modifier in MODIFIERS if (part := _heterogeneity(evaluation, modifier))],
    )


def _names(evaluation: Evaluation) -> dict[str, str]:
    return {**evaluation.arm_names, PARTICIPANTS: "Alle deelnemers"}


def _treated(evaluation: Evaluation, contrast: str) -> str:
    """The contrast's own side: "Zelf in actie", "Zelf in actie + Extra begeleiding samen"."""
    return reading.contrast_label(evaluation, contrast).split(" tegen ")[0]


def _estimate_cells(row, name: str, shown=difference) -> list[Cell]:
    """The estimate with its interval, and its p-value."""
    if row is None:
        return [Cell(name, DASH), Cell(f"{name}-p", DASH)]
    return [Cell(name, shown(row.estimate), interval(row.conf_low, row.conf_high, shown)),
            Cell(f"{name}-p", p_value(row.p_value))]


# ---------------------------------------------------------------------------------------------------------
# 1. Balance


def _population_title(population: str) -> str:
    if population == ALLOCATED:
        return "Iedereen die door loting is ingedeeld"
    return f'Wie de vragenlijst van meting {population.rsplit(" ", 1)[-1]} invulde'


def _balance(evaluation: Evaluation, population: str) -> Part:
    table = evaluation.balance[population]
    names, labels = _names(evaluation), dict(table.labels)
    others = [arm for arm in table.arms if arm != table.control]
    rows = [Row("n", "Aantal", [Cell(arm, dutch_number(n)) for arm, n in zip(table.arms, table.sizes, strict=True)]
                + [Cell(f"smd-{arm}", "") for arm in others])]
    for (covariate, level), cells in table.grouped():
        by_arm = {c.arm: c for c in cells}
        label = labels.get(covariate, ATTRIBUTE_LABELS.get(covariate, covariate))
        if level is not None:
            label = f"{label}: {LEVEL_LABELS.get(covariate, {}).get(level, level)}"
        values = [Cell(arm, share(by_arm[arm].mean) if level is not None else number(by_arm[arm].mean, 1),
                       "" if level is not None else f"({number(by_arm[arm].sd, 1)})") for arm in table.arms]
        smds = [Cell(f"smd-{arm}", signed(by_arm[arm].smd), flagged=by_arm[arm].imbalanced) for arm in others]
        rows.append(Row(f"{covariate}={level}" if level is not None else covariate, label, values + smds))
    key = population.replace(" ", "-")
    columns = [names[arm] for arm in table.arms] + [f"SMD {names[arm]}" for arm in others]
    tests = [r for r in evaluation.balance_tests if r.outcome == f"balance:{population}"]
    joint = Table(f"balance-test-{key}", "Gezamenlijke toets per groep tegen de controlegroep (likelihood-ratio)",
                  ["Chi-kwadraat", "p", "Personen"],
                  [Row(r.contrast, names.get(r.contrast.partition(" vs ")[0], r.contrast),
                       [Cell("chi2", number(r.statistic)), Cell("p", p_value(r.p_value)),
                        Cell("n", dutch_number(r.n))]) for r in tests], first="Groep")
    caption = (f"Kenmerken bij de toewijzing per groep, en het gestandaardiseerde verschil (SMD) met "
               f"{names[table.control]}")
    return Part(key, _population_title(population),
                [Table(f"balance-{key}", caption, columns, rows, first="Kenmerk"), joint],
                [reading.read_balance(evaluation, population)])


# ---------------------------------------------------------------------------------------------------------
# 2. Intention-to-treat effects


def _effect(evaluation: Evaluation, outcome: str) -> Part:
    """Two tables with a row per comparison: the estimates, then the other tests and the corrections of the
    primary estimate's p-value (one table of both is too wide for a screen)."""
    control = evaluation.arm_names[evaluation.control]
    label = reading.outcome_label(outcome)
    estimates = Table(f"effect-{outcome}", f"Elke groep tegen {control}: {label}",
                      ["Aandeel in de groep", f"Aandeel in {control}",
                       "Verschil (procentpunt)", "Gecorrigeerd verschil (procentpunt)", "p", "MDE (procentpunt)",
                       "Analyseplan"],
                      [Row(c.code, _treated(evaluation, c.code), _estimate_row(evaluation, outcome, c.code))
                       for c in evaluation.contrasts], first="Groep")
    checks = Table(f"checks-{outcome}", f"Andere toetsen, en de p-waarde van het gecorrigeerde verschil gecorrigeerd "
                                        f"voor het vergelijken van meerdere groepen: {label}",
                   ["p (Holm)", "p (Benjamini-Hochberg)", "p (randomisatie)", "Odds ratio (logistisch)",
                    "p", "p (Fisher, exact)"],
                   [Row(c.code, _treated(evaluation, c.code), _checks_row(evaluation, outcome, c.code))
                    for c in evaluation.contrasts], first="Groep",
                   readings=(evaluation.randomization_scheme,) if evaluation.randomization_scheme else ())
    return Part(outcome, label[:1].upper() + label[1:], [estimates, checks],
                [reading.read_effect(evaluation, outcome, c.code) for c in evaluation.contrasts],
                _forest(evaluation, outcome) if outcome in PRIMARY_OUTCOMES else None)


def _estimate_row(evaluation: Evaluation, outcome: str, contrast: str) -> list[Cell]:
    shares = reading.shares(evaluation, outcome, contrast)
    simple = evaluation.row("difference_in_proportions", outcome, contrast)
    mde = evaluation.row("mde", outcome, contrast)
    return [Cell("share", share(shares[0]) if shares else DASH),
            Cell("share-control", share(shares[1]) if shares else DASH),
            *_estimate_cells(simple, "difference")[:1],
            *_estimate_cells(evaluation.primary(outcome, contrast), "lpm"),
            Cell("mde", number(100 * mde.estimate, 1) if mde else DASH),
            Cell("plan", reading.standing(evaluation, outcome, contrast))]


def _checks_row(evaluation: Evaluation, outcome: str, contrast: str) -> list[Cell]:
    def p_of(method: str, name: str) -> Cell:
        row = evaluation.row(method, outcome, contrast)
        return Cell(name, p_value(row.p_value) if row else DASH)

    return [p_of("holm", "holm"), p_of("benjamini_hochberg", "bh"), p_of("randomization_inference", "ri"),
            *_estimate_cells(evaluation.row("logit_hc2", outcome, contrast), "or", number),
            p_of("fisher_exact", "fisher")]


def _forest(evaluation: Evaluation, outcome: str) -> Chart | None:
    rows = [r for c in evaluation.contrasts if (r := evaluation.primary(outcome, c.code)) is not None
            and not any(missing(v) for v in (r.estimate, r.conf_low, r.conf_high))]
    if not rows:
        return None
    control = evaluation.arm_names[evaluation.control]
    title = f"{reading.outcome_label(outcome).capitalize()}: verschil met {control}"
    labels = {"title": title, "estimate": "Gecorrigeerd verschil in procentpunten",
              "point": "{comparison}: {estimate} procentpunt (95%-interval {low} tot {high})"}
    spec = charts.forest_spec([_treated(evaluation, r.contrast) for r in rows], [100 * r.estimate for r in rows],
                              [100 * r.conf_low for r in rows], [100 * r.conf_high for r in rows], labels=labels)
    described = "; ".join(f"{_treated(evaluation, r.contrast)} {difference(r.estimate)} "
                          f"({interval(r.conf_low, r.conf_high)})" for r in rows)
    return Chart(f"forest-{outcome}", title, spec, f"{title}. {described}.")


# ---------------------------------------------------------------------------------------------------------
# 3. Time to exit


def _time(evaluation: Evaluation) -> Part:
    names = _names(evaluation)
    arms = [arm for arm in evaluation.arms if arm in evaluation.incidence]
    incidence = Table("incidence", "Uitstroom naar werk tot de teldatum (cumulatieve incidentie)",
                      ["Uitstroom naar werk", "Personen"],
                      [Row(arm, names[arm], [*_estimate_cells(row, "incidence", share)[:1],
                                             Cell("n", dutch_number(row.n))])
                       for arm in arms if (row := evaluation.row("cumulative_incidence", "exit_to_work", arm))],
                      first="Groep")
    hazards = Table("hazard", "Hazard ratio van uitstroom naar werk (Cox)", ["Hazard ratio", "p"],
                    [Row(c.code, reading.contrast_label(evaluation, c.code),
                         _estimate_cells(evaluation.row("cox_hr", "exit_to_work", c.code), "hr", number))
                     for c in evaluation.contrasts], first="Vergelijking")
    readings = [t for arm in arms if (t := reading.read_time(evaluation, arm))]
    readings += [t for c in evaluation.contrasts if (t := reading.read_hazard(evaluation, c.code))]
    readings += [t for arm in evaluation.arms if (t := reading.read_reentry(evaluation, 12, arm))]
    return Part("time", "Tijd tot uitstroom", [incidence, hazards, *_reentry(evaluation)], readings,
                _incidence_chart(evaluation, arms))


def _reentry(evaluation: Evaluation) -> list[Table]:
    names = _names(evaluation)
    per_arm = Table("reentry", "Terug in de bijstand na uitstroom naar werk",
                    [f"Binnen {m} maanden" for m in REENTRY_MONTHS],
                    [Row(arm, names[arm], [_reentry_cell(evaluation, arm, m) for m in REENTRY_MONTHS])
                     for arm in evaluation.arms if evaluation.sizes.get(arm)], first="Groep")
    columns = []
    for months in REENTRY_MONTHS:
        columns += [f"Verschil binnen {months} maanden (procentpunt)", "p"]
    contrasts = Table("reentry-difference", "Herinstroom: verschil met de controlegroep (alleen wie uitstroomde; "
                      "verkennend)", columns,
                      [Row(c.code, reading.contrast_label(evaluation, c.code),
                           [cell for m in REENTRY_MONTHS for cell in _estimate_cells(
                               evaluation.row(f"reentry_{m}m", f"reentry_{m}m", c.code), f"reentry-{m}")])
                       for c in evaluation.contrasts], first="Vergelijking", readings=(reading.REENTRY_CAVEAT,))
    return [per_arm, contrasts]


def _reentry_cell(evaluation: Evaluation, arm: str, months: int) -> Cell:
    row = evaluation.row("share", f"reentry_{months}m", arm)
    if row is None:
        return Cell(f"reentry-{months}", DASH)
    back = round(row.estimate * row.n)
    return Cell(f"reentry-{months}", share(row.estimate),
                f"{dutch_number(back)} van {dutch_number(row.n)}")


def _incidence_chart(evaluation: Evaluation, arms: list[str]) -> Chart | None:
    if not arms:
        return None
    names = _names(evaluation)
    curves = {names[arm]: {"months": [t / DAYS_PER_MONTH for t in evaluation.incidence[arm].time],
                           "estimate": list(evaluation.incidence[arm].estimate),
                           "low": list(evaluation.incidence[arm].conf_low),
                           "high": list(evaluation.incidence[arm].conf_high)} for arm in arms}
    title = "Cumulatieve uitstroom naar werk sinds de loting"
    spec = charts.incidence_spec(curves, labels={
        "title": title, "months": "Maanden sinds de toewijzing", "share": "Uitgestroomd naar werk",
        "point": "{group}, maand {months}: {share} (95%-interval {low} tot {high})"})
    at_count_date = "; ".join(f"{names[arm]} {share(row.estimate)}" for arm in arms
                              if (row := evaluation.row("cumulative_incidence", "exit_to_work", arm)))
    description = f"{title}, per groep, als traplijn met de 95%-betrouwbaarheidsband. Op de teldatum: {at_count_date}."
    return Chart("chart-incidence", title, spec, description, numbers=incidence_months(evaluation))


def incidence_months(evaluation: Evaluation) -> Table:
    """The numbers behind the incidence chart: each group's value and interval at each whole month."""
    names = _names(evaluation)
    arms = [arm for arm in evaluation.arms if arm in evaluation.incidence]
    last = max((int(max(evaluation.incidence[a].time, default=0) / DAYS_PER_MONTH) for a in arms), default=0)
    rows = []
    for month in range(last + 1):
        cells = []
        for arm in arms:
            value, low, high = evaluation.incidence[arm].at(month * DAYS_PER_MONTH)
            cells.append(Cell(arm, share(value), interval(low, high, share)))
        rows.append(Row(str(month), str(month), cells))
    return Table("numbers-incidence", "Cumulatieve uitstroom naar werk per maand sinds de toewijzing",
                 [names[arm] for arm in arms], rows, first="Maand")


# ---------------------------------------------------------------------------------------------------------
# 4. Questionnaires


def _waves(evaluation: Evaluation, prefix: str) -> list[int]:
    found = {int(r.outcome.rsplit("wave", 1)[1]) for r in evaluation.questionnaires
             if r.outcome.startswith(prefix) and ":wave" in r.outcome}
    return sorted(found)


def _response(evaluation: Evaluation) -> Part | None:
    waves = _waves(evaluation, "response:")
    if not waves:
        return None
    names = _names(evaluation)
    arms = [arm for arm in evaluation.arms if evaluation.row("share", f"response:wave{waves[0]}", arm)]
    rows = []
    for arm in arms:
        cells = []
        for wave in waves:
            row = evaluation.row("share", f"response:wave{wave}", arm)
            cells.append(Cell(f"wave{wave}", share(row.estimate) if row else DASH,
                              f"{dutch_number(round(row.estimate * row.n))} van {dutch_number(row.n)}" if row else ""))
        rows.append(Row(arm, names[arm], cells))
    tests = [evaluation.row("response_chi2", f"response:wave{wave}", "arms") for wave in waves]
    rows.append(Row("chi2", "Gelijke respons in alle groepen (chi-kwadraat), p",
                    [Cell(f"wave{wave}", p_value(t.p_value) if t else DASH) for wave, t in zip(waves, tests,
                                                                                             strict=True)]))
    table = Table("response", "Respons per groep en meting (deelnemers die de spelregels tekenden)",
                  [f"Meting {wave}" for wave in waves], rows, first="Groep")
    return Part("response", "Respons en uitval", [table],
                [t for wave in waves if (t := reading.read_response(evaluation, wave))])


def _questionnaire(evaluation: Evaluation, instrument: str) -> Part | None:
    waves = _waves(evaluation, f"{instrument}:")
    if not waves:
        return None
    names = _names(evaluation)
    columns = ["Gecorrigeerd voor de nulmeting (ANCOVA)", "p", "Verandering sinds de nulmeting", "p",
               "Gewogen voor non-respons (IPW)", "p"]
    effects = Table(f"questionnaire-{instrument}", "Verschil met de controlegroep, in punten op de schaal",
                    columns,
                    [Row(c.code, reading.contrast_label(evaluation, c.code),
                         [cell for method, name in (("ancova_hc2", "ancova"), ("change_hc2", "change"),
                                                    ("ancova_ipw", "ipw"))
                          for cell in _estimate_cells(evaluation.row(method, instrument, c.code), name, signed)])
                     for c in evaluation.contrasts if evaluation.row("ancova_hc2", instrument, c.code)],
                    first="Vergelijking")
    means = Table(f"means-{instrument}", "Gemiddelde score per groep en meting",
                  [f"Meting {wave}" for wave in waves],
                  [Row(arm, names[arm], [_mean_cell(evaluation, instrument, wave, arm) for wave in waves])
                   for arm in evaluation.arms if any(evaluation.row("mean", f"{instrument}:wave{w}", arm)
                                                     for w in waves)],
                  first="Groep")
    ancova = [evaluation.row("ancova_hc2", instrument, c.code) for c in evaluation.contrasts]
    headline = "; ".join(f"{_treated(evaluation, r.contrast)} {signed(r.estimate)} ({reading.p_text(r.p_value)})"
                         for r, c in zip(ancova, evaluation.contrasts, strict=True) if r is not None and not c.pooled)
    tables = [effects, means] if effects.rows else [means]
    return Part(instrument, reading.outcome_label(instrument), tables,
                [t for c in evaluation.contrasts if (t := reading.read_questionnaire(evaluation, instrument, c.code))],
                headline=headline)


def _mean_cell(evaluation: Evaluation, instrument: str, wave: int, arm: str) -> Cell:
    row = evaluation.row("mean", f"{instrument}:wave{wave}", arm)
    if row is None:
        return Cell(f"wave{wave}", DASH)
    return Cell(f"wave{wave}", number(row.estimate), f"{dutch_number(row.n)} personen")


# ---------------------------------------------------------------------------------------------------------
# 5. The reference group


def _reference(evaluation: Evaluation) -> Part | None:
    contrasts = [r.contrast for r in evaluation.reference if r.method in ("psm_att", "ipw_att")]
    contrasts = list(dict.fromkeys(contrasts))
    if not contrasts:
        return None
    names = _names(evaluation)
    rows = []
    for code in contrasts:
        arm = code.partition(" vs ")[0]
        randomized = evaluation.row("lpm_hc2", "exit_to_work", f"{arm} vs {evaluation.control}")
        unmatched = evaluation.row("psm_unmatched", "exit_to_work", code)
        rows.append(Row(code, names.get(arm, arm), [
            *_estimate_cells(evaluation.row("psm_att", "exit_to_work", code), "psm")[:1],
            *_estimate_cells(evaluation.row("ipw_att", "exit_to_work", code), "ipw")[:1],
            *_estimate_cells(randomized, "randomized")[:1],
            Cell("unmatched", dutch_number(round(unmatched.estimate)) if unmatched else DASH,
                 f"van {dutch_number(unmatched.n)}" if unmatched else ""),
            *(Cell(name, number(_largest_smd(evaluation, method, code)))
              for method, name in (("smd_unadjusted", "smd-before"), ("smd_matched", "smd-matched"),
                                   ("smd_ipw", "smd-ipw"))),
        ]))
    columns = ["Gematcht (PSM), procentpunt", "Gewogen (IPW), procentpunt",
               f"Door loting tegen {evaluation.arm_names[evaluation.control]}, procentpunt", "Zonder match",
               "Grootste |SMD| vooraf", "Grootste |SMD| na matching", "Grootste |SMD| na weging"]
    table = Table("reference", "Uitstroom naar werk: deelnemers tegen de referentiegroep (niet gerandomiseerd)",
                  columns, rows, first="Groep")
    return Part("reference", "Vergelijking met de referentiegroep", [table],
                [t for code in contrasts if (t := reading.read_reference(evaluation, code))])


def _largest_smd(evaluation: Evaluation, method: str, contrast: str) -> float | None:
    values = [abs(r.estimate) for r in evaluation.reference if r.method == method and r.contrast == contrast
              and not missing(r.estimate)]
    return max(values) if values else None


# ---------------------------------------------------------------------------------------------------------
# 6. Heterogeneity (exploratory)


def _heterogeneity(evaluation: Evaluation, modifier: str) -> Part | None:
    single = [c.code for c in evaluation.contrasts if not c.pooled]
    prefix = f"exit_to_work|{modifier}="
    levels = list(dict.fromkeys(r.outcome.removeprefix(prefix) for r in evaluation.heterogeneity
                                if r.outcome.startswith(prefix)))
    if not levels:
        return None
    labels = LEVEL_LABELS.get(modifier, {})
    rows = [Row(level, labels.get(level, level),
                [_subgroup_cell(evaluation.row("subgroup_difference", f"{prefix}{level}", code), code)
                 for code in single]) for level in levels]
    tests = [evaluation.row("interaction_wald", f"exit_to_work|{modifier}", code) for code in single]
    rows.append(Row("interaction", "Hetzelfde effect in elke subgroep (Wald-toets), p",
                    [Cell(code, p_value(t.p_value) if t else DASH) for code, t in zip(single, tests, strict=True)]))
    title = STRATUM_VARIABLES.get(modifier, modifier)
    table = Table(f"heterogeneity-{modifier}",
                  f"Uitstroom naar werk, verschil met de controlegroep per subgroep: {title.lower()}",
                  [_treated(evaluation, code) for code in single], rows,
                  first=title)
    return Part(modifier, title, [table],
                [t for code in single if (t := reading.read_interaction(evaluation, modifier, code))])


def _subgroup_cell(row, code: str) -> Cell:
    if row is None:
        return Cell(code, DASH)
    return Cell(code, difference(row.estimate), f"{interval(row.conf_low, row.conf_high)}; "
                + f"{dutch_number(row.n)} personen")
