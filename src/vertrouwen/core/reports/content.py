"""What a progress or final report says, from a dataset: every number formatted as a Dutch reader expects it and
every chart drawn, so that the template only lays out. The same dataset and software version give the same
report: nothing here reads the clock; the report's date is that of the data."""

import datetime as dt
from dataclasses import dataclass, field

from vertrouwen import __version__
from vertrouwen.core import charts, codes
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.dataset.writing import canonical_hash
from vertrouwen.core.evaluation import Evaluation, EvaluationSettings, evaluate_with, reading, settings_for_dataset
from vertrouwen.core.evaluation.reference import WARNING
from vertrouwen.core.formatting import dutch_decimal, dutch_number, dutch_percentage, euro
from vertrouwen.core.monitor import GOAL_KEYS, REFERENCE, TOTAL, monitor
from vertrouwen.core.rules import Regime, RuleMissing, shipped_rulebook, summary
from vertrouwen.core.surveys.instruments import INSTRUMENTS, PARTICIPANT_INSTRUMENTS

KINDS = {"progress": "Voortgangsrapportage", "final": "Eindrapportage"}
DAYS_PER_MONTH = 365.25 / 12
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
GUIDANCE = {"regulier": "reguliere begeleiding", "op_verzoek": "begeleiding op verzoek",
            "intensief": "intensieve begeleiding"}


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    notes: tuple[str, ...] = ()  # readings of the table in plain words, one paragraph each


@dataclass(frozen=True)
class Figure:
    caption: str
    svg: str
    description: str  # what the chart shows, in words, for readers who cannot see it


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what cannot be shown yet, and why


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    municipality: str
    experiment: str
    period: str
    as_of: str
    sections: list[Section]
    footer: list[tuple[str, str]]


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def build_report(dataset: Dataset, kind: str, stories: tuple[tuple[str, str], ...] = (),
                 settings: EvaluationSettings | None = None, evaluation: Evaluation | None = None) -> Report:
    """The report of the given kind; stories are (title, text) pairs whose teller consented to publication. The
    evaluation is computed with `settings` (default: as far as the dataset reaches), unless it is given, computed
    with those settings already."""
    if kind not in KINDS:
        raise ValueError(f"soort rapportage {kind!r} onbekend; kies uit {', '.join(KINDS)}")
    manifest = dataset.manifest
    count_date = manifest.experiment.count_date
    settings = settings or settings_for_dataset(dataset)
    as_of = settings.as_of
    result = monitor(dataset, as_of=as_of)
    evaluation = evaluation or evaluate_with(dataset, settings)
    period = f"{long_date(manifest.experiment.period_start)} tot en met {long_date(manifest.experiment.period_end)}"
    sections = [
        _summary(manifest, result, evaluation, as_of, count_date, kind),
        _design(manifest),
        _participants(result),
        _goals(result),
        _exit(result),
        _parttime(result),
        _evaluation(evaluation),
        _reference(evaluation),
        _questionnaires(evaluation),
        _process(result),
        _stories(stories),
        _method(),
    ]
    footer = [("Gegevens (SHA-256 van de dataset in canonieke vorm)", canonical_hash(dataset)),
              ("Software", f"vertrouwen {__version__}"),
              ("Randomisatie-inferentie", settings.described()),
              ("Herkomst van de gegevens", ", ".join(f"{k}: {v}" for k, v in sorted(manifest.provenance.items()))
               or "niet vermeld")]
    return Report(kind, KINDS[kind], manifest.municipality.name, manifest.experiment.name, period,
                  long_date(as_of), sections, footer)


def _summary(manifest, result, evaluation, as_of, count_date, kind) -> Section:
    enrolled = result.participants[TOTAL]["enrolled"]
    paragraphs = [f"Deze {KINDS[kind].lower()} beschrijft het experiment {manifest.experiment.name} van de gemeente "
                  f"{manifest.municipality.name}, met de stand op {long_date(as_of)}. Aan het experiment doen "
                  f"{dutch_number(enrolled)} mensen mee, verdeeld door loting over {len(manifest.arms)} groepen."]
    notices = []
    if as_of < count_date:
        notices.append(f"De teldatum ({long_date(count_date)}) ligt na de laatste gegevens. De cijfers zijn een "
                       f"tussenstand op {long_date(as_of)}; de uitkomsten op de teldatum volgen later.")
    if enrolled == 0:
        notices.append("Er doet nog niemand mee: er zijn geen deelnemers die de spelregels tekenden vóór "
                       f"{long_date(as_of)}. Zodra de eerste loting is gehouden, vult deze rapportage zich.")
    for contrast in evaluation.contrasts:
        if not contrast.pooled:
            paragraphs.append(reading.read_effect(evaluation, "exit_to_work", contrast.code))
    return Section("samenvatting", "Samenvatting", paragraphs, notices=notices + list(evaluation.notes[:1]))


