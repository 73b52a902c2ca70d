"""Experiment design templates: the trust experiments of 2017-2020 as data.

A design gives the period, the count date (teldatum) and the arms with the rules (spelregels) a participant
signs. A municipality starts from a template and adjusts it; nothing here is fixed in code elsewhere.
Sources: the Wageningen final report "Vertrouwen Werkt" (April 2020), the Tilburg letters and web page on the
Vertrouwensexperiment (VEX), and the article on "Zelf aan het stuur en op maat" (Oss, Apeldoorn, Epe).
"""

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType

from vertrouwen.core.dataset.manifest import Arm, Experiment
from vertrouwen.core.formatting import euro
from vertrouwen.core.rules.policy import DECREE


@dataclass(frozen=True)
class Design:
    code: str  # template code, the key in DESIGNS
    experiment_code: str  # code of the experiment written to a manifest
    name: str
    description: str  # Dutch, one paragraph for the configuration screen
    period_start: dt.date
    period_end: dt.date
    count_date: dt.date  # teldatum: outcomes are counted at this date
    arms: tuple[Arm, ...]
    source: str  # where the design is described
    lottery_order: str = "lottery_first"  # codes.LOTTERY_ORDERS
    min_age: int = 18  # eligibility at the draw: the Participatiewet starts at 18
    max_age: int = 66  # and ends at the AOW age (67 from 2024)

    @property
    def control_arm(self) -> Arm:
        return next(a for a in self.arms if a.is_control)

    @property
    def arm_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.arms)

    def arm(self, code: str) -> Arm:
        return next(a for a in self.arms if a.code == code)

    def experiment(self) -> Experiment:
        return Experiment(self.experiment_code, self.name, self.period_start, self.period_end, self.count_date)


# Lines every participant signs, whatever the group.
_COMMON_RULES = (
    "Voor uw uitkering blijven de gewone regels van de Participatiewet gelden. U geeft veranderingen in uw "
    "situatie en uw inkomsten op tijd door (inlichtingenplicht).",
    "U doet mee aan het onderzoek: u vult de vragenlijsten in en de onderzoekers mogen uw gegevens gebruiken. "
    "Zij maken uw gegevens eerst onherkenbaar.",
    "Deelname is vrijwillig. U kunt op elk moment stoppen; uw uitkering loopt dan door met de gewone regels "
    "en begeleiding.",
)

_EXPERIMENT_DISREGARD = (  # the decree's disregard, in the words of the rule table
    f"Heeft u inkomsten uit werk, dan mag u {DECREE.percent_label} van die inkomsten houden, tot maximaal "
    f"{euro(DECREE.max_cents)} per maand. Dit geldt voor de duur van het experiment."
)
_STANDARD_DISREGARD = (
    "Heeft u inkomsten uit werk, dan gelden de gewone regels voor het vrijlaten en verrekenen van inkomsten."
)
_EXEMPTION_TODAY = (
    "U heeft geen sollicitatieplicht en geen re-integratieverplichtingen. U kiest zelf wat u doet om verder te "
    "komen."
)
_OBLIGATIONS_APPLY = (
    "De arbeids- en re-integratieverplichtingen van de Participatiewet blijven voor u gelden, zoals die in uw "
    "situatie zijn afgesproken."
)
_EXEMPTION = (
    "U bent voor de duur van het experiment vrijgesteld van de arbeids- en re-integratieverplichtingen "
    "(artikel 9 Participatiewet). U hoeft dus niet verplicht te solliciteren of mee te doen aan een traject."
)


def _rules(title: str, *lines: str) -> str:
    bullets = "\n".join(f"- {line}" for line in (*lines, *_COMMON_RULES))
    return f"Spelregels {title}\n\n{bullets}\n"


def _control_arm(code: str, name: str) -> Arm:
    return Arm(
        code=code,
        name=name,
        rules_text=_rules(
            name.lower(),
            "Voor u gelden de gewone regels en de gewone begeleiding van de gemeente. Er verandert voor u niets "
            "aan uw uitkering of aan de afspraken met uw klantmanager.",
            _OBLIGATIONS_APPLY,
            _STANDARD_DISREGARD,
        ),
        is_control=True,
    )


