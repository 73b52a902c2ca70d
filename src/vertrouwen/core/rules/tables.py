"""The rule tables that ship with vertrouwen: earnings disregards and benefit norms, each value with its validity,
its source and whether it is confirmed.

A value is `confirmed` only when it was checked against the ministry of SZW's half-yearly publication of the
Participatiewet amounts; every value below comes from a municipal or other public page that repeats those
amounts, so none is marked confirmed yet. A beheerder confirms or corrects them in the application (the web
app keeps them as versioned data). A row is valid from its date until the next row of the same kind; the gaps
between known amounts (the maximum is indexed every 1 January and 1 July) carry the last known amount.
"""

from datetime import date

from vertrouwen.core.rules.rulebook import BenefitNorm, DisregardRule

_SOURCE_DESIGN = "Projectbrief (DESIGN.md, paragraaf 5), uit openbare gemeentelijke bronnen"
_SOURCE_VELSEN = "Gemeente Velsen, 'Bijstandsnormen per 1 juli 2024'"
_SOURCE_WESTLAND = "Gemeente Westland, 'Normenoverzicht minimuminkomen', normbedragen per 1 januari 2025"
_SOURCE_STIMULANSZ = "Stimulansz, normenoverzicht inclusief vakantiegeld (ingangsdatum niet op de pagina)"
_SOURCE_IASZ = "IASZ, 'Bijstandsnormen, overige bedragen' (ingangsdatum niet op de pagina)"
_SOURCE_DECREE = "Tijdelijk besluit experimenten Participatiewet, Stb. 2017, 69, art. 6"

# Art. 31 lid 2 sub n Pw: 25% of earnings from work, a half-yearly indexed maximum, at most 6 months, from age 27.
STANDARD = tuple(
    DisregardRule("standard", start, 2500, maximum, max_months=6, min_age=27, source=source)
    for start, maximum, source in (
        (date(2015, 1, 1), 19_600, _SOURCE_DESIGN),
        (date(2017, 1, 1), 19_900, _SOURCE_DESIGN),
        (date(2018, 1, 1), 20_100, _SOURCE_DESIGN),
        (date(2020, 7, 1), 21_700, _SOURCE_DESIGN),
        (date(2023, 1, 1), 24_600, _SOURCE_DESIGN),
        (date(2024, 1, 1), 26_400, _SOURCE_DESIGN),
        (date(2024, 7, 1), 26_900, _SOURCE_VELSEN),
        (date(2025, 7, 1), 28_500, _SOURCE_IASZ),
    )
)

# Art. 31 lid 2 sub r Pw: single parents, 12.5% of earnings, a maximum, at most 30 months.
SINGLE_PARENT = (
    DisregardRule("single_parent", date(2024, 1, 1), 1250, 16_473, max_months=30, source=_SOURCE_DESIGN),
    DisregardRule("single_parent", date(2024, 7, 1), 1250, 16_779, max_months=30, source=_SOURCE_VELSEN),
)

# The decree's experiment disregard: 50% of earnings, at most EUR 199 a month, for the experiment's duration.
EXPERIMENT = (DisregardRule("experiment", date(2017, 1, 1), 5000, 19_900, source=_SOURCE_DECREE, confirmed=True),)

DISREGARD_RULES: tuple[DisregardRule, ...] = STANDARD + SINGLE_PARENT + EXPERIMENT

# Monthly norms for persons from 21 years to the state pension age, including the holiday allowance; a single
# parent has the norm of a single person since 2015.
BENEFIT_NORMS: tuple[BenefitNorm, ...] = tuple(
    BenefitNorm(household, start, cents, source=source)
    for start, single, couple, source in (
        (date(2024, 7, 1), 130_845, 186_921, _SOURCE_VELSEN),
        (date(2025, 1, 1), 134_545, 192_207, _SOURCE_WESTLAND),
        (date(2025, 7, 1), 136_906, 195_580, _SOURCE_STIMULANSZ),
    )
    for household, cents in (("alleenstaande", single), ("alleenstaande_ouder", single),
                             ("gehuwd_samenwonend", couple))
)
