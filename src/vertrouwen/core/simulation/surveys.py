"""Questionnaires for participants: the baseline (wave 0) and a year later (wave 1), with the items of the
participant instruments that vertrouwen asks (core/surveys/instruments).

Answers follow a latent well-being per person (lower with a limitation), a small rise over time for everyone
taking part, and the arm's effect on well-being at wave 1. Response is about 85% at the baseline and lower a
year later, lowest for those who stopped taking part.

Every number in this module is an assumption of ours [assumption]: the seeds report no response rates or
answer distributions. They give the questionnaire tables realistic shape, nothing more.
"""

from dataclasses import dataclass

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.surveys.instruments import INSTRUMENTS


@dataclass(frozen=True)
class Item:
    instrument: str  # code of an instrument in core/surveys/instruments
    code: str
    low: int
    high: int
    weight: float  # how strongly the answer follows the latent well-being; negative: a higher answer is worse
    spread: float = 0.0  # answer steps per standard deviation; 0: a quarter of the scale


def _item(instrument: str, code: str, weight: float, spread: float = 0.0) -> Item:
    scale = INSTRUMENTS[instrument].item(code).scale
    return Item(instrument, code, scale.minimum, scale.maximum, weight, spread)


# The participant instruments, each with enough items to be scored (its min_answered); a reverse-coded item has
# a negative weight, so its score follows the latent like the others. Financial strain runs against well-being.
ITEMS = (
    _item("levenstevredenheid", "leven", 0.9),
    _item("gezondheid", "algemeen", 0.8),
    _item("mentale_gezondheid", "somber", -0.7),
    _item("mentale_gezondheid", "rustig", 0.6),
    _item("mentale_gezondheid", "neerslachtig", -0.7),
    _item("mentale_gezondheid", "gelukkig", 0.7),
    _item("zelfredzaamheid", "zaken_regelen", 0.6),
    _item("zelfredzaamheid", "in_de_hand", 0.6),
    _item("zelfredzaamheid", "hulp_nodig", -0.5),
    _item("participatie", "vrijwilligerswerk", 0.2, spread=3.0),
    _item("participatie", "mantelzorg", -0.1, spread=4.0),
    _item("sociaal_vertrouwen", "mensen", 0.5),
    _item("institutioneel_vertrouwen", "gemeente", 0.6),
    _item("institutioneel_vertrouwen", "rijksoverheid", 0.5),
    _item("financiele_zorgen", "rondkomen", 0.5),
    _item("financiele_zorgen", "zorgen", -0.6),
    _item("dienstverlening", "serieus", 0.5),
    _item("dienstverlening", "vertrouwen", 0.6),
    _item("dienstverlening", "gecontroleerd", -0.4),
)
MODES = tuple(codes.SURVEY_MODES)[:3]  # MODE_SHARES follow this order; assisted answering is not simulated
MODE_SHARES = {False: (0.76, 0.21, 0.03), True: (0.50, 0.45, 0.05)}  # by age 60 and over
LIMITATION_WELLBEING = np.array([0.0, -0.4, -0.6])  # geen, lichamelijk, psychisch
TIME_TREND = 0.10  # in standard deviations of the latent, from wave 0 to wave 1
BASELINE_RESPONSE = np.array([0.87, 0.85, 0.80])  # by limitation
WAVE1_RESPONSE_ON_BENEFIT, WAVE1_RESPONSE_OFF_BENEFIT, WAVE1_RESPONSE_STOPPED = 0.72, 0.55, 0.30
ITEM_NONRESPONSE = 0.02


@dataclass(frozen=True)
class SurveyInput:
    limitation: np.ndarray
    old: np.ndarray  # bool: 60 or over
    wave1_due: np.ndarray  # bool: wave 1 falls in the period
    wave1_on_benefit: np.ndarray
    stopped_before_wave1: np.ndarray
    wellbeing_effect: np.ndarray  # arm effect at wave 1, standard deviations


@dataclass(frozen=True)
class Answers:
    person: np.ndarray  # index into the participants given
    wave: np.ndarray
    item: np.ndarray  # index into ITEMS
    value: np.ndarray  # -1 when the item was skipped
    mode: np.ndarray  # index into MODES


def draw_answers(rng: np.random.Generator, given: SurveyInput) -> Answers:
    n = len(given.limitation)
    latent = rng.standard_normal(n) + LIMITATION_WELLBEING[given.limitation]
    wave1_response = np.where(given.stopped_before_wave1, WAVE1_RESPONSE_STOPPED,
                              np.where(given.wave1_on_benefit, WAVE1_RESPONSE_ON_BENEFIT,
                                       WAVE1_RESPONSE_OFF_BENEFIT))
    u = rng.random((4, n))
    responded = (u[0] < BASELINE_RESPONSE[given.limitation], given.wave1_due & (u[1] < wave1_response))
    parts = []
    for wave, (answered, u_mode) in enumerate(zip(responded, u[2:], strict=True)):
        shift = wave * (TIME_TREND + given.wellbeing_effect)
        parts.append(_wave(rng, wave, np.flatnonzero(answered), latent + shift, u_mode, given.old))
    return Answers(*(np.concatenate(columns) for columns in zip(*parts, strict=True)))


def _wave(rng, wave, person, latent, u_mode, old):
    k, n_items = len(person), len(ITEMS)
    mode_cdf = np.cumsum(np.where(old[person][:, None], MODE_SHARES[True], MODE_SHARES[False]), axis=1)
    mode = (mode_cdf < u_mode[person][:, None]).sum(axis=1).clip(max=len(MODES) - 1)
    noise = rng.standard_normal((k, n_items))
    skipped = rng.random((k, n_items)) < ITEM_NONRESPONSE
    low = np.array([i.low for i in ITEMS])
    high = np.array([i.high for i in ITEMS])
    weight = np.array([i.weight for i in ITEMS])
    score = weight * latent[person][:, None] + np.sqrt(1.0 - weight**2) * noise  # standard normal
    middle = np.where([i.spread > 0 for i in ITEMS], low + np.array([i.spread for i in ITEMS]), (low + high) / 2.0)
    spread = np.array([i.spread or (i.high - i.low) / 4.0 for i in ITEMS])
    value = np.clip(np.round(middle + spread * score), low, high).astype(np.int16)
    value = np.where(skipped, -1, value)
    return (np.repeat(person, n_items), np.full(k * n_items, wave, dtype=np.int8),
            np.tile(np.arange(n_items), k), value.ravel(), np.repeat(mode, n_items))
