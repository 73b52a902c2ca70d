"""The evaluation read aloud: a plain-Dutch sentence or two next to every result, for the web page, the reports
and the command line. What counts as the primary estimate: the linear probability model adjusted for baseline
covariates and lottery strata (lpm_hc2); the other methods check it."""

import math

from vertrouwen.core.evaluation.frame import OUTCOME_LABELS
from vertrouwen.core.evaluation.plan import CORRECTIONS, EXPLORATORY, MODIFIERS
from vertrouwen.core.evaluation.reference import WARNING as SELF_SELECTION_WARNING
from vertrouwen.core.evaluation.settings import ALPHA
from vertrouwen.core.formatting import dutch_decimal, dutch_number, dutch_percentage
from vertrouwen.core.lottery.balance import SMD_THRESHOLD
from vertrouwen.core.surveys.instruments import INSTRUMENTS

SIGNIFICANCE = ALPHA


def outcome_label(code: str) -> str:
    if code in OUTCOME_LABELS:
        return OUTCOME_LABELS[code]
    instrument = INSTRUMENTS.get(code.split(":")[0])
    return instrument.title if instrument else code


def contrast_label(evaluation, contrast: str) -> str:
    treated, _, control = contrast.partition(" vs ")
    names = [evaluation.arm_names.get(arm, "Alle deelnemers" if arm == "participants" else arm)
             for arm in treated.split("+")]
    group = names[0] if len(names) == 1 else " + ".join(names) + " samen"
    other = "de referentiegroep" if control == "reference" else evaluation.arm_names.get(control, control)
    return f"{group} tegen {other}"


def signed(value: float, digits: int = 1) -> str:
    """A number with its sign, a real minus sign for a negative one: +15,2, −3,4; no sign for what rounds to
    zero: 0,0."""
    text = dutch_decimal(abs(value), digits)
    if math.isnan(value) or round(value, digits) == 0:
        return text
    return f"{'+' if value > 0 else '−'}{text}"


def points(difference: float) -> str:
    """A difference in proportions in percentage points, with its sign."""
    return f"{signed(100 * difference, 1)} procentpunt"


def p_text(p: float | None) -> str:
    if p is None or math.isnan(p):
        return "p n.b."
    return "p < 0,001" if p < 0.001 else f"p = {dutch_decimal(p, 3)}"


def _share_of(evaluation, outcome: str, arms: tuple[str, ...], method: str = "share") -> tuple[float, int] | None:
    rows = [r for r in evaluation.rows(method, outcome) if r.contrast in arms]
    if not rows:
        return None
    n = sum(r.n for r in rows)
    return (sum(r.estimate * r.n for r in rows) / n if n else math.nan), n


def shares(evaluation, outcome: str, contrast: str) -> tuple[float, float] | None:
    """The outcome's share in the contrast's arms together and in its control arm."""
    treated, _, control = contrast.partition(" vs ")
    own, other = _share_of(evaluation, outcome, tuple(treated.split("+"))), _share_of(evaluation, outcome, (control,))
    return None if own is None or other is None else (own[0], other[0])


def standing(evaluation, outcome: str, contrast: str) -> str:
    """Where an effect stands against the analysis plan: primary or secondary in it, or exploratory."""
    plan = evaluation.plan
    if plan is None or not plan.planned(outcome, contrast):
        return EXPLORATORY
    return "volgens plan, primair" if outcome in plan.primary else "volgens plan, secundair"


