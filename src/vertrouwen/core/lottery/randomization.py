"""The lottery: random allocation of units (persons) to arms, reproducible for decades.

A draw is fixed by its seed, its ordered input and the algorithm version. This docstring is the specification
of versions 1 and 2: anyone can re-implement them from the text below and get the same allocation (the tests do,
in pure Python, down to the random stream). Any change to what follows needs a new ALGORITHM_VERSION; a draw keeps
the version it was made with and is redone with it. New draws use version 2.

Algorithm version 1
-------------------

Input. Unit ids u_0 .. u_{n-1} in the given order (n >= 1, unique, text); arm codes a_0 .. a_{K-1} (K >= 2);
the ratio r_0 .. r_{K-1} (whole numbers >= 1), R = r_0 + ... + r_{K-1}; the seed s (0 <= s < 2**63); the method;
the block multiplier m >= 1 (block methods; 1 for complete randomization); for the stratified method the stratum
variables v_1 .. v_J and each unit's value of each, as text (see "Values as text").

Random numbers. The only source of randomness is the raw output of numpy's PCG64 bit generator (O'Neill's PCG
XSL-RR 128/64) seeded through numpy's SeedSequence with entropy s:
``np.random.PCG64(np.random.SeedSequence(s)).random_raw(N)``, unsigned 64-bit integers x_0, x_1, ....
NumPy keeps the raw streams of its bit generators and SeedSequence stable across versions (NEP 19); no
Generator method (permutation, shuffle, integers), whose streams numpy may change, is used.

Order of keys. For keys k_0 .. k_{L-1}, order(k) lists the positions 0 .. L-1 sorted by key, equal keys by
position (a stable sort). Applied to independent random keys, it is a uniformly random permutation.

Pattern. pattern(q) lists the arm indexes in arm order, arm a repeated q * r_a times: length q * R. The block
size is B = m * R and the block pattern P = pattern(m).

Dealing a block. A block holds L <= B consecutive units and uses B keys k_0 .. k_{B-1}; the unit at position j of
the block (j < L) gets arm P[order(k)[j]]. A full block (L = B) gives every arm exactly m * r_a units; an
incomplete block takes the first L positions of a random permutation of the full pattern.

Method "complete" (complete randomization: the whole list is one block). q = n // R, e = n - q * R.
  1. Keys x_0 .. x_{R-1} deal the leftover: E = the first e entries of pattern(1)[order(x_0 .. x_{R-1})]. These R
     keys are drawn also when e = 0.
  2. Q = pattern(q) followed by E (length n). Keys x_R .. x_{R+n-1}: unit i (input position) gets arm
     Q[order(x_R .. x_{R+n-1})[i]].
  Every arm gets q * r_a units plus at most r_a of the e leftover ones.

Method "block" (permuted blocks in input order, for sequential inflow): the method "stratified_block" with one
stratum that holds every unit. Consecutive groups of B units in input order are the blocks; the last one may be
incomplete.

Method "stratified_block" (permuted blocks within each stratum):
  1. A unit's stratum is the tuple of its values of v_1 .. v_J. Strata are numbered 0, 1, ... in the order in
     which their first unit appears in the input.
  2. Sort the units by (stratum number, input position). Stratum h with n_h units: its first B * (n_h // B)
     units form its full blocks, consecutive groups of B; its last n_h mod B units are its leftovers.
  3. Leftover strategy: the leftovers of all strata form one pool, in the same order (stratum number, input
     position), cut into consecutive blocks of B; the pool's last block is incomplete when the pool size is not
     a multiple of B. (The approach of stochatreat's misfit_strategy="global".)
  4. Blocks are numbered t = 0, 1, ...: every full block of stratum 0 in order, then those of stratum 1, ..., then
     the pool's blocks. Block t is dealt with keys x_{t*B} .. x_{t*B+B-1}; an incomplete block also uses B keys.

The block of each unit (t above; 0 for every unit of method "complete") is part of the draw's record (Draw.block),
not of its hashes: the evaluation's randomization inference re-deals exactly these blocks.

Properties. Every unit gets arm a with probability r_a / R. Within stratum h each arm gets m * r_a * (n_h // B)
units plus between 0 and n_h mod B of its leftovers; over all units only the pool's last block can be
incomplete, so every arm total lies within one block (B) of n * r_a / R. A stratum's leftovers can fall in two
pool blocks, so with equal ratios two arms of one stratum can differ by 2.

Algorithm version 2
-------------------

As version 1, except for the leftovers of the block methods, which stay in their stratum (as randomizr's
block_ra keeps each block's counts): method "complete" and the hashes' form are unchanged.

Method "stratified_block" (and "block", its case of one stratum), steps 3 and 4 of version 1 become:
  3. Stratum h's leftovers, n_h mod B units in order, are cut into consecutive sub-blocks of R units, each dealt
     with the pattern P1 = pattern(1) (block size R); the last one is incomplete when n_h mod B is not a multiple
     of R. Nothing is pooled across strata.
  4. Blocks are numbered t = 0, 1, ...: stratum 0's full blocks in order, then its leftover sub-blocks, then
     stratum 1's, and so on. The keys are used in block order: block t takes the next S_t keys, S_t being its full
     size (B or R), also when it is incomplete.

Properties. Every unit gets arm a with probability r_a / R. Within stratum h, arm a gets m * r_a * (n_h // B)
units from the full blocks, r_a from every complete sub-block, and between max(0, e - (R - r_a)) and min(e, r_a)
from the incomplete one (e = n_h mod R units). With equal ratios every stratum's arm counts are therefore within 1
of each other (a stratum of n_h units: each arm n_h // K or n_h // K + 1); with unequal ratios each arm's count is
within r_a of n_h * r_a / R. The price: each stratum may end in an incomplete sub-block, so an arm's total over
all units can drift from n * r_a / R by up to one sub-block per stratum (version 1: one block in all).

Values as text. Stratum values are compared and hashed as text: strings as given, booleans "true" / "false",
whole numbers in decimal. Ids, arm codes and values may not contain a tab, line feed or carriage return; a
missing value (none, or only spaces) is an error.

Hashes, SHA-256 in lowercase hex over UTF-8 text in which every line ends with a line feed ("\\n"):
  input_hash over the lines
      vertrouwen-loting
      algorithm_version=<version>
      method=<method>
      seed=<s in decimal>
      block_multiplier=<m in decimal>
      arms=<a_0>\\t<a_1>\\t...
      ratio=<r_0>\\t<r_1>\\t...
      strata=<v_1>\\t<v_2>\\t...          (empty after "=" without stratum variables)
      units=<n in decimal>
  followed by one line per unit in input order: <u_i>, then for each stratum variable a tab and the value.
  result_hash over one line per unit in input order: <u_i>\\t<arm code>.
"""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import polars as pl