WAGENINGEN = Design(
    code="wageningen",
    experiment_code="vertrouwen_werkt",
    name="Vertrouwen Werkt",
    description=(
        "Experiment onder het Tijdelijk besluit experimenten Participatiewet (Wageningen, 2017-2019). Eerst loot "
        "de onderzoeker iemand in een groep, daarna kiest de persoon of hij meedoet door de spelregels van die "
        "groep te ondertekenen. Nieuwe instroom wordt per maand geloot. Mensen in de bijstand die niet meedoen "
        "vormen de referentiegroep."
    ),
    period_start=dt.date(2017, 10, 1),
    period_end=dt.date(2019, 12, 31),
    count_date=dt.date(2019, 10, 1),
    arms=(
        Arm(
            code="zelf_in_actie",
            name="Zelf in actie",
            rules_text=_rules(
                "zelf in actie",
                _EXEMPTION,
                "U neemt zelf het initiatief om stappen te zetten naar werk, opleiding of meedoen in de "
                "samenleving, passend bij uw persoonlijke doelen.",
                "U krijgt ondersteuning van uw klantmanager wanneer u daarom vraagt.",
                _STANDARD_DISREGARD,
            ),
            exempt_from_obligations=True,
            guidance_intensity="op_verzoek",
        ),
        Arm(
            code="extra_begeleiding",
            name="Extra begeleiding",
            rules_text=_rules(
                "extra begeleiding",
                "U krijgt meer tijd en hulp van uw klantmanager. U heeft minstens eens per maand contact, vaker "
                "als dat nodig is.",
                "Samen met uw klantmanager maakt u een plan van aanpak met uw persoonlijke doelen. U bespreekt het "
                "plan elk half jaar.",
                _OBLIGATIONS_APPLY,
                _STANDARD_DISREGARD,
            ),
            guidance_intensity="intensief",
            target_contacts_per_month=1,
        ),
        Arm(
            code="verdienen_loont",
            name="Verdienen loont",
            rules_text=_rules(
                "verdienen loont",
                _EXPERIMENT_DISREGARD,
                "U geeft uw inkomsten elke maand door met uw loonstrook of een opgave van uw verdiensten.",
                "U krijgt de gewone begeleiding van uw klantmanager.",
                _OBLIGATIONS_APPLY,
            ),
            disregard_regime="experiment",
        ),
        _control_arm("onderzoeksgroep", "Onderzoeksgroep"),
    ),
    source="Gemeente Wageningen, Eindrapportage Vertrouwen Werkt (april 2020).",
)

# The bonus for full-time work is Tilburg's own scheme (a yearly premium for exit to work of 32 hours a week or more);
# amount, hours and yearly maximum are configuration. The settlement pays it once per exit, at most once a year.
TILBURG_JOB_BONUS_CENTS = 240_000

TILBURG = Design(
    code="tilburg",
    experiment_code="vex",
    name="Vertrouwensexperiment Tilburg (VEX)",
    description=(
        "Experiment onder het Tijdelijk besluit experimenten Participatiewet (Tilburg, 2018-2019), met ongeveer "
        "800 vrijwilligers in vier groepen: minder regels, meer begeleiding, meer bijverdienen (met een eigen "
        "premie bij voltijds werk) en een controlegroep waarvoor niets verandert."
    ),
    period_start=dt.date(2018, 1, 1),
    period_end=dt.date(2019, 12, 31),
    count_date=dt.date(2019, 10, 1),
    arms=(
        Arm(
            code="minder_regels",
            name="Minder regels",
            rules_text=_rules(
                "minder regels",
                _EXEMPTION,
                "U bepaalt zelf wat u doet om verder te komen: werk, vrijwilligerswerk, mantelzorg of een "
                "opleiding.",
                "Uw coach helpt u als u daarom vraagt.",
                _STANDARD_DISREGARD,
            ),
            exempt_from_obligations=True,
            guidance_intensity="op_verzoek",
        ),
        Arm(
            code="meer_begeleiding",
            name="Meer begeleiding",
            rules_text=_rules(
                "meer begeleiding",
                "U krijgt extra persoonlijke begeleiding van een coach met een kleinere caseload. De coach neemt "
                "regelmatig contact met u op, ook als u daar zelf niet om vraagt.",
                "Samen maakt u een plan met uw persoonlijke doelen, dat u elk half jaar bespreekt.",
                _OBLIGATIONS_APPLY,
                _STANDARD_DISREGARD,
            ),
            guidance_intensity="intensief",
            target_contacts_per_month=2,
        ),
        Arm(
            code="meer_bijverdienen",
            name="Meer bijverdienen",
            rules_text=_rules(
                "meer bijverdienen",
                _EXPERIMENT_DISREGARD,
                "Gaat u voltijds werken (32 uur per week of meer) en stopt daardoor uw uitkering, dan krijgt u "
                f"van de gemeente een premie van {euro(TILBURG_JOB_BONUS_CENTS)}: eenmaal per keer dat u zo "
                "uitstroomt, hoogstens één premie per jaar.",
                "U krijgt de gewone begeleiding van uw coach.",
                _OBLIGATIONS_APPLY,
            ),
            disregard_regime="experiment",
            job_bonus_cents=TILBURG_JOB_BONUS_CENTS,
            job_bonus_condition="Bij uitstroom naar voltijds werk van 32 uur per week of meer.",
            job_bonus_min_hours_a_week=32,
            job_bonus_max_per_year_cents=TILBURG_JOB_BONUS_CENTS,
        ),
        _control_arm("controlegroep", "Controlegroep"),
    ),
    source="Gemeente Tilburg, raadsinformatiebrief Uitkomst Vertrouwensexperiment (3 juni 2020) en "
    "webpagina Beweging van vertrouwen.",
)