def read_effect(evaluation, outcome: str, contrast: str) -> str:
    """The primary estimate of one outcome and contrast in words, with its power."""
    main = evaluation.primary(outcome, contrast)
    treated, _, control = contrast.partition(" vs ")
    arms = tuple(treated.split("+"))
    own, other = _share_of(evaluation, outcome, arms), _share_of(evaluation, outcome, (control,))
    if main is None or own is None or other is None:
        return "Voor deze vergelijking is nog geen schatting mogelijk."
    label = contrast_label(evaluation, contrast).split(" tegen ")[0]
    adjusted = ("Zonder correctie voor achtergrondkenmerken (te weinig personen daarvoor)"
                if contrast in evaluation.unadjusted else "Gecorrigeerd voor achtergrondkenmerken")
    text = [f"{label}: {dutch_percentage(own[0])} {outcome_label(outcome)}, tegen "
            f"{dutch_percentage(other[0])} in {evaluation.arm_names.get(control, control)}. {adjusted} is het "
            f"verschil {points(main.estimate)} ({_interval(main)})."]
    corrected = evaluation.row(evaluation.correction, outcome, contrast)
    if corrected is not None:
        text.append(f"Gecorrigeerd voor het vergelijken van meerdere groepen ({CORRECTIONS[evaluation.correction]}): "
                    f"{p_text(corrected.p_value)}.")
    text.append(_verdict(main, decisive_p(evaluation, outcome, contrast), evaluation.row("mde", outcome, contrast),
                         evaluation.alpha))
    return f"{standing(evaluation, outcome, contrast).capitalize()}: {' '.join(text)}"


def decisive_p(evaluation, outcome: str, contrast: str) -> float | None:
    """The p-value that decides whether a difference is called statistically significant: corrected over the
    family of single arms against control (Holm, or the analysis plan's correction) where that family has more than
    one member (docs/evaluation.md), else the adjusted model's own."""
    corrected = evaluation.row(evaluation.correction, outcome, contrast)
    if corrected is not None:
        return corrected.p_value
    main = evaluation.primary(outcome, contrast)
    return None if main is None else main.p_value


def _known(p: float | None) -> bool:
    return p is not None and not math.isnan(p)


def _interval(row) -> str:
    """The 95% interval and the p-value, or that they cannot be estimated (a standard error that is not finite,
    as when a person is alone in a level of a covariate)."""
    if not all(v is not None and math.isfinite(v) for v in (row.conf_low, row.conf_high)):
        return "het betrouwbaarheidsinterval en de p-waarde zijn met deze gegevens niet te schatten"
    return (f"95%-betrouwbaarheidsinterval {points(row.conf_low)} tot {points(row.conf_high)}; "
            f"{p_text(row.p_value)}")


def _verdict(main, decisive: float | None, mde, alpha: float = ALPHA) -> str:
    """Significant only when the decisive p-value (decisive_p) is below alpha; a model p-value below alpha that
    the correction for several groups lifts above it is said as such."""
    if not _known(decisive) or not all(v is not None and math.isfinite(v) for v in (main.conf_low, main.conf_high)):
        return "Of dit verschil statistisch significant is, is met deze gegevens niet te zeggen."
    if decisive < alpha:
        return ("Dit verschil is statistisch significant: het is onwaarschijnlijk dat het alleen door het toeval "
                "van de loting is ontstaan.")
    if _known(main.p_value) and main.p_value < alpha:
        return (f"Zonder correctie zou {p_text(main.p_value)} onder {dutch_decimal(alpha, 2)} liggen, maar na "
                f"correctie voor het "
                f"vergelijken van meerdere groepen is {p_text(decisive)}: dit verschil is niet statistisch "
                "significant. Het wijst op een mogelijk effect dat met deze gegevens niet vaststaat.")
    text = "Dit verschil is niet statistisch significant."
    if mde is None:
        return text
    if abs(main.estimate) < mde.estimate:
        return (f"{text} Met deze aantallen was pas een verschil van {dutch_decimal(100 * mde.estimate, 1)} "
                "procentpunt met 80% kans aan te tonen. 'Niet significant' betekent hier vooral: te weinig "
                "deelnemers om een kleiner effect te zien, niet: geen effect.")
    return f"{text} Het interval laat zowel geen effect als een flink effect open."


