"""The population and hazard model of the synthetic municipality: all numbers in one place.

Targets (DESIGN.md section 9 and the Wageningen final report): exit to work 5.5-6% a year in the population
and 10.7% over two years in the reference group; limitation profile of participants 43/33/24; goals at
baseline; part-time earnings offset for about 10% of the reference group; mean offset earnings EUR 450-500.
Rates are per month. Code lists follow vertrouwen.core.codes; arrays hold indexes into these tuples.
"""

import numpy as np

SEX = ("man", "vrouw", "onbekend")
HOUSEHOLDS = ("alleenstaande", "alleenstaande_ouder", "gehuwd_samenwonend")
LIMITATIONS = ("geen", "lichamelijk", "psychisch")
EDUCATION = ("laag", "middelbaar", "hoog", "onbekend")
END_REASONS = ("werk", "zelfstandig", "verhuizing", "aow", "vermogen", "partner", "detentie", "overlijden",
               "overig")
WERK, ZELFSTANDIG, AOW = (END_REASONS.index(code) for code in ("werk", "zelfstandig", "aow"))
STOP_REASONS = ("persoonlijke_reden", "door_gemeente")
GUIDANCE = ("regulier", "op_verzoek", "intensief")  # codes.GUIDANCE_INTENSITIES
INITIATORS = ("klantmanager", "deelnemer")

# --- persons -----------------------------------------------------------------------------------------------
# Participants: Wageningen's researchers found 43% able to work and searching, 33% physically and 24% mentally
# limited. The reference group did not volunteer and is a little less work-ready.
LIMITATION_SHARES = {True: (0.43, 0.33, 0.24), False: (0.38, 0.34, 0.28)}
# Age bands at the start (from, to in years) and their weights per limitation: physical limits come with age.
AGE_BANDS = ((18.0, 27.0), (27.0, 35.0), (35.0, 45.0), (45.0, 55.0), (55.0, 67.0))
AGE_WEIGHTS = (
    (0.14, 0.22, 0.26, 0.22, 0.16),  # geen
    (0.04, 0.09, 0.18, 0.32, 0.37),  # lichamelijk
    (0.11, 0.19, 0.25, 0.26, 0.19),  # psychisch
)
HOUSEHOLD_SHARES = (0.60, 0.24, 0.16)
SINGLE_PARENT_MAX_AGE = 58.0  # older single parents are taken as single: their children are grown up
WOMAN_SHARE = {0: 0.45, 1: 0.90, 2: 0.50}  # by household
SEX_UNKNOWN_SHARE = 0.002
REFUGEE_SHARE_UNDER_45, REFUGEE_SHARE_45_PLUS = 0.16, 0.07
EDUCATION_SHARES = {False: (0.50, 0.33, 0.09, 0.08), True: (0.35, 0.15, 0.05, 0.45)}  # by refugee status
BSN_SHARE = 0.97  # persons with a BSN in the file
# Years on benefit at the start: lognormal, median by group (the reference group has been on benefit longer).
DURATION_MEDIAN_YEARS = {True: 3.0, False: 3.8}
DURATION_SIGMA = 0.9
# Latent "good prospects" (kansrijk): the case manager's view at baseline, about 31% of participants.
PROSPECTS_SHARE = (0.50, 0.18, 0.13)  # by limitation

# AOW age by the year it is reached (Algemene Ouderdomswet, as set in 2019); in months.
AOW_AGE_MONTHS = {2016: 786, 2017: 789, 2018: 792, 2019: 796, 2020: 796, 2021: 796, 2022: 799, 2023: 802,
                  2024: 804, 2025: 804, 2026: 804, 2027: 804, 2028: 807}

# --- enrollment ----------------------------------------------------------------------------------------------
# Wageningen started with 340 of its 410 participants; the rest joined in monthly cohorts during the first
# 15 months (mostly people already on benefit who took longer to decide).
START_COHORT_SHARE = 0.83
LATE_COHORT_MONTHS = 14
LATE_COHORT_DECAY = 0.85  # each later month a little smaller
CONSENT_DAYS = (1, 21)  # days from the lottery to signing the rules
STOP_HAZARD = 0.0022  # about 4.4% stop while on benefit (18 of 410)
STOP_BY_MUNICIPALITY = 1 / 18

# --- exit to work ---------------------------------------------------------------------------------------------
WORK_EXIT_BASE = 0.0084  # scaled by the factors below; gives 10.7% in two years in the reference group
SELF_EMPLOYED_SHARE = 0.08  # of exits to work, as zelfstandige
LIMITATION_WORK = np.array([1.0, 0.45, 0.35])
PROSPECTS_WORK = 1.6
EDUCATION_WORK = np.array([0.9, 1.1, 1.2, 0.9])
AGE_WORK = ((27.0, 1.15), (50.0, 1.0), (60.0, 0.75), (200.0, 0.45))  # (up to age, factor)
DURATION_WORK = ((1.0, 1.3), (2.0, 1.1), (5.0, 0.9), (200.0, 0.7))  # (up to years on benefit, factor)
PARTTIME_WORK = 2.2  # part-time work is a stepping stone to exit

# --- other exits ---------------------------------------------------------------------------------------------
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
# moving away, AOW or death.
REENTRY_HAZARD = np.array([0.0055, 0.0055, 0.0, 0.0, 0.0080, 0.0030, 0.15, 0.0, 0.0100])
REENTRY_EARLY_MONTHS, REENTRY_EARLY_FACTOR = 6, 1.6  # temporary jobs end early
REENTRY_AFTER_PARTTIME = 1.5  # exits that built on part-time work are more often flex jobs
REENTRY_KEEPS_PARTTIME = 0.25

# --- part-time earnings -------------------------------------------------------------------------------------
# A two-state chain per person on benefit: start with chance p_in a month, stop with PARTTIME_STOP.
PARTTIME_STOP = 0.10
PARTTIME_START = 0.0115  # about 10% of the reference group has earnings
LIMITATION_PARTTIME = np.array([1.3, 0.8, 0.7])
SINGLE_PARENT_PARTTIME = 1.2
PARTICIPANT_RAMP_MONTHS = 4  # the arms' effect on part-time work builds up over the first months
EARNINGS_MEDIAN_CENTS = 40_000  # per person, lognormal; mean about EUR 470 a month
EARNINGS_SIGMA = 0.55
EARNINGS_MONTH_SIGMA = 0.20  # month-to-month variation around the person's level
EARNINGS_BOUNDS_CENTS = (2_500, 160_000)
WAGE_CENTS_PER_HOUR = (1_100, 1_400)

# --- contacts -----------------------------------------------------------------------------------------------
# Contacts a month by guidance intensity (regulier, op_verzoek, intensief); the reference group gets regular.
CONTACT_RATE = {"regulier": 0.33, "op_verzoek": 0.30, "intensief": 1.40}
CASE_MANAGER_INITIATES = {"regulier": 0.80, "op_verzoek": 0.12, "intensief": 0.85}
CHANNELS = ("gesprek", "huisbezoek", "telefoon", "video", "email", "groep")
CHANNEL_SHARES = {
    "regulier": (0.35, 0.03, 0.35, 0.02, 0.25, 0.00),
    "op_verzoek": (0.25, 0.03, 0.30, 0.05, 0.35, 0.02),
    "intensief": (0.40, 0.15, 0.25, 0.05, 0.10, 0.05),
}
CHANNEL_MINUTES = ((30, 75), (45, 100), (5, 30), (20, 50), (5, 20), (60, 120))  # uniform range per channel
INTAKE_MINUTES, REVIEW_MINUTES = 60, 45
REVIEW_EVERY_MONTHS = 6