def _disregard(arm_regime: str, on: dt.date) -> str:
    """The group's disregard, with its percentage and maximum from the rule tables at the experiment's start."""
    regime = Regime.of_arm(arm_regime)
    try:
        return f"{regime.label.lower()}: {summary(shipped_rulebook().rule(regime, on))}"
    except RuleMissing:
        return regime.label.lower()


def _design(manifest) -> Section:
    experiment = manifest.experiment
    paragraphs = [f"Het experiment loopt van {long_date(experiment.period_start)} tot en met "
                  f"{long_date(experiment.period_end)}; de teldatum voor de uitkomsten is "
                  f"{long_date(experiment.count_date)}. Wie meedoet, wordt door loting ingedeeld in een van de "
                  "groepen; elke groep heeft eigen spelregels."]
    rows = []
    for arm in manifest.arms:
        rules = [GUIDANCE.get(arm.guidance_intensity, arm.guidance_intensity),
                 _disregard(arm.disregard_regime, experiment.period_start)]
        if arm.exempt_from_obligations:
            rules.insert(0, "vrijgesteld van de arbeids- en re-integratieverplichtingen")
        if arm.job_bonus_cents:
            rules.append(f"premie van {euro(arm.job_bonus_cents)} {arm.job_bonus_condition}")
        rows.append([arm.name + (" (controlegroep)" if arm.is_control else ""), "; ".join(r for r in rules if r)])
        paragraphs.append(f"Spelregels van {arm.name}:\n{arm.rules_text.strip()}")
    return Section("opzet", "Opzet van het experiment", paragraphs,
                   tables=[Table("De groepen", ["Groep", "Wat de groep kenmerkt"], rows)])


def _arm_header(result) -> list[str]:
    return [result.arm_names[a] for a in result.arms]


def _participants(result) -> Section:
    labels = {"enrolled": "Deelnemers", "stopped": "Gestopt", "exited": "Uitgestroomd",
              "current": "Nog in de uitkering"}
    rows = [[label, *(dutch_number(result.participants[a][key]) for a in result.arms),
             dutch_number(result.participants[TOTAL][key])] for key, label in labels.items()]
    return Section("deelnemers", "Deelnemers en hun ontwikkeling", [
        "Deelnemers zijn de mensen die de spelregels van hun groep tekenden. Wie stopte, deed niet langer mee terwijl "
        "de uitkering doorliep; wie uitstroomde, heeft geen uitkering meer."],
        tables=[Table(f"Deelnemers per groep op {long_date(result.count_date)}",
                      ["", *_arm_header(result), "Totaal"], rows)])


def _goals(result) -> Section:
    rows = [[label, *(dutch_number(result.goals_baseline[a][GOAL_KEYS[g]]) for a in result.arms),
             dutch_number(result.goals_baseline[TOTAL][GOAL_KEYS[g]])] for g, label in codes.GOALS.items()]
    rows.insert(0, ["Met een doel", *(dutch_number(result.goals_baseline[a]["with_goal"]) for a in result.arms),
                    dutch_number(result.goals_baseline[TOTAL]["with_goal"])])
    rows.append(["Kansrijk voor uitstroom", *(dutch_number(result.goals_baseline[a]["good_prospects"])
                                              for a in result.arms),
                 dutch_number(result.goals_baseline[TOTAL]["good_prospects"])])
    highest = [[label, *(dutch_number(result.highest_goal[a][GOAL_KEYS[g]]) for a in result.arms),
                dutch_number(result.highest_goal[TOTAL][GOAL_KEYS[g]])] for g, label in codes.GOALS.items()]
    bars = charts.grouped_bars_spec(list(codes.GOALS.values()),
                                    {result.arm_names[a]: [result.highest_goal[a][GOAL_KEYS[g]] for g in codes.GOALS]
                                     for a in result.arms}, title="Hoogst haalbare doel bij de nulmeting",
                                    y_title="Deelnemers")
    notices = [] if result.goals_baseline[TOTAL]["with_goal"] else [
        "Er zijn nog geen doelen vastgelegd in een startgesprek (nulmeting)."]
    return Section("doelen", "Doelen bij de nulmeting", [
        "In het startgesprek legt de klantmanager met de deelnemer persoonlijke doelen vast; iemand kan meer doelen "
        "hebben. Het hoogst haalbare doel is het hoogste in de volgorde werk, parttime werk, opleiding, "
        "re-integratie, vrijwilligerswerk, zorg en hulp, anders."],
        tables=[Table("Doelen bij de nulmeting (aantal deelnemers)", ["Doel", *_arm_header(result), "Totaal"], rows),
                Table("Hoogst haalbare doel (aantal deelnemers)", ["Doel", *_arm_header(result), "Totaal"], highest)],
        figures=[Figure("Hoogst haalbare doel bij de nulmeting", charts.to_svg(bars),
                        "Staafdiagram van het aantal deelnemers per hoogst haalbaar doel, per groep; de getallen "
                        "staan in de tabel hierboven.")], notices=notices)


