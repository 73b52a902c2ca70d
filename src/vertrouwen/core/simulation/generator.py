"""The synthetic municipality: a seeded, deterministic dataset in the canonical format.

The same (size, seed, effects, design, municipality) always gives the same tables. Each part of the data
draws from its own random stream, so changing, say, the questionnaire model leaves benefit histories alone.
"""

from types import MappingProxyType

import numpy as np
import polars as pl

from vertrouwen.core import codes
from vertrouwen.core.dataset import Dataset, schema
from vertrouwen.core.dataset.manifest import Manifest, Municipality
from vertrouwen.core.designs import DESIGNS, Design
from vertrouwen.core.simulation import model as m
from vertrouwen.core.simulation import surveys
from vertrouwen.core.simulation.baseline import GOALS, draw_baseline
from vertrouwen.core.simulation.dynamics import ArmParameters, History, simulate
from vertrouwen.core.simulation.effects import ArmEffects
from vertrouwen.core.simulation.frames import alphabetical_rank, cents_to_decimal, dates, frame, labels, person_ids
from vertrouwen.core.simulation.lottery import Enrollment, draw_enrollment
from vertrouwen.core.simulation.population import DAYS_PER_YEAR, People, draw_people
from vertrouwen.core.simulation.sizes import Size, experiment_for, resolve_size
from vertrouwen.core.simulation.timegrid import NO_DAY, Calendar, to_days

GENERATOR = "vertrouwen.core.simulation"
GENERATOR_VERSION = "3"  # raise when the same seed gives different data (3: cohorts drawn by core.lottery)
VOORBEELDSTAD = Municipality(code="9999", name="Voorbeeldstad")
_STREAMS = ("people", "lottery", "dynamics", "contacts", "baseline", "earnings", "surveys")


def generate(size: "str | Size" = "S", seed: int = 2017, effects: ArmEffects | None = None,
             design: "str | Design" = "wageningen", municipality: Municipality = VOORBEELDSTAD) -> Dataset:
    """A synthetic dataset for one municipality running one experiment design (a code of DESIGNS or a Design).

    size: "XS", "S", "M", "L" or a Size; effects: the arms' effects, by default ArmEffects.for_design.
    """
    manifest, tables = generate_tables(size, seed, effects, design, municipality)
    return Dataset(manifest, MappingProxyType(tables))


def generate_tables(size: "str | Size" = "S", seed: int = 2017, effects: ArmEffects | None = None,
                    design: "str | Design" = "wageningen", municipality: Municipality = VOORBEELDSTAD,
                    ) -> tuple[Manifest, dict[str, pl.DataFrame]]:
    """The manifest and one typed DataFrame per schema table."""
    chosen = design if isinstance(design, Design) else _design(design)
    size = resolve_size(size)
    effects = ArmEffects.for_design(chosen) if effects is None else effects
    experiment = experiment_for(chosen, size)
    calendar = Calendar.between(experiment.period_start, experiment.period_end)
    rng = dict(zip(_STREAMS, (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS))),
                   strict=True))

    people = draw_people(rng["people"], size.participants, size.reference, int(calendar.starts[0]))
    enrollment = draw_enrollment(rng["lottery"], people, calendar, len(chosen.arms))
    history = simulate(rng["dynamics"], rng["contacts"], people, enrollment, calendar,
                       _arm_parameters(chosen, effects))

    ids = person_ids(people.n)
    members = np.flatnonzero(people.participant)
    tables = {
        "persons": _persons(ids, people),
        "benefit_spells": _spells(ids, history),
        "enrollments": _enrollments(ids, members, enrollment, history, chosen),
        **_baseline(rng["baseline"], ids, members, people, enrollment, history),
        "earnings": _earnings(rng["earnings"], ids, history, calendar, people.n),
        "contacts": _contacts(ids, history),
        "survey_responses": _surveys(rng["surveys"], ids, members, people, enrollment, history, calendar,
                                     chosen, effects),
    }
    provenance = {"generator": GENERATOR, "version": GENERATOR_VERSION, "size": size.code, "seed": seed,
                  "design": chosen.code, "effects": effects.as_dict()}
    manifest = Manifest(municipality, experiment, chosen.arms, provenance=provenance)
    # Every table is built in natural-key order, as the dataset writer puts rows, so that writing and reading
    # gives equal frames. Person ids have one width, so their order is the persons' order.
    return manifest, {t.name: tables[t.name] for t in schema.TABLES}