from vertrouwen.core import codes

ALGORITHM_VERSION = "2"  # new draws; a draw is redone with the version it was made with
ALGORITHM_VERSIONS = ("1", "2")
MAX_SEED = 2**63 - 1  # the register stores the seed in a signed 64-bit column
UNIT_ID_COLUMN = "person_id"  # when the strata frame has this column, it must list the ids in the same order
_FORBIDDEN = r"[\t\n\r]"  # separators of the canonical text


class Method(StrEnum):
    COMPLETE = "complete"
    BLOCK = "block"
    STRATIFIED_BLOCK = "stratified_block"


METHOD_LABELS = MappingProxyType({method: codes.LOTTERY_METHODS[method.value] for method in Method})


class RandomizationError(ValueError):
    """The input of a draw is wrong; the message (Dutch) names the unit, column or parameter and the reason."""


@dataclass(frozen=True, eq=False)  # eq=False: the arrays have no single truth value; compare the hashes
class Draw:
    """One draw: the allocation of every unit and what is needed to redo and verify it."""

    ids: pl.Series  # String, the units in input order
    arm: pl.Series  # String, the arm code of each unit
    arm_index: np.ndarray  # int16, each unit's arm as an index into arms
    stratum: np.ndarray  # int32, each unit's stratum number (order of first appearance; all 0 without strata)
    block: np.ndarray  # int32, the block t each unit was dealt in (0 for every unit of complete randomization)
    block_sizes: np.ndarray  # int32, the full size of each unit's block (version 2: B, or R for a leftover block)
    strata: pl.DataFrame  # the stratum values as text, one column per stratum variable, aligned with ids
    arms: tuple[str, ...]
    ratio: tuple[int, ...]
    seed: int
    method: Method
    block_multiplier: int
    stratify_by: tuple[str, ...]
    algorithm_version: str
    input_hash: str
    result_hash: str

    @property
    def size(self) -> int:
        return len(self.ids)

    def frame(self) -> pl.DataFrame:
        """One row per unit in input order: unit_id, arm and the stratum values."""
        return pl.DataFrame([self.ids.alias("unit_id"), self.arm.alias("arm")]).hstack(self.strata)

    def arm_totals(self) -> dict[str, int]:
        counts = np.bincount(self.arm_index, minlength=len(self.arms))
        return {arm: int(c) for arm, c in zip(self.arms, counts, strict=True)}

    def stratum_totals(self) -> pl.DataFrame:
        """Units per stratum and arm: the stratum values, then one count column per arm (in arm order)."""
        counts = np.zeros((int(self.stratum.max()) + 1, len(self.arms)), dtype=np.int64)
        np.add.at(counts, (self.stratum, self.arm_index), 1)
        columns = [pl.Series(arm, counts[:, k]) for k, arm in enumerate(self.arms)]
        if self.strata.width == 0:
            return pl.DataFrame(columns)
        first = np.unique(self.stratum, return_index=True)[1]  # each stratum's first unit, in stratum order
        return self.strata[first].hstack(columns)