def read_balance(evaluation, population: str) -> str:
    """How alike the arms are on the baseline covariates in one population ("toegewezen", or those who answered a
    questionnaire wave): the flagged standardized differences and the joint test per arm."""
    table = evaluation.balance.get(population)
    if table is None:
        return ""
    control = evaluation.arm_names.get(evaluation.control, evaluation.control)
    compared = [r for r in table.rows if r.smd is not None and not math.isnan(r.smd)]
    flagged = table.imbalanced
    if flagged:
        labels = dict(table.labels)
        names = list(dict.fromkeys(labels.get(r.covariate, r.covariate).lower() for r in flagged))
        text = (f"Bij {len(flagged)} van de {len(compared)} vergelijkingen met {control} is het gestandaardiseerde "
                f"verschil groter dan {dutch_decimal(SMD_THRESHOLD, 1)} ({', '.join(names)}).")
    else:
        text = (f"Bij geen van de {len(compared)} vergelijkingen met {control} is het gestandaardiseerde verschil "
                f"groter dan {dutch_decimal(SMD_THRESHOLD, 1)}.")
    tests = [r for r in evaluation.balance_tests if r.outcome == f"balance:{population}" and r.p_value is not None]
    low = [r for r in tests if r.p_value < SIGNIFICANCE]
    if low:
        arms = ", ".join(evaluation.arm_names.get(r.contrast.partition(" vs ")[0], r.contrast) for r in low)
        text += (f" De gezamenlijke toets wijst op een verschil in achtergrondkenmerken bij {arms} "
                 f"({p_text(min(r.p_value for r in low))}).")
    elif tests:
        text += (" De gezamenlijke toets geeft geen aanwijzing dat de achtergrondkenmerken samen verschillen tussen "
                 f"de groepen (kleinste {p_text(min(r.p_value for r in tests))}).")
    if population != "toegewezen":
        text += (" Dit zijn alleen wie deze vragenlijst invulden: een verschil hier wijst op selectieve respons, niet "
                 "op een mislukte loting.")
    elif flagged:
        text += " Bij groepen van deze omvang ontstaan enkele verschillen boven 0,1 ook bij een eerlijke loting."
    return text


def read_response(evaluation, wave: int) -> str:
    """Who answered a questionnaire wave, per arm, and whether response differs between the arms."""
    rows = [r for r in evaluation.rows("share", f"response:wave{wave}") if r.n]
    if not rows:
        return ""
    low, high = min(rows, key=lambda r: r.estimate), max(rows, key=lambda r: r.estimate)
    text = (f"Ronde {wave}: {dutch_percentage(low.estimate)} ({evaluation.arm_names.get(low.contrast, low.contrast)})"
            f" tot {dutch_percentage(high.estimate)} ({evaluation.arm_names.get(high.contrast, high.contrast)}) van "
            "de deelnemers vulde de vragenlijst in.")
    test = evaluation.row("response_chi2", f"response:wave{wave}", "arms")
    if test is not None and test.p_value is not None and not math.isnan(test.p_value):
        differs = test.p_value < SIGNIFICANCE
        text += (f" De respons verschilt tussen de groepen ({p_text(test.p_value)}): de vergelijking van de "
                 "vragenlijsten kan daardoor scheef zijn; de gewogen schatting (IPW) houdt daar rekening mee."
                 if differs else
                 f" Geen aanwijzing dat de respons verschilt tussen de groepen ({p_text(test.p_value)}).")
    return text


def read_time(evaluation, arm: str) -> str:
    row = evaluation.row("cumulative_incidence", "exit_to_work", arm)
    if row is None:
        return ""
    return (f"In {evaluation.arm_names.get(arm, arm)} was tot de teldatum {dutch_percentage(row.estimate)} "
            f"uitgestroomd naar werk (95%-interval {dutch_percentage(row.conf_low)} tot "
            f"{dutch_percentage(row.conf_high)}), rekening houdend met wie om een andere reden uitstroomde.")


def read_hazard(evaluation, contrast: str) -> str:
    row = evaluation.row("cox_hr", "exit_to_work", contrast)
    if row is None:
        return ""
    faster = "sneller" if row.estimate > 1 else "langzamer"
    return (f"{contrast_label(evaluation, contrast)}: de kans om in een maand uit te stromen naar werk is "
            f"{dutch_decimal(row.estimate, 2)} keer zo groot ({faster}; 95%-interval {dutch_decimal(row.conf_low, 2)}"
            f" tot {dutch_decimal(row.conf_high, 2)}; {p_text(row.p_value)}).")