def simulate_outcomes(size: "str | Size", seed: int, effects: ArmEffects | None = None,
                      design: "str | Design" = "wageningen") -> tuple[np.ndarray, np.ndarray]:
    """Per participant (in person order): the arm index into the design's arms, and whether the person had a
    first exit to work (end reason werk or zelfstandig) on or after the allocation and before the count date.

    The same draws as generate_tables with the same arguments, so the outcomes are those of its tables; it skips
    baseline, earnings, questionnaires and the tables, for fast replications in a design diagnosis.
    """
    chosen = design if isinstance(design, Design) else _design(design)
    size = resolve_size(size)
    effects = ArmEffects.for_design(chosen) if effects is None else effects
    experiment = experiment_for(chosen, size)
    calendar = Calendar.between(experiment.period_start, experiment.period_end)
    people_rng, lottery_rng, dynamics_rng, contacts_rng, *_ = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS)))
    people = draw_people(people_rng, size.participants, size.reference, int(calendar.starts[0]))
    enrollment = draw_enrollment(lottery_rng, people, calendar, len(chosen.arms))
    history = simulate(dynamics_rng, contacts_rng, people, enrollment, calendar, _arm_parameters(chosen, effects))
    person, end = history.spell_person, history.spell_end
    work_reasons = [i for i, code in enumerate(m.END_REASONS) if code in codes.WORK_END_REASONS]
    to_work = np.isin(history.spell_reason, work_reasons)
    counted = (to_work & (end != NO_DAY) & (end >= enrollment.allocated_on[person])
               & (end < to_days(experiment.count_date)))
    exited = np.zeros(people.n, dtype=bool)
    exited[person[counted]] = True
    members = np.flatnonzero(people.participant)
    return enrollment.arm[members], exited[members]


def _design(code: str) -> Design:
    try:
        return DESIGNS[code]
    except KeyError:
        raise ValueError(f"unknown design {code!r}; choose one of {', '.join(DESIGNS)}") from None


def _arm_parameters(design: Design, effects: ArmEffects) -> ArmParameters:
    arms = design.arms
    return ArmParameters(
        work=np.array([effects.participation_work_exit * effects.work_exit_ratio(a.code) for a in arms]),
        parttime=np.array([effects.participation_parttime * effects.parttime_ratio(a.code) for a in arms]),
        reentry=np.array([effects.reentry_ratio(a.code) for a in arms]),
        guidance=np.array([m.GUIDANCE.index(a.guidance_intensity) for a in arms], dtype=np.int8),
    )


def _persons(ids: pl.Series, people: People) -> pl.DataFrame:
    bsn = pl.Series(people.bsn).cast(pl.String).str.zfill(9)
    return frame(schema.PERSONS, {
        "person_id": ids,
        "bsn": bsn.set(pl.Series(people.bsn < 0), None),
        "birth_date": dates(people.birth_day),
        "sex": labels(m.SEX, people.sex),
        "household_type": labels(m.HOUSEHOLDS, people.household),
        "refugee_status_holder": people.refugee,
        "limitation": labels(m.LIMITATIONS, people.limitation),
        "education": labels(m.EDUCATION, people.education),
    })


def _spells(ids: pl.Series, history: History) -> pl.DataFrame:
    order = np.lexsort((history.spell_start, history.spell_person))
    return frame(schema.BENEFIT_SPELLS, {
        "person_id": ids.gather(history.spell_person[order]),
        "spell_start": dates(history.spell_start[order]),
        "spell_end": dates(history.spell_end[order]),
        "end_reason": labels(m.END_REASONS, history.spell_reason[order]),
    })


def _enrollments(ids, members, enrollment: Enrollment, history: History, design: Design) -> pl.DataFrame:
    return frame(schema.ENROLLMENTS, {
        "person_id": ids.gather(members),
        "arm": labels(design.arm_codes, enrollment.arm[members]),
        "allocated_on": dates(enrollment.allocated_on[members]),
        "consented_on": dates(enrollment.consented_on[members]),
        "stopped_on": dates(history.stop_day[members]),
        "stop_reason": labels(m.STOP_REASONS, history.stop_reason[members]),
        # The lottery's record: each monthly cohort is one draw of blocks of one person per arm (lottery.py).
        "draw": (enrollment.cohort[members] + 1).astype(str),
        "method": np.full(len(members), "block"),
        "block": enrollment.block[members],
        "block_size": np.full(len(members), len(design.arm_codes)),
    })


