"""The power analysis and the design diagnosis as plain Dutch text tables, for the command line."""

from vertrouwen.core.formatting import aligned_table, dutch_decimal, dutch_number, dutch_percentage
from vertrouwen.core.power.analytic import PER_ARM, POOLED, PowerAnalysis
from vertrouwen.core.power.diagnosis import Diagnosis

COMPARISONS = {PER_ARM: "elke groep tegen de controlegroep (Holm)", POOLED: "groepen samen tegen de controlegroep"}


def _points(share: float) -> str:
    return dutch_decimal(100 * share, 1)


def power_text(analysis: PowerAnalysis) -> str:
    a = analysis
    head = [
        f"Ontwerp: {a.arms} experimentgroep(en) van {dutch_number(a.n_per_arm)} tegen een controlegroep van "
        f"{dutch_number(a.n_control)}; uitstroom naar werk zonder effect {dutch_percentage(a.baseline)}.",
        f"{'Tweezijdige' if a.sided == 2 else 'Eenzijdige (alleen een toename)'} toetsen, alpha "
        f"{dutch_decimal(a.alpha, 3)} (per groep met Holm: "
        f"{dutch_decimal(a.per_arm.alpha, 4)}); gewenste power {dutch_percentage(a.power, 0)}.",
        "",
    ]
    effects = [f"+{_points(e)}" for e in a.effects]
    header = ["vergelijking", "alpha", "MDE (punten)", *(f"power {e}" for e in effects),
              *(f"nodig per groep {e}" for e in effects)]
    rows = [[COMPARISONS[c.comparison], dutch_decimal(c.alpha, 4), _points(c.mde),
             *(dutch_percentage(p) for p in c.power_at), *(dutch_number(n) for n in c.n_per_arm_needed)]
            for c in a.comparisons]
    note = ("MDE: kleinste toename in procentpunten die het ontwerp met de gewenste power vindt. "
            "Nodig per groep: personen per experimentgroep (controlegroep in dezelfde verhouding).")
    return "\n".join([*head, *aligned_table([header, *rows]), "", note])


def diagnosis_text(diagnosis: Diagnosis) -> str:
    d = diagnosis
    head = [
        f"Ontwerp {d.design}: {d.replications} gesimuleerde experimenten met {dutch_number(d.n_per_arm)} per groep "
        f"(seed {d.seed}); uitstroom naar werk in de controlegroep {dutch_percentage(d.control_proportion)}.",
        f"Ware effecten uit een populatie van {dutch_number(d.population)}; alpha {dutch_decimal(d.alpha, 3)}, "
        f"Holm over de groepen. Minstens één groep significant: {dutch_percentage(d.any_rejected)}.",
        "",
    ]
    header = ["vergelijking", "waar effect", "bias", "emp. SE", "gem. SE", "dekking 95%-BI", "power (Holm)",
              "power zonder correctie"]
    rows = [[c.comparison if c.comparison != POOLED else "groepen samen", _points(c.true_effect),
             _points(c.bias), _points(c.empirical_se), _points(c.mean_se), dutch_percentage(c.coverage),
             dutch_percentage(c.power), dutch_percentage(c.power_unadjusted)] for c in d.comparisons]
    return "\n".join([*head, *aligned_table([header, *rows]), "", "Effecten, bias en SE in procentpunten."])