REENTRY_CAVEAT = ("Herinstroom is gemeten bij wie naar werk uitstroomde. Die uitstroom gebeurde na de loting en kan "
                  "zelf door de groep komen; wie uitstroomt, verschilt dan per groep. Een verschil in herinstroom is "
                  "daarom geen vergelijking door loting, maar een verkennende aanwijzing.")


def read_reentry(evaluation, months: int, arm: str) -> str:
    row = evaluation.row("share", f"reentry_{months}m", arm)
    if row is None:
        return ""
    return (f"In {evaluation.arm_names.get(arm, arm)} kwam {dutch_percentage(row.estimate)} van wie naar werk "
            f"uitstroomde binnen {months} maanden terug in de bijstand (van {dutch_number(row.n)} personen).")


def read_questionnaire(evaluation, instrument: str, contrast: str) -> str:
    row = evaluation.row("ancova_hc2", instrument, contrast)
    if row is None:
        return ""
    direction = "hoger" if row.estimate > 0 else "lager"
    significant = row.p_value is not None and row.p_value < SIGNIFICANCE
    text = (f"{contrast_label(evaluation, contrast)}: in de laatste ronde scoort de groep "
            f"{dutch_decimal(abs(row.estimate), 2)} punt {direction} op '{outcome_label(instrument)}' dan te "
            f"verwachten was uit de nulmeting (95%-interval {dutch_decimal(row.conf_low, 2)} tot "
            f"{dutch_decimal(row.conf_high, 2)}; {p_text(row.p_value)}); ")
    text += ("p ligt onder 0,05, zonder correctie voor de vele vergelijkingen van de vragenlijsten (een secundaire "
             "uitkomst): een aanwijzing, geen bewijs." if significant else "dat kan toeval zijn.")
    ipw = evaluation.row("ancova_ipw", instrument, contrast)
    if ipw is not None:
        text += (f" Gewogen voor wie de vragenlijst niet invulde: {dutch_decimal(ipw.estimate, 2)} "
                 f"({p_text(ipw.p_value)}).")
    return text


def read_reference(evaluation, contrast: str) -> str:
    row = evaluation.row("psm_att", "exit_to_work", contrast)
    if row is None:
        return ""
    text = (f"{contrast_label(evaluation, contrast)}, na matching op achtergrondkenmerken: {points(row.estimate)} "
            f"uitstroom naar werk (95%-interval {points(row.conf_low)} tot {points(row.conf_high)}).")
    arm = contrast.partition(" vs ")[0]
    randomized = evaluation.row("lpm_hc2", "exit_to_work", f"{arm} vs {evaluation.control}")
    if randomized is not None:
        text += f" Ter vergelijking, door loting tegen de onderzoeksgroep: {points(randomized.estimate)}."
    elif arm == evaluation.control:
        text += (" Dit verschil tussen de onderzoeksgroep en niet-deelnemers is het 'onderzoekseffect' plus "
                 "zelfselectie; loting kan die twee niet scheiden.")
    return text


def read_interaction(evaluation, modifier: str, contrast: str) -> str:
    row = evaluation.row("interaction_wald", f"exit_to_work|{modifier}", contrast)
    if row is None:
        return ""
    differs = row.p_value is not None and row.p_value < SIGNIFICANCE
    verdict = ("het effect lijkt te verschillen tussen de subgroepen" if differs else
               "geen aanwijzing dat het effect verschilt tussen de subgroepen")
    return (f"{contrast_label(evaluation, contrast)}: {verdict} ({p_text(row.p_value)}). Verkennend: de loting was "
            "niet opgezet om subgroepen te vergelijken.")


def read_randomization(evaluation, outcome: str, contrast: str) -> str:
    """The p-value of the re-draws (how they re-did the lottery is said once: evaluation.randomization_scheme)."""
    row = evaluation.row("randomization_inference", outcome, contrast)
    if row is None:
        return ""
    return (f"{contrast_label(evaluation, contrast)}: herlotingstoets over {dutch_number(evaluation.permutations)} "
            f"herlotingen, {p_text(row.p_value)}.")