def _lines(result, series: dict, title: str, y_title: str, share: bool = True) -> str:
    names = {**result.arm_names, REFERENCE: "Geen deelname"}
    spec = charts.monthly_lines_spec(result.monthly["months"], {names[g]: v for g, v in series.items()},
                                     title=title, y_title=y_title,
                                     reference=names[REFERENCE] if REFERENCE in series else None, share=share)
    return charts.to_svg(spec)


def _exit(result) -> Section:
    groups = [*result.arms, REFERENCE]
    names = {**result.arm_names, REFERENCE: "Geen deelname (referentiegroep)"}
    rows = []
    for g in groups:
        counts = result.exit_to_work[g]
        n = counts["n"]
        rows.append([names[g], dutch_number(n), dutch_number(counts["first_exit_to_work"]),
                     dutch_percentage(counts["first_exit_to_work"] / n) if n else "–",
                     dutch_number(counts["net_at_count_date"]),
                     dutch_percentage(counts["net_at_count_date"] / n) if n else "–"])
    figures = []
    if result.monthly["months"]:
        figures = [Figure("Uitstroom naar werk per maand (bruto, cumulatief)",
                          _lines(result, result.monthly["exit_to_work"]["gross"], "Uitstroom naar werk", "Aandeel"),
                          "Lijnen per groep van het aandeel dat is uitgestroomd naar werk, per maand."),
                   Figure("Uitstroom naar werk per maand, zonder wie terugkeerde (netto)",
                          _lines(result, result.monthly["exit_to_work"]["net"], "Netto uitstroom", "Aandeel"),
                          "Lijnen per groep van het aandeel dat is uitgestroomd en niet terug is in de bijstand.")]
    return Section("uitstroom", "Uitstroom naar werk", [
        "Rechte tellingen, zoals in de monitor: van de deelnemers die niet stopten (en van alle mensen in de "
        "referentiegroep) het aantal dat de uitkering verliet voor werk of als zelfstandige, en van hen het aantal "
        "dat op de teldatum nog steeds geen uitkering had. De referentiegroep is niet door loting gevormd; verschillen "
        "met die groep zijn geen effecten."],
        tables=[Table("Uitstroom naar werk tot de teldatum",
                      ["Groep", "Aantal", "Uitgestroomd", "%", "Netto op teldatum", "%"], rows)], figures=figures)


def _parttime(result) -> Section:
    series = result.monthly["offset_earnings"]["share"]
    figures = [Figure("Aandeel met parttime inkomsten naast de uitkering, per maand",
                      _lines(result, series, "Parttime inkomsten", "Aandeel van wie een uitkering heeft"),
                      "Lijnen per groep van het aandeel uitkeringsontvangers met verrekende inkomsten.")] \
        if result.monthly["months"] else []
    last = {g: next((v for v in reversed(values) if v is not None), None) for g, values in series.items()}
    names = {**result.arm_names, REFERENCE: "Geen deelname"}
    rows = [[names[g], dutch_percentage(v) if v is not None else "–"] for g, v in last.items()]
    return Section("parttime", "Parttime werk", [
        "Het aandeel van wie een uitkering heeft met inkomsten uit parttime werk die met de uitkering worden "
        "verrekend, per maand."], tables=[Table("Aandeel met parttime inkomsten in de laatste maand",
                                                ["Groep", "Aandeel"], rows)], figures=figures)


