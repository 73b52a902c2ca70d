"""The rule tables that ship with vertrouwen: benefit norms and earnings disregards from 1 January 2015, per half
year (the norms and the maxima are indexed every 1 January and 1 July), each value with its validity, its source
and whether it is confirmed.

A value is `confirmed` only when it was read in the ministry of SZW's half-yearly publication of the amounts in
the Staatscourant; every other value names the public page it was read on (a municipality, an advice site, a copy
of the statute text) and stays unconfirmed until a beheerder checks it. No value is interpolated: where a half
year's amount could not be found there is no row, the previous row stays in use, and every settlement of such a
month says that the newer amounts are missing (rulebook.missing_since). Missing now: the norms of 1 July 2016,
1 January 2020 and 2026; the sub n maximum from 2016 to 2017-06, 2018 to 2021-06, 2021-07 to 2023 and from 2025; the
sub r maximum likewise.
"""

from datetime import date

from vertrouwen.core.rules.rulebook import BenefitNorm, Counting, DisregardRule, LawChange

_STCRT_2015 = ("Mededeling SZW 2015-0000145587, herziening normen en bedragen Participatiewet per 1 juli 2015, "
               "Stcrt. 2015, 17277")
_LAW_2015 = "Participatiewet art. 31 lid 2, tekst van wetten.overheid.nl (BWBR0015703) per 2015, in een kopie"
_LAW_2017 = ("Participatiewet art. 31 lid 2 sub n, tekst van wetten.overheid.nl (BWBR0015703) per 1 oktober 2017, "
             "geciteerd")
_VELSEN = "Gemeente Velsen, 'Bijstandsnormen per {}'"
AGE_LIMIT = 27  # art. 31 lid 7 Pw: the disregards of sub n and sub r not under this age

# Monthly norms for persons from 21 years to the state pension age, including the holiday allowance (and that part
# apart, where the page states it): (from, single, its holiday part, couple, its holiday part, source, confirmed).
# A single parent has the norm of a single person since 2015.
_NORMS = (
    (date(2015, 1, 1), 96_083, 4_804, 137_262, 6_863, _STCRT_2015 + " (de bedragen tot 1 juli 2015)", True),
    (date(2015, 7, 1), 96_263, None, 137_518, None, _STCRT_2015, True),
    (date(2016, 1, 1), 97_270, None, 138_957, None, "socialeraadsvrouw.nl, 'Normen januari 2016'", False),
    (date(2017, 1, 1), 98_279, 4_914, 140_398, 7_020,
     "Nextens, 'Sociale verzekeringen en bijstandsuitkeringen per 1 januari 2017' (naar SZW)", False),
    (date(2017, 7, 1), 98_652, 4_933, 140_931, 7_047,
     "allewetten.nl, normen per 1 juli 2017 (naar Stcrt. 2017, 36285)", False),
    (date(2018, 1, 1), 99_212, 4_961, 141_732, 7_087,
     "st-ab.nl, normen per 1 januari 2018 (naar Stcrt. 2017, 68641)", False),
    (date(2018, 7, 1), 99_656, None, 142_366, None,
     "Baanbrekers, 'Uitkeringsbedragen 1 juli 2018 t/m 31 december 2018'", False),
    (date(2019, 1, 1), 102_555, 5_128, 146_507, 7_325, "SZW, 'Uitkeringsbedragen per 1 januari 2019' (kopie)", False),
    (date(2019, 7, 1), 103_042, 5_152, 147_203, 7_360,
     "CijferAdvies, 'Stijging sociale uitkeringen per 1 juli 2019' (naar SZW, 24 juni 2019)", False),
    (date(2020, 7, 1), 105_903, None, 151_290, None, "Gemeente Heemskerk, normbedragen per 1 juli 2020", False),
    (date(2021, 1, 1), 107_544, 5_377, 153_634, 7_682, "Sociaal Verhaal, 'bijstandsnormen per 1 januari 2021'", False),
    (date(2021, 7, 1), 107_870, 5_394, 154_100, 7_705, _VELSEN.format("1 juli 2021"), False),
    (date(2022, 1, 1), 109_171, None, 155_958, None,
     "Participatiewet art. 21, tekst van wetten.overheid.nl per 15 maart 2022, in een kopie", False),
    (date(2022, 7, 1), 110_182, None, 157_403, None, "Gemeente Haarlemmermeer, normentabel per 1 juli 2022", False),
    (date(2023, 1, 1), 119_566, None, 170_808, None, _VELSEN.format("1 januari 2023"), False),
    (date(2023, 7, 1), 121_662, None, 173_802, None,
     "Gemeente Krimpenerwaard, 'Nieuwe bijstandsnormen per 1 juli 2023'", False),
    (date(2024, 1, 1), 128_383, 6_419, 183_404, 9_170, _VELSEN.format("1 januari 2024"), False),
    (date(2024, 7, 1), 130_845, None, 186_921, None, _VELSEN.format("1 juli 2024"), False),
    (date(2025, 1, 1), 134_545, None, 192_207, None,
     "Gemeente Westland, 'Normenoverzicht minimuminkomen', normbedragen per 1 januari 2025", False),
    (date(2025, 7, 1), 136_906, None, 195_580, None,
     "Metro, 'Zoveel geld krijgen mensen in de bijstand vanaf 1 juli' (juni 2025, naar Rijksoverheid)", False),
)