@dataclass(frozen=True)
class _Input:
    """Checked input: everything the algorithm and the input hash use."""

    ids: pl.Series
    arms: tuple[str, ...]
    ratio: tuple[int, ...]
    seed: int
    method: Method
    block_multiplier: int
    stratify_by: tuple[str, ...]
    strata: pl.DataFrame  # String columns, stratify_by order
    version: str  # the algorithm version


StrataInput = pl.DataFrame | Mapping[str, Sequence] | None


def randomize(ids: Sequence[str] | pl.Series, arms: Sequence[str], ratio: Sequence[int], seed: int,
              method: Method | str, strata: StrataInput = None, stratify_by: Sequence[str] = (),
              block_multiplier: int = 1, algorithm_version: str = ALGORITHM_VERSION) -> Draw:
    """Allocate the units to the arms by the documented algorithm (see the module docstring).

    strata holds the stratum values per unit, aligned with ids (a frame or a mapping column -> values); only the
    columns named in stratify_by are used. Raises RandomizationError on bad input.
    """
    given = _check(ids, arms, ratio, seed, method, strata, stratify_by, block_multiplier, algorithm_version)
    stratum, order, sizes = _strata(given.strata, len(given.ids))
    if given.method is Method.COMPLETE:
        arm_index = _complete(len(given.ids), given.ratio, given.seed)
        block = np.zeros(len(given.ids), dtype=np.int32)
        block_sizes = np.full(len(given.ids), sum(given.ratio), dtype=np.int32)
    elif given.version == "1":
        arm_index, block = _stratified_blocks(order, sizes, given.ratio, given.block_multiplier, given.seed)
        block_sizes = np.full(len(given.ids), sum(given.ratio) * given.block_multiplier, dtype=np.int32)
    else:
        arm_index, block, block_sizes = _blocks_within_strata(order, sizes, given.ratio, given.block_multiplier,
                                                              given.seed)
    arm = pl.Series("arm", given.arms).gather(arm_index)
    return Draw(
        ids=given.ids, arm=arm, arm_index=arm_index, stratum=stratum, block=block, block_sizes=block_sizes,
        strata=given.strata, arms=given.arms,
        ratio=given.ratio, seed=given.seed, method=given.method, block_multiplier=given.block_multiplier,
        stratify_by=given.stratify_by, algorithm_version=given.version, input_hash=_input_hash(given),
        result_hash=result_hash(given.ids, arm),
    )


