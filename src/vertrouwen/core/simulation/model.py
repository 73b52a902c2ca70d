"""The population and hazard model of the synthetic municipality: all numbers in one place.

Targets (DESIGN.md section 9 and the Wageningen final report "Vertrouwen Werkt", seed 003): exit to work 5.5-6% a
year in the population and 10.7% over two years in the reference group; limitation profile of participants
43/33/24; goals at baseline; part-time earnings offset for about 10% of the reference group; mean offset earnings
EUR 450-500. Rates are per month. Code lists follow vertrouwen.core.codes; arrays hold indexes into these tuples.

Every number says where it comes from:
  [seed 003: ...]  a figure of the Wageningen report, with its table or paragraph;
  [DESIGN 9]       a figure of DESIGN.md section 9 (itself from seed 003);
  [law]            a legal rule;
  [calibrated]     tuned, together with the other numbers, so that the output reproduces the source figure named
                   (tests/core/simulation/test_calibration.py checks it);
  [assumption]     our own choice: the seeds give no figure. Plausible, not sourced; change freely.
The numbers of the other parts live beside them: the goals at baseline in baseline.py ([calibrated] to seed
003's table "Doelen alle deelnemers (nulmeting)"), the arms' effects in effects.py ([calibrated] to the table
"Uitstroom naar werk - recht tellingen"), and the questionnaire in surveys.py: its response rates (about 85% at
baseline, lower a year later) and answer model are [assumption]; seed 003 gives no response figures.
"""

import numpy as np

from vertrouwen.core import codes

# The code lists of vertrouwen.core.codes, in their order there: the parameters below that are indexed by
# position (LIMITATION_SHARES, AGE_WEIGHTS, REENTRY_HAZARD, CHANNEL_MINUTES, ...) follow that order, and
# tests/core/simulation/test_generator.py checks it still holds.
SEX = tuple(codes.SEX)
HOUSEHOLDS = tuple(codes.HOUSEHOLD_TYPES)
LIMITATIONS = tuple(codes.LIMITATIONS)
EDUCATION = tuple(codes.EDUCATION_LEVELS)
END_REASONS = tuple(codes.END_REASONS)
WERK, ZELFSTANDIG, AOW = (END_REASONS.index(code) for code in ("werk", "zelfstandig", "aow"))
STOP_REASONS = tuple(codes.STOP_REASONS)
GUIDANCE = tuple(codes.GUIDANCE_INTENSITIES)
INITIATORS = tuple(codes.INITIATORS)
CHANNELS = tuple(codes.CHANNELS)

# --- persons -----------------------------------------------------------------------------------------------
# Participants [seed 003, "Samenstelling bijstandsgroep, design en 'fit' van de experimentgroepen"; DESIGN 9]:
# the researchers found 43% able to work and searching, 33% physically and 24% mentally limited.
# The reference group [assumption]: it did not volunteer (seed 003, "Uitstroomeffecten", warns of self-selection)
# and is taken to be a little less work-ready.
LIMITATION_SHARES = {True: (0.43, 0.33, 0.24), False: (0.38, 0.34, 0.28)}
# Age bands at the start (from, to in years) and their weights per limitation [assumption]: physical limits come
# with age. From 18 (bijstand is for adults) to 67 (above the AOW age of any year in the period).
AGE_BANDS = ((18.0, 27.0), (27.0, 35.0), (35.0, 45.0), (45.0, 55.0), (55.0, 67.0))
AGE_WEIGHTS = (
    (0.14, 0.22, 0.26, 0.22, 0.16),  # geen
    (0.04, 0.09, 0.18, 0.32, 0.37),  # lichamelijk
    (0.11, 0.19, 0.25, 0.26, 0.19),  # psychisch
)
HOUSEHOLD_SHARES = (0.60, 0.24, 0.16)  # [assumption]
SINGLE_PARENT_MAX_AGE = 58.0  # [assumption] older single parents are taken as single: their children are grown up
WOMAN_SHARE = {0: 0.45, 1: 0.90, 2: 0.50}  # by household [assumption]; overall about 55% women
SEX_UNKNOWN_SHARE = 0.002  # [assumption]
# Statushouders [assumption], about 11.5% overall: seed 003 says only that Wageningen let them take part
# ("een niet onbelangrijke groep binnen de bijstand").
REFUGEE_SHARE_UNDER_45, REFUGEE_SHARE_45_PLUS = 0.16, 0.07
EDUCATION_SHARES = {False: (0.50, 0.33, 0.09, 0.08), True: (0.35, 0.15, 0.05, 0.45)}  # by refugee status [assumption]
BSN_SHARE = 0.97  # persons with a BSN in the file [assumption]
# Years on benefit at the start: lognormal, median by group [assumption]; the reference group has been on benefit
# longer (seed 003 only says, in the researchers' words, that many participants have been on benefit long).
DURATION_MEDIAN_YEARS = {True: 3.0, False: 3.8}
DURATION_SIGMA = 0.9  # [assumption]
# Latent "good prospects" (kansrijk): the case manager's view at baseline, about 31% of participants
# [seed 003, table "Doelen alle deelnemers (nulmeting)": Kansrijk uitstroom 121, 31%]; the split by limitation is
# [assumption], weighted by the 43/33/24 profile it gives 30.6%.
PROSPECTS_SHARE = (0.50, 0.18, 0.13)  # by limitation