OSS_APELDOORN_EPE = Design(
    code="oss_apeldoorn_epe",
    experiment_code="zelf_aan_het_stuur_en_op_maat",
    name="Zelf aan het stuur en op maat",
    description=(
        "Onderzoek van Oss, Apeldoorn en Epe buiten het Tijdelijk besluit experimenten Participatiewet, met "
        "ongeveer 800 vrijwilligers in drie groepen: geen verplichtingen en begeleiding op verzoek; geen "
        "verplichtingen en gevraagde en ongevraagde intensieve begeleiding; een controlegroep. Zonder besluit is "
        "een extra vrijlating van inkomsten niet mogelijk. De periode is een aanname: pas haar aan."
    ),
    period_start=dt.date(2018, 1, 1),
    period_end=dt.date(2019, 12, 31),
    count_date=dt.date(2019, 10, 1),
    arms=(
        Arm(
            code="zelf_aan_het_stuur",
            name="Zelf aan het stuur",
            rules_text=_rules(
                "zelf aan het stuur",
                "U heeft geen sollicitatieplicht en geen re-integratieverplichtingen. U kiest zelf wat u doet "
                "om verder te komen.",
                "U krijgt begeleiding van uw consulent als u daarom vraagt.",
                _STANDARD_DISREGARD,
            ),
            exempt_from_obligations=True,
            guidance_intensity="op_verzoek",
        ),
        Arm(
            code="op_maat",
            name="Op maat",
            rules_text=_rules(
                "op maat",
                "U heeft geen sollicitatieplicht en geen re-integratieverplichtingen.",
                "U krijgt intensieve begeleiding op maat: uw consulent helpt u als u erom vraagt en neemt ook "
                "zelf regelmatig contact met u op.",
                _STANDARD_DISREGARD,
            ),
            exempt_from_obligations=True,
            guidance_intensity="intensief",
            target_contacts_per_month=2,
        ),
        _control_arm("controlegroep", "Controlegroep"),
    ),
    source="Artikel over het onderzoek Zelf aan het stuur en op maat (Oss, Apeldoorn, Epe; Tilburg University "
    "en TNO).",
    lottery_order="consent_first",
)

_INTENSIFICATION = (
    "U krijgt meer tijd en hulp van uw klantmanager. U heeft minstens eens per maand contact, vaker als dat "
    "nodig is."
)

# What a municipality can test today. The decree (Tijdelijk besluit experimenten Participatiewet, Stb. 2017, 69)
# allowed an extra disregard and exemption from 1 April 2017 to 1 April 2021 (core/rules/tables.py); since then an
# experiment stays within the Participatiewet, as Oss, Apeldoorn and Epe did: no extra disregard.
WITHIN_THE_LAW = Design(
    code="binnen_de_wet",
    experiment_code="experiment_participatiewet",
    name="Experiment binnen de Participatiewet",
    description=(
        "Wat een gemeente vandaag kan onderzoeken: vrijstelling van verplichtingen met begeleiding op verzoek, "
        "extra begeleiding, beide samen, en een controlegroep. Het Tijdelijk besluit experimenten "
        "Participatiewet (Stb. 2017, 69) gold van 1 april 2017 tot 1 april 2021; een extra vrijlating van "
        "inkomsten kan daarom niet meer, en vrijstelling gaat zoals in Oss, Apeldoorn en Epe. Periode en "
        "teldatum zijn een voorbeeld: pas ze aan."
    ),
    period_start=dt.date(2027, 1, 1),
    period_end=dt.date(2028, 12, 31),
    count_date=dt.date(2028, 10, 1),
    arms=(
        Arm(code="vrijstelling", name="Vrijstelling",
            rules_text=_rules("vrijstelling", _EXEMPTION_TODAY, "U krijgt ondersteuning als u daarom vraagt.",
                              _STANDARD_DISREGARD),
            exempt_from_obligations=True, guidance_intensity="op_verzoek"),
        Arm(code="intensivering", name="Extra begeleiding",
            rules_text=_rules("extra begeleiding", _INTENSIFICATION, _OBLIGATIONS_APPLY, _STANDARD_DISREGARD),
            guidance_intensity="intensief", target_contacts_per_month=1),
        Arm(code="vrijstelling_op_maat", name="Vrijstelling en begeleiding op maat",
            rules_text=_rules("vrijstelling en begeleiding op maat", _EXEMPTION_TODAY, _INTENSIFICATION,
                              _STANDARD_DISREGARD),
            exempt_from_obligations=True, guidance_intensity="intensief", target_contacts_per_month=1),
        _control_arm("controlegroep", "Controlegroep"),
    ),
    source="Participatiewet; het onderzoek Zelf aan het stuur en op maat (Oss, Apeldoorn, Epe); het Tijdelijk "
    "besluit experimenten Participatiewet, Stb. 2017, 69, vervallen op 1 april 2021.",
)
# The decree allowed at most two groups that combine its treatments.
DECREE_MAX_COMBINATION_GROUPS = 2

DESIGNS: MappingProxyType = MappingProxyType({d.code: d for d in (WAGENINGEN, TILBURG, OSS_APELDOORN_EPE,
                                                                  WITHIN_THE_LAW)})