def input_hash(ids: Sequence[str] | pl.Series, arms: Sequence[str], ratio: Sequence[int], seed: int,
               method: Method | str, strata: StrataInput = None, stratify_by: Sequence[str] = (),
               block_multiplier: int = 1, algorithm_version: str = ALGORITHM_VERSION) -> str:
    """The input hash a draw with these arguments gets, without drawing: to verify a stored draw."""
    return _input_hash(_check(ids, arms, ratio, seed, method, strata, stratify_by, block_multiplier,
                              algorithm_version))


def result_hash(ids: Sequence[str] | pl.Series, arm_codes: Sequence[str] | pl.Series) -> str:
    """SHA-256 over the lines "<id>\\t<arm code>" in input order."""
    ids, arm_codes = pl.Series(ids, dtype=pl.String), pl.Series(arm_codes, dtype=pl.String)
    if len(ids) != len(arm_codes):
        raise RandomizationError(f"uitslag: {len(arm_codes)} groepen voor {len(ids)} eenheden")
    return _sha256_lines([], _tab_joined([ids, arm_codes]))


# --- the algorithm -------------------------------------------------------------------------------------------


def raw_stream(seed: int, count: int) -> np.ndarray:
    """The first `count` raw 64-bit outputs of PCG64 seeded by SeedSequence(seed): the draw's only randomness."""
    return np.random.PCG64(np.random.SeedSequence(seed)).random_raw(count)


def pattern(ratio: Sequence[int], multiplier: int) -> np.ndarray:
    """Arm indexes in arm order, arm a repeated multiplier * ratio[a] times."""
    return np.repeat(np.arange(len(ratio), dtype=np.int16), np.asarray(ratio, dtype=np.int64) * multiplier)


def _order(keys: np.ndarray) -> np.ndarray:
    """Positions sorted by key, ties by position; along the last axis."""
    return np.argsort(keys, axis=-1, kind="stable")


def _complete(n: int, ratio: tuple[int, ...], seed: int) -> np.ndarray:
    total = sum(ratio)
    rounds, leftover = divmod(n, total)
    keys = raw_stream(seed, total + n)
    extra = pattern(ratio, 1)[_order(keys[:total])][:leftover]
    full = np.concatenate([pattern(ratio, rounds), extra])
    return full[_order(keys[total:])]