# AOW age by the year it is reached [law: Algemene Ouderdomswet, art. 7a, as set in 2019]; in months.
AOW_AGE_MONTHS = {2016: 786, 2017: 789, 2018: 792, 2019: 796, 2020: 796, 2021: 796, 2022: 799, 2023: 802,
                  2024: 804, 2025: 804, 2026: 804, 2027: 804, 2028: 807}

# --- enrollment ----------------------------------------------------------------------------------------------
# [seed 003, "Aantal deelnemers gestart"]: Wageningen started on 1 October 2017 with 340 of its 410 participants
# (340 / 410 = 0.829); the rest joined by the end of 2018, so in monthly cohorts during the first 15 months
# (months 1 to 14 after the start), "mostly people already on benefit who took longer to decide".
START_COHORT_SHARE = 0.83
LATE_COHORT_MONTHS = 14
LATE_COHORT_DECAY = 0.85  # each later month a little smaller [assumption]
CONSENT_DAYS = (1, 21)  # days from the lottery to signing the rules [assumption]
# [calibrated] to seed 003, table "ontwikkeling deelnemersbestand": 18 of 410 (4.4%) stopped while on benefit;
# DESIGN 9 says about 4%. Of the 18, 17 for a personal reason and 1 ended by the municipality [seed 003].
STOP_HAZARD = 0.0022
STOP_BY_MUNICIPALITY = 1 / 18

# --- exit to work ---------------------------------------------------------------------------------------------
# [calibrated] with the factors below to seed 003's table "Uitstroom naar werk - recht tellingen" (10.7% first
# exit to work in two years in the reference group) and to the historical 5.5-6% a year (seed 003; DESIGN 9).
WORK_EXIT_BASE = 0.0084
SELF_EMPLOYED_SHARE = 0.08  # of exits to work, as zelfstandige [assumption]
# The factors are [assumption]s; only their direction has a source: seed 003 ("Samenstelling bijstandsgroep")
# describes the limited groups as seeing few chances of paid work.
LIMITATION_WORK = np.array([1.0, 0.45, 0.35])
PROSPECTS_WORK = 1.6
EDUCATION_WORK = np.array([0.9, 1.1, 1.2, 0.9])
AGE_WORK = ((27.0, 1.15), (50.0, 1.0), (60.0, 0.75), (200.0, 0.45))  # (up to age, factor)
DURATION_WORK = ((1.0, 1.3), (2.0, 1.1), (5.0, 0.9), (200.0, 0.7))  # (up to years on benefit, factor)
# Part-time work is a stepping stone to exit: the direction from seed 003 ("Uitstroom per maand naar werk,
# gecorrigeerd met herinstroom": more part-time work "de kansen op uitstroom vergroot"); the factor is
# [assumption].
PARTTIME_WORK = 2.2

# --- other exits ---------------------------------------------------------------------------------------------
# All [assumption]: seed 003 names these end reasons (verhuizing, erfenis/vermogen, AOW) but gives no rates.
MOVE_HAZARD = 0.0030
MOVE_YOUNG_FACTOR = 1.6  # under 35
CAPITAL_HAZARD = 0.0006  # vermogen of ander inkomen
PARTNER_HAZARD = 0.0012
DETENTION_HAZARD = 0.0003
DETENTION_MEN_FACTOR = 1.8
DEATH_HAZARD = 0.0002
DEATH_OLD_FACTOR = 4.0  # 60 and over
OTHER_HAZARD = 0.0020

