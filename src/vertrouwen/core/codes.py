"""Dutch code lists shared by the dataset format, the database and the interface.

Codes are the values written in the dataset files; labels are what a person reads. Order matters where
it is meaningful: goals run from the highest attainable (werk) to the lowest (anders).

The labels are Dutch data, not interface strings to translate: they are the domain vocabulary of the
glossary (the terms of the Participatiewet and of the experiments' reports), and the pure core uses them as
well, which cannot use Django's translation machinery. Amounts and percentages belong in rule tables, not in
a label.
"""

from types import MappingProxyType


def _codes(*pairs: tuple[str, str]) -> MappingProxyType:
    return MappingProxyType(dict(pairs))


SEX = _codes(("man", "Man"), ("vrouw", "Vrouw"), ("onbekend", "Onbekend"))

HOUSEHOLD_TYPES = _codes(
    ("alleenstaande", "Alleenstaande"),
    ("alleenstaande_ouder", "Alleenstaande ouder"),
    ("gehuwd_samenwonend", "Gehuwd of samenwonend"),
)

LIMITATIONS = _codes(
    ("geen", "Arbeidsfit en zoekend"),
    ("lichamelijk", "Lichamelijke beperking"),
    ("psychisch", "Psychische beperking"),
)

EDUCATION_LEVELS = _codes(
    ("laag", "Laag (basisonderwijs, vmbo, mbo-1)"),
    ("middelbaar", "Middelbaar (havo, vwo, mbo-2 tot 4)"),
    ("hoog", "Hoog (hbo, wo)"),
    ("onbekend", "Onbekend"),
)

# Beeindigingsredenen of a benefit spell.
END_REASONS = _codes(
    ("werk", "Werk"),
    ("zelfstandig", "Start als zelfstandige"),
    ("verhuizing", "Verhuizing"),
    ("aow", "AOW-leeftijd"),
    ("vermogen", "Vermogen of ander inkomen"),
    ("partner", "Inkomen van partner"),
    ("detentie", "Detentie"),
    ("overlijden", "Overlijden"),
    ("overig", "Overig"),
)
WORK_END_REASONS = frozenset({"werk", "zelfstandig"})

# Why a participant stopped taking part while still on benefit.
STOP_REASONS = _codes(
    ("persoonlijke_reden", "Persoonlijke reden"),
    ("door_gemeente", "Beëindigd door de gemeente"),
)

# Personal goals, from the highest attainable to the lowest.
GOALS = _codes(
    ("werk", "Werk"),
    ("parttime_werk", "Parttime werk"),
    ("opleiding", "Opleiding"),
    ("re_integratie", "Re-integratietraject"),
    ("vrijwilligerswerk", "Sociale activering / vrijwilligerswerk"),
    ("zorg_en_hulp", "Zorg en hulp"),
    ("anders", "Anders"),
)

OCCASIONS = _codes(
    ("nulmeting", "Nulmeting (startgesprek)"),
    ("halfjaargesprek", "Halfjaargesprek"),
    ("eindmeting", "Eindmeting"),
)

# The participatieladder's six rungs.
LADDER_RUNGS = _codes(
    ("1", "1 Geïsoleerd"),
    ("2", "2 Sociale contacten buiten de deur"),
    ("3", "3 Deelname aan georganiseerde activiteiten"),
    ("4", "4 Onbetaald werk"),
    ("5", "5 Betaald werk met ondersteuning"),
    ("6", "6 Betaald werk"),
)

# The case manager's conversations that set or revisit goals.
CONVERSATION_KINDS = _codes(("startgesprek", "Startgesprek"), ("halfjaargesprek", "Halfjaargesprek"))

# SMART actions of a plan of action.
ACTION_STATUSES = _codes(
    ("open", "Nog te doen"),
    ("bezig", "Bezig"),
    ("afgerond", "Afgerond"),
    ("vervallen", "Vervallen"),
)
OPEN_ACTION_STATUSES = frozenset({"open", "bezig"})

# Who carries out an action.
ACTION_OWNERS = _codes(("deelnemer", "Deelnemer"), ("klantmanager", "Klantmanager"), ("samen", "Samen"),
                       ("ander", "Iemand anders"))

# Where a person on a caseload stands today.
CASE_STATUSES = _codes(
    ("zonder_startgesprek", "Nog geen startgesprek"),
    ("actief", "Actief"),
    ("gestopt", "Gestopt met deelname"),
    ("uitgestroomd", "Uit de uitkering"),
)

CHANNELS = _codes(
    ("gesprek", "Gesprek op kantoor"),
    ("huisbezoek", "Huisbezoek"),
    ("telefoon", "Telefoon"),
    ("video", "Videobellen"),
    ("email", "E-mail of bericht"),
    ("groep", "Groepsbijeenkomst"),
)

INITIATORS = _codes(("klantmanager", "Klantmanager"), ("deelnemer", "Deelnemer"))

SURVEY_MODES = _codes(("online", "Online"), ("papier", "Papier"), ("telefonisch", "Telefonisch"),
                      ("begeleid", "Met hulp (inloopspreekuur)"))

GUIDANCE_INTENSITIES = _codes(
    ("regulier", "Reguliere begeleiding"),
    ("op_verzoek", "Begeleiding op verzoek"),
    ("intensief", "Intensieve begeleiding"),
)

# The settlement's disregard regimes (rules.Regime), each with the article it applies.
SETTLEMENT_REGIMES = _codes(
    ("standard", "Standaard vrijlating (art. 31 lid 2 sub n Pw)"),
    ("single_parent", "Vrijlating alleenstaande ouder (art. 31 lid 2 sub r Pw)"),
    ("experiment", "Experimentele vrijlating (Tijdelijk besluit experimenten Pw)"),
    ("none", "Geen vrijlating"),
)
# An arm's disregard (the dataset's Dutch codes) and the regime it is settled by.
REGIME_OF_ARM = MappingProxyType({"standaard": "standard", "experiment": "experiment", "geen": "none"})
DISREGARD_REGIMES = _codes(*((code, SETTLEMENT_REGIMES[regime]) for code, regime in REGIME_OF_ARM.items()))

# How a lottery draw dealt the arms (core.lottery.randomization.Method).
LOTTERY_METHODS = _codes(
    ("complete", "Volledige randomisatie"),
    ("block", "Blokrandomisatie (op volgorde van binnenkomst)"),
    ("stratified_block", "Gestratificeerde blokrandomisatie"),
)

# Who decides first: the lottery, or the person (consent to take part, then the lottery).
LOTTERY_ORDERS = _codes(
    ("lottery_first", "Eerst loten, dan tekent de persoon de spelregels van de groep (Wageningen)"),
    ("consent_first", "Eerst toestemming, dan loten (Oss)"),
)

# The kinds of lottery draw.
DRAW_KINDS = _codes(
    ("list", "Lijst van geschikte personen"),
    ("cohort", "Maandcohort nieuwe instroom"),
    ("single", "Eén persoon"),
    ("import", "Ingelezen toewijzing"),
)