BENEFIT_NORMS: tuple[BenefitNorm, ...] = tuple(
    BenefitNorm(household, start, cents, source=source, confirmed=confirmed, holiday_cents=holiday)
    for start, single, single_holiday, couple, couple_holiday, source, confirmed in _NORMS
    for household, cents, holiday in (("alleenstaande", single, single_holiday),
                                      ("alleenstaande_ouder", single, single_holiday),
                                      ("gehuwd_samenwonend", couple, couple_holiday))
)

# Art. 31 lid 2 sub n Pw: 25% of earnings, a half-yearly indexed maximum, at most 6 months, not under 27 (lid 7).
STANDARD = tuple(
    DisregardRule("standard", start, 2500, maximum, max_months=6, min_age=AGE_LIMIT, source=source, confirmed=False)
    for start, maximum, source in (
        (date(2015, 1, 1), 19_600, _LAW_2015),
        (date(2015, 7, 1), 19_600, _LAW_2015 + " (ongewijzigd per 1 juli 2015)"),
        (date(2017, 7, 1), 20_100, _LAW_2017),
        (date(2021, 7, 1), 22_100, _VELSEN.format("1 juli 2021")),
        (date(2024, 1, 1), 26_400, _VELSEN.format("1 januari 2024")),
        (date(2024, 7, 1), 26_900, _VELSEN.format("1 juli 2024")),
    )
)

# Art. 31 lid 2 sub r Pw: single parents, 12.5% of earnings, a maximum, at most 30 months.
SINGLE_PARENT = tuple(
    DisregardRule("single_parent", start, 1250, maximum, max_months=30, min_age=AGE_LIMIT, source=source,
                  confirmed=confirmed)
    for start, maximum, source, confirmed in (
        (date(2015, 1, 1), 12_226, _STCRT_2015 + " (het bedrag tot 1 juli 2015)", True),
        (date(2015, 7, 1), 12_231, _STCRT_2015, True),
        (date(2021, 7, 1), 13_794, _VELSEN.format("1 juli 2021"), False),
        (date(2024, 1, 1), 16_473, _VELSEN.format("1 januari 2024"), False),
        (date(2024, 7, 1), 16_779, _VELSEN.format("1 juli 2024"), False),
    )
)

# The decree's experiment disregard (Tijdelijk besluit experimenten Participatiewet, Stb. 2017, 69): in force from
# 1 April 2017, lapsed on 1 April 2021, deviation for at most two years per experiment (art. 2). The 50% up to
# EUR 199 a month is from reports of the experiments (RTV Noord, BD, July 2017), not read in the decree's text; a
# joint maximum for couples was not found.
EXPERIMENT = (DisregardRule(
    "experiment", date(2017, 4, 1), 5000, 19_900, max_months=24, valid_until=date(2021, 4, 1), confirmed=False,
    source="Tijdelijk besluit experimenten Participatiewet, Stb. 2017, 69 (1 april 2017 tot 1 april 2021); 50% en "
           "€ 199 volgens berichtgeving over de experimenten (RTV Noord, BD, juli 2017)"),)

