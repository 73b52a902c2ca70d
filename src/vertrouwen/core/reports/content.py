"""What a progress or final report says, from a dataset: every number formatted as a Dutch reader expects it and
every chart drawn, so that the template only lays out. The same dataset and software version give the same
report: nothing here reads the clock; the report's date is that of the data."""

import datetime as dt
from dataclasses import dataclass, field, replace

from vertrouwen import __version__
from vertrouwen.core import codes
from vertrouwen.core.catalogue import Cell, Chart, Row, Table
from vertrouwen.core.catalogue import monitor as monitor_catalogue
from vertrouwen.core.catalogue.evaluation import EvaluationParts, Part, evaluation_parts
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.dataset.writing import canonical_hash
from vertrouwen.core.evaluation import Evaluation, EvaluationSettings, evaluate_with, reading, settings_for_dataset
from vertrouwen.core.evaluation.reference import WARNING
from vertrouwen.core.formatting import dutch_number, euro, long_date
from vertrouwen.core.monitor import TOTAL, monitor
from vertrouwen.core.rules import JobBonus, Regime, RuleMissing, shipped_rulebook, summary

KINDS = {"progress": "Voortgangsrapportage", "final": "Eindrapportage"}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Chart] = field(default_factory=list)
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
    lines = monitor_catalogue.monthly_charts(result)
    parts = evaluation_parts(evaluation) if evaluation.contrasts else None
    sections = [
        _summary(manifest, result, evaluation, as_of, count_date, kind),
        _design(manifest),
        _participants(result),
        _goals(result),
        _exit(result, lines),
        _parttime(result, lines),
        _evaluation(evaluation, parts),
        _reference(evaluation, parts),
        _questionnaires(evaluation, parts),
        _process(result, lines),
        _stories(stories),
        *([_plan(evaluation)] if kind == "final" else []),
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
        rules = [codes.GUIDANCE_INTENSITIES.get(arm.guidance_intensity, arm.guidance_intensity).lower(),
                 _disregard(arm.disregard_regime, experiment.period_start)]
        if arm.exempt_from_obligations:
            rules.insert(0, "vrijgesteld van de arbeids- en re-integratieverplichtingen")
        if arm.job_bonus_cents:
            rules.append(f"premie van {euro(arm.job_bonus_cents)}, {JobBonus.of(arm).summary}")
        rows.append(Row(arm.code, arm.name + (" (controlegroep)" if arm.is_control else ""),
                        [Cell("rules", "; ".join(r for r in rules if r))]))
        paragraphs.append(f"Spelregels van {arm.name}:\n{arm.rules_text.strip()}")
    return Section("opzet", "Opzet van het experiment", paragraphs,
                   tables=[Table("groups", "De groepen", ["Wat de groep kenmerkt"], rows, first="Groep")])


def _participants(result) -> Section:
    return Section("deelnemers", "Deelnemers en hun ontwikkeling", [
        "Deelnemers zijn de mensen die de spelregels van hun groep tekenden. Wie stopte, deed niet langer mee terwijl "
        "de uitkering doorliep; wie uitstroomde, heeft geen uitkering meer; de stand is wie nog een uitkering heeft."],
        tables=[monitor_catalogue.participants_table(result)])


def _goals(result) -> Section:
    highest = monitor_catalogue.highest_goal_chart(result)
    notices = [] if result.goals_baseline[TOTAL]["with_goal"] else [
        "Er zijn nog geen doelen vastgelegd in een startgesprek (nulmeting)."]
    return Section("doelen", "Doelen bij de nulmeting", [
        "In het startgesprek legt de klantmanager met de deelnemer persoonlijke doelen vast; iemand kan meer doelen "
        "hebben. Het hoogst haalbare doel is het hoogste in de volgorde werk, parttime werk, opleiding, "
        "re-integratie, vrijwilligerswerk, zorg en hulp, anders."],
        tables=[monitor_catalogue.goals_table(result), highest.numbers], figures=[highest], notices=notices)


def _exit(result, lines: dict) -> Section:
    return Section("uitstroom", "Uitstroom naar werk", [
        "Rechte tellingen, zoals in de monitor: van de deelnemers die niet stopten (en van alle mensen in de "
        "referentiegroep) het aantal dat de uitkering verliet voor werk of als zelfstandige, en van hen het aantal "
        "dat op de teldatum nog steeds geen uitkering had. De referentiegroep is niet door loting gevormd; verschillen "
        "met die groep zijn geen effecten."],
        tables=[monitor_catalogue.exit_table(result)],
        figures=[lines[key] for key in ("exit-gross", "exit-net") if key in lines])


def _parttime(result, lines: dict) -> Section:
    return Section("parttime", "Parttime werk", [
        "Het aandeel van wie een uitkering heeft met inkomsten uit parttime werk die met de uitkering worden "
        "verrekend, per maand."], tables=[monitor_catalogue.parttime_table(result)],
        figures=[lines["earnings"]] if "earnings" in lines else [])


def _read(part: Part) -> list[Table]:
    """A part's tables, with its readings under the last of them."""
    if not part.tables:
        return []
    return [*part.tables[:-1], replace(part.tables[-1], readings=tuple(part.readings))]


def _evaluation(evaluation, parts: EvaluationParts | None) -> Section:
    if parts is None or not evaluation.contrasts:
        return Section("evaluatie", "Gerandomiseerde evaluatie", notices=list(evaluation.notes))
    paragraphs = [
        "Iedereen die door loting is ingedeeld telt mee in zijn groep, ook wie de spelregels niet tekende of stopte "
        "(intention to treat). De hoofdschatting is het verschil met de controlegroep, gecorrigeerd voor "
        "achtergrondkenmerken en de strata van de loting, met een 95%-betrouwbaarheidsinterval. Het kleinste "
        "aantoonbare effect (MDE) staat ernaast: een niet-significant verschil dat veel kleiner is dan de MDE "
        "betekent: te weinig mensen, niet: geen effect."]
    tables = [table for part in parts.effects for table in _read(part)] + _read(parts.time)
    figures = [part.chart for part in (*parts.effects, parts.time) if part.chart is not None]
    return Section("evaluatie", "Gerandomiseerde evaluatie", paragraphs, tables, figures)


def _reference(evaluation, parts: EvaluationParts | None) -> Section:
    """Not randomized: the warning comes first, the randomized estimate stands beside each number."""
    title = "Vergelijking met niet-deelnemers"
    if parts is None or parts.reference is None:
        return Section("referentie", title, notices=[n for n in evaluation.notes if "referentiegroep" in n] or [
            "Een vergelijking met niet-deelnemers is nog niet mogelijk."])
    return Section("referentie", title, tables=_read(parts.reference), notices=[WARNING])


def _questionnaires(evaluation, parts: EvaluationParts | None) -> Section:
    if parts is None or parts.response is None:
        return Section("vragenlijsten", "Vragenlijsten", notices=[
            "Er zijn nog geen antwoorden op vragenlijsten in de gegevens; dit hoofdstuk volgt na de eerste ronde."])
    notices = [n for n in evaluation.notes if "nulmeting" in n or "vragenlijst" in n.lower()]
    tables = _read(parts.response) + [table for part in parts.questionnaires for table in _read(part)]
    return Section("vragenlijsten", "Vragenlijsten", [
        "Deelnemers vullen bij de start (ronde 0) en daarna opnieuw vragenlijsten in over welzijn, gezondheid, "
        "zelfredzaamheid, participatie, vertrouwen, rondkomen en de dienstverlening. Wie niet invult, kan anders zijn "
        "dan wie wel invult; daarom staat de respons per groep erbij."], tables, notices=notices)


def _process(result, lines: dict) -> Section:
    return Section("proces", "Procesevaluatie: de begeleiding", [
        "Kreeg elke groep de begeleiding die bij zijn spelregels hoort? Het gemiddelde aantal contacten per deelnemer "
        "per maand laat zien of de intensieve begeleiding ook intensiever was."],
        tables=[monitor_catalogue.contacts_table(result)],
        figures=[lines["contacts"]] if "contacts" in lines else [])


def _stories(stories) -> Section:
    if not stories:
        return Section("verhalen", "Verhalen uit de praktijk", notices=[
            "Er zijn (nog) geen verhalen van deelnemers die toestemming gaven om hun verhaal te publiceren."])
    return Section("verhalen", "Verhalen uit de praktijk", [
        "Niet alleen tellen, maar ook vertellen: deelnemers vertellen in eigen woorden, met hun toestemming.",
        *(f"{title}: {text}" for title, text in stories)])


def _plan(evaluation: Evaluation) -> Section:
    """The final report's account of the analysis plan: what it fixed, and every deviation from it."""
    if evaluation.plan is None:
        return Section("afwijkingen", "Afwijkingen van het analyseplan", [
            "Er is geen analyseplan opgegeven dat vóór de loting is vastgelegd. Alle schattingen in dit rapport zijn "
            "daarom verkennend: ze zijn niet vooraf vastgelegd."])
    deviations = list(evaluation.deviations) or ["Geen: de evaluatie volgde het plan."]
    return Section("afwijkingen", "Afwijkingen van het analyseplan", [
        "Het analyseplan legde vast:", *evaluation.plan.described(), "Afwijkingen:", *deviations,
        "Wat het plan niet noemt, staat in dit rapport als verkennend (niet vooraf vastgelegd)."])


def _method() -> Section:
    return Section("methode", "Methode en definities", [
        "Teldatum: de datum waarop de uitkomsten worden geteld. Een gebeurtenis telt als zij vóór de teldatum valt; "
        "iemand heeft op de teldatum een uitkering als die vóór de teldatum begon en niet vóór de teldatum eindigde.",
        "Uitstroom naar werk: de uitkering eindigde wegens werk of een start als zelfstandige. Netto: op de teldatum "
        "nog steeds zonder uitkering.",
        "Netto uitstroom naar werk telt niet wie na de uitstroom terugkwam in de bijstand.",
        "Werk van 27 of 12 uur per week: alleen waar de uren bekend zijn, bij wie op de teldatum een uitkering had en "
        "ten minste 117 of 52 uur werkte in de laatste volledige maand vóór de teldatum; wie zonder uitkering is, "
        "telt daar niet mee (de uren na uitstroom staan niet in de gegevens).",
        "Intention to treat: iedereen die door loting is ingedeeld telt in zijn groep. Schattingen met robuuste "
        "standaardfouten (HC2); p-waarden ook uit herloting (de loting opnieuw uitgevoerd zoals die trok) en "
        "gecorrigeerd voor het vergelijken van meerdere groepen. Een verschil heet alleen statistisch significant "
        "als de gecorrigeerde p-waarde onder het niveau ligt. De vergelijking met de referentiegroep is niet door "
        "loting en kan door zelfselectie vertekend zijn.",
        "De volledige definities staan in de documentatie van vertrouwen (docs/evaluation.md en docs/monitor.md)."])