def _evaluation(evaluation) -> Section:
    if not evaluation.contrasts:
        return Section("evaluatie", "Gerandomiseerde evaluatie", notices=list(evaluation.notes))
    tables, paragraphs, figures = [], [
        "Iedereen die door loting is ingedeeld telt mee in zijn groep, ook wie de spelregels niet tekende of stopte "
        "(intention to treat). De hoofdschatting is het verschil met de controlegroep, gecorrigeerd voor "
        "achtergrondkenmerken en de strata van de loting, met een 95%-betrouwbaarheidsinterval. Het kleinste "
        "aantoonbare effect (MDE) staat ernaast: een niet-significant verschil dat veel kleiner is dan de MDE "
        "betekent: te weinig mensen, niet: geen effect."], []
    for outcome in reading.OUTCOME_LABELS:
        rows = []
        for contrast in evaluation.contrasts:
            main = evaluation.row("lpm_hc2", outcome, contrast.code)
            mde = evaluation.row("mde", outcome, contrast.code)
            ri = evaluation.row("randomization_inference", outcome, contrast.code)
            holm = evaluation.row("holm", outcome, contrast.code)
            known = main is not None and main.conf_low is not None
            rows.append([reading.contrast_label(evaluation, contrast.code), _points(main.estimate) if main else "–",
                         f"{_points(main.conf_low)} tot {_points(main.conf_high)}" if known else "–",
                         _p(main.p_value if main else None), _p(holm.p_value if holm else None),
                         _p(ri.p_value if ri else None), dutch_decimal(100 * mde.estimate, 1) if mde else "–"])
        tables.append(Table(reading.outcome_label(outcome).capitalize(),
                            ["Vergelijking", "Verschil (procentpunt)", "95%-interval", "p", "p (Holm)",
                             "p (herloting)", "MDE (procentpunt)"], rows,
                            tuple(reading.read_effect(evaluation, outcome, c.code)
                                  for c in evaluation.contrasts if not c.pooled)))
    arms = [a for a in evaluation.arms if a in evaluation.incidence]
    if arms:
        curves = {evaluation.arm_names[a]: {"months": [float(t) / DAYS_PER_MONTH for t in evaluation.incidence[a].time],
                                            "estimate": list(evaluation.incidence[a].estimate),
                                            "low": list(evaluation.incidence[a].conf_low),
                                            "high": list(evaluation.incidence[a].conf_high)} for a in arms}
        labels = {"title": "Uitstroom naar werk sinds de loting", "months": "Maanden sinds de toewijzing",
                  "share": "Uitgestroomd naar werk",
                  "point": "{group}, maand {months}: {share} (95%-interval {low} tot {high})"}
        figures.append(Figure("Cumulatief aandeel uitgestroomd naar werk sinds de loting, met 95%-band",
                              charts.to_svg(charts.incidence_spec(curves, labels=labels)),
                              "Traplijnen per groep van het aandeel dat naar werk uitstroomde, met andere uitstroom "
                              "als concurrerende reden, en een gekleurde band voor het betrouwbaarheidsinterval."))
    paragraphs += [t for a in arms if (t := reading.read_time(evaluation, a))]
    paragraphs += [t for a in evaluation.arms if (t := reading.read_reentry(evaluation, 12, a))]
    return Section("evaluatie", "Gerandomiseerde evaluatie", paragraphs, tables, figures)


def _reference(evaluation) -> Section:
    """Not randomized: the warning comes first, the randomized estimate stands beside each number."""
    title = "Vergelijking met niet-deelnemers"
    notes = [n for n in evaluation.notes if "referentiegroep" in n]
    matched = evaluation.rows("psm_att")
    if not matched:
        return Section("referentie", title, notices=notes or [
            "Een vergelijking met niet-deelnemers is nog niet mogelijk."])
    rows = []
    for row in matched:
        arm = row.contrast.partition(" vs ")[0]
        ipw = evaluation.row("ipw_att", "exit_to_work", row.contrast)
        randomized = evaluation.row("lpm_hc2", "exit_to_work", f"{arm} vs {evaluation.control}")
        rows.append([reading.contrast_label(evaluation, row.contrast), reading.points(row.estimate),
                     reading.points(ipw.estimate) if ipw else "–",
                     reading.points(randomized.estimate) if randomized else "–"])
    return Section("referentie", title,
                   [t for r in matched if (t := reading.read_reference(evaluation, r.contrast))],
                   [Table("Uitstroom naar werk: verschil met de referentiegroep",
                          ["Groep", "Na matching", "Na weging", "Door loting (tegen de onderzoeksgroep)"], rows)],
                   notices=[WARNING])


def _p(value) -> str:
    """A p-value for a table cell; '< 0,001' kept on one line."""
    if value is None:
        return "–"
    return reading.p_text(value).removeprefix("p = ").removeprefix("p ").replace(" ", "\u00a0")


def _points(share: float) -> str:
    """A difference in proportions in percentage points, signed, without the unit (the column header has it)."""
    return ("+" if share > 0 else "−" if share < 0 else "") + dutch_decimal(abs(100 * share), 1)