DISREGARD_RULES: tuple[DisregardRule, ...] = STANDARD + SINGLE_PARENT + EXPERIMENT

# How the months are counted (art. 31 lid 2 Pw). Sub r: "ten hoogste 30 aaneengesloten maanden", a period that runs
# from its first month. Sub n: the text of 2015 reads "zes aaneengesloten maanden", that of 1 October 2017 "zes
# maanden" (months in which it applied); the change is taken at 1 April 2016, a date not confirmed in the
# Staatsblad.
COUNTING: tuple[Counting, ...] = (
    Counting("standard", date(2015, 1, 1), True, _LAW_2015 + ": 'zes aaneengesloten maanden'", False),
    Counting("standard", date(2016, 4, 1), False,
             _LAW_2017 + ": 'zes maanden'; datum van de wijziging (1 april 2016) niet bevestigd", False),
    Counting("single_parent", date(2015, 1, 1), True, _LAW_2015 + ": 'ten hoogste 30 aaneengesloten maanden'",
             False),
)

# Participatiewet in balans (Kamerstukken 36 582, adopted by the Eerste Kamer in 2025), in three phases: phase 1 on
# 1 January 2026, the tolerance year 2026 in which a municipality may already apply what formally starts on 1 January
# 2027, and the structural changes of 1 January 2027. The new article texts and amounts were not read in the
# Staatsblad; every row is unconfirmed.
_BALANS = ("SZW, Gemeentenieuws over de invoering van de Participatiewet in balans, in: gemeente.nu, 'Belangrijkste "
           "wijzigingen en implementatie Participatiewet in balans' (15 oktober 2025)")
YOUNG_DISREGARD_FROM = date(2027, 1, 1)  # the disregards without the age limit of art. 31 lid 7 (unconfirmed)
TOLERANCE_YEAR = (date(2026, 1, 1), date(2027, 1, 1))  # a municipality may apply the 2027 changes early
LAW_CHANGES: tuple[LawChange, ...] = (
    LawChange(date(2026, 1, 1), "Participatiewet in balans, fase 1",
              "Aanvraag, giften, vermogen, mantelzorg en de zoektermijn voor jongeren veranderen.",
              "Raakt de maandelijkse verrekening van inkomsten niet.", _BALANS),
    LawChange(date(2026, 1, 1), "Gedoogjaar 2026",
              "Een gemeente mag wat formeel op 1 januari 2027 ingaat al toepassen, zoals meer bijverdienen voor "
              "jongeren en automatisch verrekenen.",
              "Per gemeente in te stellen: de datum vanaf wanneer de vrijlating ook onder de 27 jaar geldt "
              "(beheer, gemeente).", _BALANS),
    LawChange(YOUNG_DISREGARD_FROM, "Meer bijverdienen voor jongeren",
              "De vrijlating van inkomsten geldt ook voor wie jonger is dan 27 jaar.",
              "Gemodelleerd: vanaf deze datum vervalt de leeftijdsgrens van de vrijlatingen (art. 31 lid 7); "
              "de precieze wettekst is niet bevestigd.", _BALANS),
    LawChange(YOUNG_DISREGARD_FROM, "Inkomsten in de maand waarin men erover kan beschikken",
              "Inkomsten tellen in de maand waarin ze beschikbaar zijn, en worden automatisch verrekend.",
              "Niet in de berekening: de klantmanager voert inkomsten in bij de maand waarin ze zijn ontvangen.",
              _BALANS),
    LawChange(YOUNG_DISREGARD_FROM, "Bufferbudget en individuele inkomenstoeslag",
              "Schommelende inkomsten uit werk worden opgevangen met een bufferbudget.",
              "Niet gemodelleerd: de regels en bedragen zijn niet gepubliceerd.", _BALANS),
)