def _baseline(rng, ids, members, people: People, enrollment: Enrollment, history: History) -> dict:
    drawn = draw_baseline(rng, people.limitation[members], people.prospects[members],
                          history.baseline_working[members])
    order = np.lexsort((alphabetical_rank(GOALS)[drawn.goal], drawn.goal_person))
    goal_member = members[drawn.goal_person[order]]
    goals = frame(schema.GOALS, {
        "person_id": ids.gather(goal_member),
        "recorded_on": dates(enrollment.consented_on[goal_member]),
        "occasion": pl.repeat("nulmeting", len(goal_member), eager=True),
        "goal": labels(GOALS, drawn.goal[order]),
    })
    assessments = frame(schema.ASSESSMENTS, {
        "person_id": ids.gather(members),
        "recorded_on": dates(enrollment.consented_on[members]),
        "occasion": pl.repeat("nulmeting", len(members), eager=True),
        "good_prospects": people.prospects[members],
        "ladder_rung": drawn.ladder_rung,
    })
    return {"goals": goals, "assessments": assessments}


def _earnings(rng, ids, history: History, calendar: Calendar, n: int) -> pl.DataFrame:
    """Each person has a usual level of earnings and an hourly wage; months vary around the level."""
    level = m.EARNINGS_MEDIAN_CENTS * np.exp(m.EARNINGS_SIGMA * rng.standard_normal(n))
    low_wage, high_wage = m.WAGE_CENTS_PER_HOUR
    wage = rng.uniform(low_wage, high_wage, size=n)
    order = np.lexsort((history.earning_month, history.earning_person))
    person, month = history.earning_person[order], history.earning_month[order]
    sigma = m.EARNINGS_MONTH_SIGMA
    noise = np.exp(sigma * rng.standard_normal(len(person)) - sigma**2 / 2)
    cents = np.clip(np.round(level[person] * noise), *m.EARNINGS_BOUNDS_CENTS).astype(np.int64)
    hundredths_of_hours = np.round(cents * 100 / wage[person]).astype(np.int64)
    return frame(schema.EARNINGS, {
        "person_id": ids.gather(person),
        "month": dates(calendar.starts[month]),
        "earnings_cents": cents,
        "hours": cents_to_decimal(hundredths_of_hours),
    })


def _contacts(ids: pl.Series, history: History) -> pl.DataFrame:
    person, day, channel, minutes, initiator = history.contacts.arrays()
    return frame(schema.CONTACTS, {
        "person_id": ids.gather(person),
        "contact_on": dates(day),
        "channel": labels(m.CHANNELS, channel),
        "minutes": minutes.astype(np.int64),
        "initiated_by": labels(m.INITIATORS, initiator),
    })


def _surveys(rng, ids, members, people: People, enrollment: Enrollment, history: History, calendar: Calendar,
             design: Design, effects: ArmEffects) -> pl.DataFrame:
    wave1_month = enrollment.cohort[members].astype(np.int64) + 12
    due = wave1_month < calendar.n_months
    wave1_start = calendar.starts[np.minimum(wave1_month, calendar.n_months)]
    stop_day = history.stop_day[members]
    age = (calendar.starts[0] - people.birth_day[members]) / DAYS_PER_YEAR
    shift = np.array([effects.wellbeing_shift(code) for code in design.arm_codes])
    answers = surveys.draw_answers(rng, surveys.SurveyInput(
        limitation=people.limitation[members],
        old=age >= 60,
        wave1_due=due,
        wave1_on_benefit=history.wave1_on_benefit[members],
        stopped_before_wave1=(stop_day != NO_DAY) & (stop_day < wave1_start),
        wellbeing_effect=shift[enrollment.arm[members]],
    ))
    items = tuple(i.code for i in surveys.ITEMS)
    instruments = tuple(i.instrument for i in surveys.ITEMS)
    keys = tuple(f"{i.instrument}\t{i.code}" for i in surveys.ITEMS)  # sorts as instrument, then item
    order = np.lexsort((alphabetical_rank(keys)[answers.item], answers.wave, answers.person))
    value_labels = tuple(str(v) for v in range(max(i.high for i in surveys.ITEMS) + 1))
    return frame(schema.SURVEY_RESPONSES, {
        "person_id": ids.gather(members[answers.person[order]]),
        "wave": answers.wave[order].astype(np.int64),
        "instrument": labels(instruments, answers.item[order]),
        "item": labels(items, answers.item[order]),
        "value": labels(value_labels, answers.value[order]),
        "mode": labels(surveys.MODES, answers.mode[order]),
    })