# --- re-entry (herinstroom) ---------------------------------------------------------------------------------
# Monthly hazard of a new spell after an exit, by end reason (END_REASONS order); nobody returns after
# moving away, AOW or death. After exits to work [calibrated], with the arms' ratios in effects.py, to the net
# against gross exits of seed 003's table "Uitstroom naar werk" (38 of 41 in the reference group still off
# benefit at the count date); after the other reasons [assumption].
REENTRY_HAZARD = np.array([0.0055, 0.0055, 0.0, 0.0, 0.0080, 0.0030, 0.15, 0.0, 0.0100])
REENTRY_EARLY_MONTHS, REENTRY_EARLY_FACTOR = 6, 1.6  # temporary jobs end early [assumption]
# Exits that built on part-time work are more often flex jobs: the direction from seed 003 ("Uitstroom per
# maand naar werk, gecorrigeerd met herinstroom": "tijdelijke (flex)functies, voortbouwend op het eerder
# verrichte parttime werk"); the factor is [assumption].
REENTRY_AFTER_PARTTIME = 1.5
REENTRY_KEEPS_PARTTIME = 0.25  # [assumption]

# --- part-time earnings -------------------------------------------------------------------------------------
# A two-state chain per person on benefit: start with chance p_in a month, stop with PARTTIME_STOP.
PARTTIME_STOP = 0.10  # [assumption]: part-time work lasts ten months on average
# [calibrated] to seed 003 ("Resultaat toename parttime werk"; DESIGN 9): about 10% of the non-participants have
# offset earnings (the chain's stationary share p_in / (p_in + PARTTIME_STOP)); Wageningen had 10-11% before.
PARTTIME_START = 0.0115
LIMITATION_PARTTIME = np.array([1.3, 0.8, 0.7])  # [assumption]
SINGLE_PARENT_PARTTIME = 1.2  # [assumption]
PARTICIPANT_RAMP_MONTHS = 4  # the arms' effect on part-time work builds up over the first months [assumption]
# Per person, lognormal [calibrated] to seed 003 ("Resultaat toename parttime werk"; DESIGN 9): offset earnings
# average about EUR 450-500 a month; the mean is 400 * exp(0.55^2 / 2), about EUR 465.
EARNINGS_MEDIAN_CENTS = 40_000
EARNINGS_SIGMA = 0.55
EARNINGS_MONTH_SIGMA = 0.20  # month-to-month variation around the person's level, mean-preserving [assumption]
EARNINGS_BOUNDS_CENTS = (2_500, 160_000)  # [assumption]
WAGE_CENTS_PER_HOUR = (1_100, 1_400)  # hourly wage, uniform per person [assumption]

# --- contacts -----------------------------------------------------------------------------------------------
# All [assumption]: the seeds give no contact frequencies. Direction: DESIGN.md section 3 (extra begeleiding,
# more frequent contact; the process evaluation counts contacts per arm); seed 003 ("Verschillen tussen 'zelf in
# actie' en 'extra begeleiding'"): in zelf in actie participants ask for support themselves.
# Contacts a month by guidance intensity (regulier, op_verzoek, intensief); the reference group gets regular:
# about once every three months, on request a little less, intensive more than monthly (the arm's rules in
# designs.py promise at least monthly contact).
CONTACT_RATE = {"regulier": 0.33, "op_verzoek": 0.30, "intensief": 1.40}
CASE_MANAGER_INITIATES = {"regulier": 0.80, "op_verzoek": 0.12, "intensief": 0.85}
CHANNEL_SHARES = {
    "regulier": (0.35, 0.03, 0.35, 0.02, 0.25, 0.00),
    "op_verzoek": (0.25, 0.03, 0.30, 0.05, 0.35, 0.02),
    "intensief": (0.40, 0.15, 0.25, 0.05, 0.10, 0.05),
}
CHANNEL_MINUTES = ((30, 75), (45, 100), (5, 30), (20, 50), (5, 20), (60, 120))  # uniform range per channel
INTAKE_MINUTES, REVIEW_MINUTES = 60, 45
# Half-yearly review (halfjaargesprek) [seed 003: goals reviewed "elk half jaar"; DESIGN.md section 3].
REVIEW_EVERY_MONTHS = 6