def _questionnaires(evaluation) -> Section:
    response = evaluation.rows("share")
    waves = sorted({r.outcome.split(":wave")[1] for r in response if r.outcome.startswith("response:")}, key=int)
    if not waves:
        return Section("vragenlijsten", "Vragenlijsten", notices=[
            "Er zijn nog geen antwoorden op vragenlijsten in de gegevens; dit hoofdstuk volgt na de eerste ronde."])
    rows = [[evaluation.arm_names.get(r.contrast, r.contrast), f"ronde {wave}", dutch_percentage(r.estimate),
             dutch_number(r.n)] for wave in waves for r in response if r.outcome == f"response:wave{wave}"]
    tables = [Table("Respons per groep en ronde", ["Groep", "Ronde", "Ingevuld", "Gevraagd"], rows)]
    for instrument in PARTICIPANT_INSTRUMENTS:  # one small table each, so that none breaks across pages
        effects = [[reading.contrast_label(evaluation, c.code), dutch_decimal(row.estimate, 2),
                    f"{dutch_decimal(row.conf_low, 2)} tot {dutch_decimal(row.conf_high, 2)}", _p(row.p_value)]
                   for c in evaluation.contrasts if (row := evaluation.row("ancova_hc2", instrument, c.code))]
        if effects:
            tables.append(Table(f"{INSTRUMENTS[instrument].title}: laatste ronde, gecorrigeerd voor de nulmeting",
                                ["Vergelijking", "Verschil", "95%-interval", "p"], effects))
    notices = [n for n in evaluation.notes if "nulmeting" in n or "vragenlijst" in n.lower()]
    return Section("vragenlijsten", "Vragenlijsten", [
        "Deelnemers vullen bij de start (ronde 0) en daarna opnieuw vragenlijsten in over welzijn, gezondheid, "
        "zelfredzaamheid, participatie, vertrouwen, rondkomen en de dienstverlening. Wie niet invult, kan anders zijn "
        "dan wie wel invult; daarom staat de respons per groep erbij."], tables, notices=notices)


def _process(result) -> Section:
    series = result.monthly["contacts_per_participant"]
    mean = {a: [v for v in series.get(a, []) if v is not None] for a in result.arms}
    rows = [[result.arm_names[a], dutch_decimal(sum(v) / len(v), 2) if v else "–"] for a, v in mean.items()]
    figures = [Figure("Contacten per deelnemer per maand", _lines(result, {a: series[a] for a in result.arms},
                                                                  "Contacten", "Contacten", share=False),
                      "Lijnen per groep van het gemiddelde aantal contacten met de klantmanager per maand.")] \
        if result.monthly["months"] else []
    return Section("proces", "Procesevaluatie: de begeleiding", [
        "Kreeg elke groep de begeleiding die bij zijn spelregels hoort? Het gemiddelde aantal contacten per deelnemer "
        "per maand laat zien of de intensieve begeleiding ook intensiever was."],
        tables=[Table("Gemiddeld aantal contacten per deelnemer per maand", ["Groep", "Contacten"], rows)],
        figures=figures)


def _stories(stories) -> Section:
    if not stories:
        return Section("verhalen", "Verhalen uit de praktijk", notices=[
            "Er zijn (nog) geen verhalen van deelnemers die toestemming gaven om hun verhaal te publiceren."])
    return Section("verhalen", "Verhalen uit de praktijk", [
        "Niet alleen tellen, maar ook vertellen: deelnemers vertellen in eigen woorden, met hun toestemming.",
        *(f"{title}: {text}" for title, text in stories)])


def _method() -> Section:
    return Section("methode", "Methode en definities", [
        "Teldatum: de datum waarop de uitkomsten worden geteld. Een gebeurtenis telt als zij vóór de teldatum valt; "
        "iemand heeft op de teldatum een uitkering als die vóór de teldatum begon en niet vóór de teldatum eindigde.",
        "Uitstroom naar werk: de uitkering eindigde wegens werk of een start als zelfstandige. Netto: op de teldatum "
        "nog steeds zonder uitkering.",
        "Werk van 27 of 12 uur per week: zonder uitkering na uitstroom naar werk, of met een uitkering en ten minste "
        "117 of 52 uur werk in de laatste volledige maand vóór de teldatum.",
        "Intention to treat: iedereen die door loting is ingedeeld telt in zijn groep. Schattingen met robuuste "
        "standaardfouten (HC2); p-waarden ook uit herloting binnen de strata van de loting en gecorrigeerd voor het "
        "vergelijken van meerdere groepen (Holm). De vergelijking met de referentiegroep is niet door loting en kan "
        "door zelfselectie vertekend zijn.",
        "De volledige definities staan in de documentatie van vertrouwen (docs/evaluation.md en docs/monitor.md)."])

