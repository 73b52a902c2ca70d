"""Randomization inference: the p-value of a difference in proportions under the sharp null of no effect for
anyone, from the distribution over re-draws of the lottery. Labels are re-drawn within the lottery's strata, so
every re-draw keeps each stratum's numbers per arm, as the lottery did.

For a 0/1 outcome a re-draw needs no shuffling: within a stratum of N persons with M ones of whom n are treated,
the number of ones among the treated is hypergeometric (N, M, n), independently across strata, and the difference
in proportions is a function of their sum. Drawing those counts gives exactly the distribution that shuffling the
labels gives, at a cost per re-draw of the number of strata instead of the number of persons.

p = (1 + #{re-draws with |difference| >= observed}) / (1 + re-draws), which is a valid p-value for a finite
number of re-draws.

Where the data record how the lottery drew (its blocks), `redrawn_p_values` re-deals exactly those blocks instead:
the test of the design that was drawn, not of complete randomization within strata."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-12  # a re-draw as extreme as the observed one up to rounding counts as extreme


def permutation_p_values(y: np.ndarray, treated: np.ndarray, strata: np.ndarray, permutations: int,
                         seed: int) -> np.ndarray:
    """p-values per column of y (persons x outcomes, values 0 or 1) for treated (bool) against the rest, labels
    re-drawn within strata (any integer or string codes)."""
    y = np.asarray(y, dtype=np.float64).reshape(len(treated), -1)
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("randomisatie-inferentie: uitkomsten moeten 0 of 1 zijn")
    treated = np.asarray(treated, dtype=bool)
    _, stratum = np.unique(np.asarray(strata), return_inverse=True)
    size = np.bincount(stratum)
    chosen = np.bincount(stratum, weights=treated).astype(np.int64)
    n1 = int(treated.sum())
    n0 = len(treated) - n1
    rng = np.random.default_rng(seed)
    p = np.empty(y.shape[1])
    for j in range(y.shape[1]):
        ones = np.bincount(stratum, weights=y[:, j], minlength=len(size)).astype(np.int64)
        total = int(ones.sum())
        observed = _difference(float(y[treated, j].sum()), total, n1, n0)
        counts = np.zeros(permutations)
        for s in range(len(size)):
            if 0 < chosen[s] < size[s] and 0 < ones[s] < size[s]:
                counts += rng.hypergeometric(ones[s], size[s] - ones[s], chosen[s], size=permutations)
            else:  # everyone or no one treated, or everyone the same outcome: the same count in every re-draw
                counts += ones[s] if chosen[s] == size[s] else chosen[s] if ones[s] == size[s] else 0
        drawn = _difference(counts, total, n1, n0)
        p[j] = (1.0 + np.sum(np.abs(drawn) >= abs(observed) - TOLERANCE)) / (1.0 + permutations)
    return p


def _difference(ones_treated, total: int, n1: int, n0: int):
    """Difference in proportions treated minus others, from the number of ones among the treated."""
    return ones_treated / n1 - (total - ones_treated) / n0


# --- re-dealing the lottery as it was drawn ---------------------------------------------------------------------

CHUNK = 500  # re-draws computed at once: bounds the memory to about CHUNK x persons x block size


@dataclass(frozen=True)
class Scheme:
    """How the lottery dealt the arms to the persons of an evaluation, from its record (enrollments.csv's draw,
    method, block and block_size; core.lottery.randomization, algorithm versions 1 and 2): each person's block, and
    per block its method and full size. A block of method "block" or "stratified_block" is a random permutation of its
    pattern (each arm ratio x multiplier times), its L persons taking the first L places; a draw of method
    "complete" is one block holding pattern(n // R) and the first n mod R places of a permuted pattern(1)."""

    block: np.ndarray  # int per person: the block's number in this scheme
    size: np.ndarray  # int per block: persons in a full block (complete: the ratios' sum)
    complete: np.ndarray  # bool per block

    @classmethod
    def of(cls, draw: Sequence, method: Sequence, block: Sequence, block_size: Sequence) -> "Scheme":
        keys = [f"{d}\t{'' if m == 'complete' else b}" for d, m, b in zip(draw, method, block, strict=True)]
        _, first, number = np.unique(keys, return_index=True, return_inverse=True)
        return cls(number.astype(np.int64), np.asarray(block_size, dtype=np.int64)[first],
                   np.asarray(method)[first] == "complete")


def redeal(scheme: Scheme, ratio: Sequence[int], permutations: int, rng: np.random.Generator) -> np.ndarray:
    """Arm indexes (permutations x persons) of `permutations` re-draws of the scheme."""
    n = len(scheme.block)
    out = np.empty((permutations, n), dtype=np.int16)
    members = [np.flatnonzero(scheme.block == b) for b in range(len(scheme.size))]
    shapes: dict[tuple[int, int, bool], list[int]] = {}
    for b, units in enumerate(members):
        shapes.setdefault((int(scheme.size[b]), len(units), bool(scheme.complete[b])), []).append(b)
    ratio = np.asarray(ratio, dtype=np.int64)
    for (size, length, complete), blocks in shapes.items():
        units = np.stack([members[b] for b in blocks])  # blocks x length
        dealt = (_complete_deals(ratio, length, permutations, len(blocks), rng) if complete else
                 _block_deals(ratio, size, length, permutations, len(blocks), rng))
        out[:, units.ravel()] = dealt.reshape(permutations, -1)
    return out


def _pattern(ratio: np.ndarray, times: int) -> np.ndarray:
    return np.repeat(np.arange(len(ratio), dtype=np.int16), ratio * times)


def _block_deals(ratio, size, length, permutations, blocks, rng) -> np.ndarray:
    """permutations x blocks x length: the first `length` places of a random permutation of the block's pattern."""
    pattern = _pattern(ratio, size // int(ratio.sum()))
    order = np.argsort(rng.random((permutations, blocks, size)), axis=-1)[..., :length]
    return pattern[order]


def _complete_deals(ratio, length, permutations, blocks, rng) -> np.ndarray:
    rounds, leftover = divmod(length, int(ratio.sum()))
    one = _pattern(ratio, 1)
    extra = one[np.argsort(rng.random((permutations, blocks, len(one))), axis=-1)[..., :leftover]]
    full = np.concatenate([np.broadcast_to(_pattern(ratio, rounds), (permutations, blocks, length - leftover)),
                           extra], axis=-1)
    order = np.argsort(rng.random((permutations, blocks, length)), axis=-1)
    return np.take_along_axis(full, order, axis=-1)


def redrawn_p_values(scheme: Scheme, ratio: Sequence[int], arm: np.ndarray, contrasts: Sequence[Sequence[int]],
                     control: int, y: np.ndarray, known: np.ndarray, permutations: int, seed: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """For each contrast (its treated arms' indexes) and outcome (columns of y, 0/1, among the persons `known` for
    it): the observed difference treated minus control, and its p-value over re-draws of the whole lottery as it
    drew (every arm re-dealt, the contrasts compared on the same re-draws). Both contrasts x outcomes."""
    y = np.where(known, np.asarray(y, dtype=np.float64), 0.0)
    # Per person and outcome: the outcome where known, and 1 where known; one product gives sums and counts.
    values = np.concatenate([y, known.astype(np.float64)], axis=1)
    outcomes = y.shape[1]

    def differences(arms: np.ndarray) -> np.ndarray:  # arms: draws x persons -> draws x contrasts x outcomes
        control_sums = (arms == control).astype(np.float64) @ values
        found = []
        for treated in contrasts:
            sums = np.isin(arms, treated).astype(np.float64) @ values
            with np.errstate(divide="ignore", invalid="ignore"):
                found.append(sums[:, :outcomes] / sums[:, outcomes:]
                             - control_sums[:, :outcomes] / control_sums[:, outcomes:])
        return np.stack(found, axis=1)

    observed = differences(np.asarray(arm)[None, :])[0]
    rng = np.random.default_rng(seed)
    extreme = np.zeros(observed.shape)
    for start in range(0, permutations, CHUNK):
        drawn = differences(redeal(scheme, ratio, min(CHUNK, permutations - start), rng))
        extreme += np.sum(np.abs(drawn) >= np.abs(observed) - TOLERANCE, axis=0)
    return observed, (1.0 + extreme) / (1.0 + permutations)