def _stratified_blocks(order: np.ndarray, sizes: np.ndarray, ratio: tuple[int, ...], multiplier: int,
                       seed: int) -> tuple[np.ndarray, np.ndarray]:
    """order: the units sorted by (stratum, input position); sizes: units per stratum in stratum order. Returns each
    unit's arm index and the number t of the block it was dealt in."""
    block = pattern(ratio, multiplier)
    size = len(block)
    starts = np.cumsum(sizes) - sizes
    rank = np.arange(len(order)) - np.repeat(starts, sizes)  # position within the stratum
    in_full_block = rank < np.repeat(sizes - sizes % size, sizes)
    pool = order[~in_full_block]
    padding = np.full(-len(pool) % size, -1, dtype=order.dtype)  # the empty end of the pool's last block
    slots = np.concatenate([order[in_full_block], pool, padding])
    keys = raw_stream(seed, len(slots)).reshape(-1, size)
    dealt = block[_order(keys)].ravel()
    arm_index = np.empty(len(order), dtype=np.int16)
    block_of = np.empty(len(order), dtype=np.int32)
    used = slots >= 0
    arm_index[slots[used]] = dealt[used]
    block_of[slots[used]] = (np.arange(len(slots)) // size)[used]
    return arm_index, block_of


def _blocks_within_strata(order: np.ndarray, sizes: np.ndarray, ratio: tuple[int, ...], multiplier: int,
                          seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Version 2: each stratum's full blocks of B, then its leftovers in sub-blocks of R, nothing pooled. Returns each
    unit's arm index, block number and block size."""
    total = sum(ratio)
    full_size = total * multiplier
    full, leftover = np.divmod(sizes, full_size)
    rounds, last = np.divmod(leftover, total)
    # Per stratum three runs of blocks: its full blocks, its complete sub-blocks, its incomplete one (if any).
    runs = np.column_stack([full, rounds, last > 0]).ravel()
    lengths = np.repeat(np.column_stack([np.full_like(last, full_size), np.full_like(last, total), last]).ravel(), runs)
    block_sizes = np.repeat(np.tile([full_size, total, total], len(sizes)), runs)
    keys = raw_stream(seed, int(block_sizes.sum()))
    key_start, unit_start = np.cumsum(block_sizes) - block_sizes, np.cumsum(lengths) - lengths
    arm_index = np.empty(len(order), dtype=np.int16)
    block_of = np.empty(len(order), dtype=np.int32)
    size_of = np.empty(len(order), dtype=np.int32)
    for size in sorted({full_size, total}):
        blocks = np.flatnonzero(block_sizes == size)
        places = np.arange(size)
        dealt = pattern(ratio, size // total)[_order(keys[key_start[blocks][:, None] + places])]
        used = places[None, :] < lengths[blocks][:, None]
        members = order[(unit_start[blocks][:, None] + places)[used]]
        arm_index[members] = dealt[used]
        block_of[members] = np.broadcast_to(blocks[:, None], used.shape)[used]
        size_of[members] = size
    return arm_index, block_of, size_of


def _strata(values: pl.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's stratum number (order of first appearance), the units sorted by (stratum, input position),
    and the units per stratum."""
    if values.width == 0:
        return np.zeros(n, dtype=np.int32), np.arange(n, dtype=np.int64), np.array([n], dtype=np.int64)
    # group_by with maintain_order lists the groups in order of first appearance, each group's rows in input order
    groups = values.with_row_index("_position").group_by(values.columns, maintain_order=True).agg("_position")
    order = groups["_position"].explode().to_numpy().astype(np.int64)
    sizes = groups["_position"].list.len().to_numpy().astype(np.int64)
    stratum = np.empty(n, dtype=np.int32)
    stratum[order] = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    return stratum, order, sizes


# --- hashes --------------------------------------------------------------------------------------------------


def _input_hash(given: _Input) -> str:
    header = [
        "vertrouwen-loting",
        f"algorithm_version={given.version}",
        f"method={given.method.value}",
        f"seed={given.seed}",
        f"block_multiplier={given.block_multiplier}",
        "arms=" + "\t".join(given.arms),
        "ratio=" + "\t".join(str(r) for r in given.ratio),
        "strata=" + "\t".join(given.stratify_by),
        f"units={len(given.ids)}",
    ]
    return _sha256_lines(header, _tab_joined([given.ids, *given.strata.get_columns()]))


def _tab_joined(columns: list[pl.Series]) -> pl.Series:
    """Per row the columns' text joined by tabs (renamed by position: a stratum may be called like the ids)."""
    frame = pl.DataFrame([column.alias(f"c{j}") for j, column in enumerate(columns)])
    return frame.select(pl.concat_str(pl.all(), separator="\t")).to_series()


def _sha256_lines(header: list[str], lines: pl.Series) -> str:
    digest = hashlib.sha256()
    for line in header:
        digest.update(f"{line}\n".encode())
    if len(lines):
        digest.update(lines.str.join("\n").item().encode())
        digest.update(b"\n")
    return digest.hexdigest()


# --- checks --------------------------------------------------------------------------------------------------


def _check(ids, arms, ratio, seed, method, strata, stratify_by, block_multiplier, version) -> _Input:
    if version not in ALGORITHM_VERSIONS:
        raise RandomizationError(f"algoritmeversie {version!r} bestaat niet; bekend: {', '.join(ALGORITHM_VERSIONS)}")
    arms = _check_arms(arms)
    ratio = _check_ratio(ratio, arms)
    seed = _check_whole("seed", seed, minimum=0, maximum=MAX_SEED)
    method = _check_method(method)
    block_multiplier = _check_whole("blokvermenigvuldiger", block_multiplier, minimum=1)
    if method is Method.COMPLETE and block_multiplier != 1:
        raise RandomizationError(f"blokvermenigvuldiger: {block_multiplier} geldt alleen voor blokrandomisatie; "
                                 "volledige randomisatie gebruikt geen blokken (laat 1 staan)")
    unit_ids = _check_ids(ids)
    stratify_by = _check_stratify_by(stratify_by, method)
    values = _stratum_values(strata, stratify_by, unit_ids)
    return _Input(unit_ids, arms, ratio, seed, method, block_multiplier, stratify_by, values, version)


def _check_arms(arms: Sequence[str]) -> tuple[str, ...]:
    if isinstance(arms, str):
        raise RandomizationError(f"groepen: geef een lijst van groepcodes, niet één tekst ({arms!r})")
    arms = tuple(arms)
    if len(arms) < 2:
        raise RandomizationError(f"groepen: een loting vraagt minstens 2 groepen, gevonden: {len(arms)}")
    seen = set()
    for number, arm in enumerate(arms, start=1):
        if not isinstance(arm, str) or not arm.strip():
            raise RandomizationError(f"groep {number}: de groepcode ontbreekt of is geen tekst ({arm!r})")
        if any(c in arm for c in "\t\n\r"):
            raise RandomizationError(f"groep {arm!r}: de code mag geen tab of regeleinde bevatten")
        if arm in seen:
            raise RandomizationError(f"groep {arm!r}: staat meer dan eens in de lijst van groepen")
        seen.add(arm)
    return arms


def _check_ratio(ratio: Sequence[int], arms: tuple[str, ...]) -> tuple[int, ...]:
    ratio = tuple(ratio)
    if len(ratio) != len(arms):
        raise RandomizationError(f"verhouding: {len(ratio)} getallen voor {len(arms)} groepen "
                                 f"({', '.join(arms)}); geef er één per groep")
    for arm, part in zip(arms, ratio, strict=True):
        _check_whole(f"verhouding voor groep {arm!r}", part, minimum=1)
    return tuple(int(part) for part in ratio)


def _check_whole(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise RandomizationError(f"{name}: moet een geheel getal zijn, gevonden: {value!r}")
    if value < minimum:
        raise RandomizationError(f"{name}: moet minstens {minimum} zijn, gevonden: {value}")
    if maximum is not None and value > maximum:
        raise RandomizationError(f"{name}: mag hoogstens {maximum} zijn, gevonden: {value}")
    return int(value)


def _check_method(method: Method | str) -> Method:
    try:
        return Method(method)
    except ValueError:
        known = ", ".join(m.value for m in Method)
        raise RandomizationError(f"methode: {method!r} bestaat niet; kies uit {known}") from None


def _check_ids(ids: Sequence[str] | pl.Series) -> pl.Series:
    try:
        series = ids.alias("unit_id") if isinstance(ids, pl.Series) else pl.Series("unit_id", list(ids))
    except (TypeError, pl.exceptions.PolarsError) as exc:
        raise RandomizationError(f"eenheden: de ids moeten tekst zijn ({exc})") from None
    if series.is_empty():
        raise RandomizationError("eenheden: de lijst is leeg; een loting vraagt minstens één eenheid")
    if series.dtype not in (pl.String, pl.Null):
        raise RandomizationError(f"eenheden: de ids moeten tekst zijn, gevonden: {series.dtype}")
    series = series.cast(pl.String)
    blank = series.is_null() | (series.str.strip_chars() == "")
    if blank.any():
        raise RandomizationError(f"eenheid op positie {_first(blank) + 1}: de id ontbreekt")
    bad = series.str.contains(_FORBIDDEN)
    if bad.any():
        raise RandomizationError(f"eenheid {series[_first(bad)]!r}: de id mag geen tab of regeleinde bevatten")
    duplicated = series.is_duplicated()
    if duplicated.any():
        unit = series[_first(duplicated)]
        positions = (series == unit).arg_true().head(2).to_list()
        raise RandomizationError(f"eenheid {unit!r}: staat meer dan eens in de lijst "
                                 f"(posities {positions[0] + 1} en {positions[1] + 1})")
    return series


def _check_stratify_by(stratify_by: Sequence[str], method: Method) -> tuple[str, ...]:
    names = (stratify_by,) if isinstance(stratify_by, str) else tuple(stratify_by)
    if method is Method.STRATIFIED_BLOCK and not names:
        raise RandomizationError("stratumvariabelen: gestratificeerde blokrandomisatie vraagt minstens één "
                                 "stratumvariabele")
    if method is not Method.STRATIFIED_BLOCK and names:
        raise RandomizationError(f"stratumvariabelen: methode {method.value!r} gebruikt geen strata; kies "
                                 f"{Method.STRATIFIED_BLOCK.value!r} of laat {', '.join(names)} weg")
    for name in names:
        if names.count(name) > 1:
            raise RandomizationError(f"stratumvariabele {name!r}: staat meer dan eens in de lijst")
    return names


def _stratum_values(strata: StrataInput, names: tuple[str, ...], ids: pl.Series) -> pl.DataFrame:
    if not names:
        return pl.DataFrame()
    available = tuple(strata.columns) if isinstance(strata, pl.DataFrame) else tuple(strata or ())
    for name in names:
        if name not in available:
            shown = ", ".join(available) or "geen"
            raise RandomizationError(f"stratumvariabele {name!r}: kolom ontbreekt in de stratumgegevens "
                                     f"(aanwezig: {shown})")
    if isinstance(strata, pl.DataFrame) and UNIT_ID_COLUMN in strata.columns:
        _check_aligned(strata[UNIT_ID_COLUMN], ids)
    return pl.DataFrame([_stratum_column(strata, name, ids) for name in names])


def _check_aligned(column: pl.Series, ids: pl.Series) -> None:
    if len(column) == len(ids):
        differs = column.cast(pl.String).ne_missing(ids)
        if not differs.any():
            return
        row = _first(differs)
        raise RandomizationError(f"stratumgegevens, rij {row + 1}: kolom {UNIT_ID_COLUMN!r} noemt "
                                 f"{column[row]!r}, maar eenheid {row + 1} is {ids[row]!r}; zet de rijen in "
                                 "dezelfde volgorde als de eenheden")


def _stratum_column(strata: pl.DataFrame | Mapping[str, Sequence], name: str, ids: pl.Series) -> pl.Series:
    try:
        column = strata[name] if isinstance(strata, pl.DataFrame) else pl.Series(name, list(strata[name]))
    except (TypeError, pl.exceptions.PolarsError):
        raise RandomizationError(f"stratumvariabele {name!r}: waarden van gemengde soort; gebruik tekst, ja/nee "
                                 "of gehele getallen") from None
    if len(column) != len(ids):
        raise RandomizationError(f"stratumvariabele {name!r}: {len(column)} waarden voor {len(ids)} eenheden")
    dtype = column.dtype
    textual = dtype in (pl.String, pl.Boolean, pl.Null) or isinstance(dtype, pl.Enum | pl.Categorical)
    if not (textual or dtype.is_integer()):
        raise RandomizationError(f"stratumvariabele {name!r}: soort {dtype} kan geen stratum vormen; gebruik tekst, "
                                 "ja/nee of gehele getallen")
    text = column.cast(pl.String).alias(name)
    missing = text.is_null() | (text.str.strip_chars() == "")
    if missing.any():
        row = _first(missing)
        raise RandomizationError(f"eenheid {ids[row]!r} (positie {row + 1}), stratumvariabele {name!r}: "
                                 "de waarde ontbreekt")
    bad = text.str.contains(_FORBIDDEN)
    if bad.any():
        row = _first(bad)
        raise RandomizationError(f"eenheid {ids[row]!r} (positie {row + 1}), stratumvariabele {name!r}: "
                                 "de waarde mag geen tab of regeleinde bevatten")
    return text


def _first(mask: pl.Series) -> int:
    return int(mask.arg_true()[0])