def read_plan(evaluation) -> list[str]:
    """The analysis plan the evaluation followed and where it deviated, or that there was none."""
    if evaluation.plan is None:
        return ["- Er is geen analyseplan opgegeven: alle schattingen zijn verkennend (niet vooraf vastgelegd)."]
    lines = ["Analyseplan:", *(f"  {line}" for line in evaluation.plan.described())]
    lines += ["Afwijkingen van het analyseplan:"]
    lines += [f"  - {d}" for d in evaluation.deviations] or ["  Geen."]
    return [*lines, ""]


def summary(evaluation) -> str:
    """The evaluation as plain text for the command line: every section the page shows, with its notes and
    warnings."""
    lines = [f"Evaluatie {evaluation.experiment}, {evaluation.municipality}, teldatum "
             f"{evaluation.count_date.isoformat()}", ""]
    lines += [f"- {note}" for note in evaluation.notes]
    lines += [f"- Let op: {warning}" for warning in evaluation.warnings if warning != SELF_SELECTION_WARNING]
    lines += read_plan(evaluation)
    if not evaluation.contrasts:
        return "\n".join(lines) + "\n"
    sizes = ", ".join(f"{evaluation.arm_names[a]} {dutch_number(n)}" for a, n in evaluation.sizes.items())
    lines += [f"Door loting ingedeeld: {sizes}."]
    lines += [f"Herlotingstoets: {evaluation.randomization_scheme}"] if evaluation.randomization_scheme \
        and not evaluation.scheme_assumed else []
    lines += ["", "Gelijkheid van de groepen na de loting:"]
    lines += [f"  {population.capitalize()}: {text}" for population in evaluation.balance
              if (text := read_balance(evaluation, population))]
    lines.append("")
    for outcome in OUTCOME_LABELS:
        lines.append(f"{outcome_label(outcome).capitalize()}:")
        lines += [f"  {read_effect(evaluation, outcome, c.code)}" for c in evaluation.contrasts]
        lines += [f"  {text}" for c in evaluation.contrasts
                  if (text := read_randomization(evaluation, outcome, c.code))]
        lines.append("")
    lines.append("Tijd tot uitstroom:")
    lines += [f"  {text}" for arm in evaluation.arms if evaluation.sizes.get(arm)
              and (text := read_time(evaluation, arm))]
    lines += [f"  {text}" for c in evaluation.contrasts if (text := read_hazard(evaluation, c.code))]
    reentry = [f"  {text}" for arm in evaluation.arms if (text := read_reentry(evaluation, 12, arm))]
    lines += [*reentry, f"  {REENTRY_CAVEAT}"] if reentry else []
    waves = sorted({int(r.outcome.rsplit("wave", 1)[1]) for r in evaluation.rows("share")
                    if r.outcome.startswith("response:wave")})
    compared = list(dict.fromkeys(r.outcome for r in evaluation.rows("ancova_hc2")))
    if waves or compared:
        lines += ["", "Vragenlijsten:"]
        lines += [f"  {text}" for wave in waves if (text := read_response(evaluation, wave))]
        lines += [f"  {text}" for code in compared for c in evaluation.contrasts
                  if (text := read_questionnaire(evaluation, code, c.code))]
    modifiers = evaluation.plan.subgroups if evaluation.plan else MODIFIERS
    interactions = [text for modifier in modifiers for c in evaluation.contrasts
                    if (text := read_interaction(evaluation, modifier, c.code))]
    if interactions:
        lines += ["", "Subgroepen (verkennend):", *(f"  {text}" for text in interactions)]
    lines += ["", "Vergelijking met niet-deelnemers (niet door loting):", f"  {SELF_SELECTION_WARNING}"]
    lines += [f"  {text}" for c in evaluation.rows("psm_att") if (text := read_reference(evaluation, c.contrast))]
    return "\n".join(lines) + "\n"
