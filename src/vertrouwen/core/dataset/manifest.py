"""manifest.json: what a dataset folder is about (municipality, experiment, arms, dates)."""

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from types import MappingProxyType

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.dataset.schema import FORMAT_VERSION, ID_MAX_LENGTH, ID_PATTERN, LIMITS, MANIFEST

# Longest texts the register stores; experiment and arm codes are ids, at most ID_MAX_LENGTH.
MUNICIPALITY_CODE_MAX_LENGTH = 8
MUNICIPALITY_CODE_PATTERN = r"^[A-Za-z0-9_-]+$"  # CBS codes ("0289", "GM0289"); it becomes part of file names
NAME_MAX_LENGTH = 200  # municipality and experiment names
ARM_NAME_MAX_LENGTH = 100
JOB_BONUS_CONDITION_MAX_LENGTH = 200
MAX_TARGET_CONTACTS = 31  # contacts a month: more than daily is a typing mistake
MAX_ALLOCATION_RATIO = 20  # an arm's share in the lottery; 20:1 is already far from a useful design

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Municipality:
    code: str  # CBS municipality code, e.g. "0289" for Wageningen
    name: str


@dataclass(frozen=True)
class Arm:
    code: str
    name: str  # Dutch name shown to users, e.g. "Zelf in actie"
    rules_text: str  # the spelregels the participant signs, in Dutch
    is_control: bool = False
    exempt_from_obligations: bool = False
    guidance_intensity: str = "regulier"  # codes.GUIDANCE_INTENSITIES
    disregard_regime: str = "standaard"  # codes.DISREGARD_REGIMES
    job_bonus_cents: int = 0  # paid once for each exit to work with job_bonus_min_hours_a_week
    job_bonus_condition: str = ""
    job_bonus_min_hours_a_week: int = 0  # the hours a week the exit's work must have; 0 for any
    job_bonus_max_per_year_cents: int = 0  # at most this much bonus per person per calendar year
    target_contacts_per_month: int = 0  # guidance target: contacts a month with the case manager; 0 for none
    allocation_ratio: int = 1  # the arm's share in the lottery, e.g. 2 in a 2:1:1 design


@dataclass(frozen=True)
class Experiment:
    code: str
    name: str
    period_start: dt.date
    period_end: dt.date
    count_date: dt.date  # teldatum: outcomes are counted at this date


@dataclass(frozen=True)
class Manifest:
    municipality: Municipality
    experiment: Experiment
    arms: tuple[Arm, ...]
    format_version: str = FORMAT_VERSION
    provenance: dict = field(default_factory=dict)  # e.g. generator name, seed and size

    @property
    def arm_codes(self) -> frozenset[str]:
        return frozenset(a.code for a in self.arms)

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("period_start", "period_end", "count_date"):
            data["experiment"][key] = data["experiment"][key].isoformat()
        ordered = {"format_version": data.pop("format_version"), **data}
        return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


class ManifestError(ValueError):
    """The manifest is missing, unreadable or wrong; the message names the field."""


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise ManifestError(f"{MANIFEST}: bestand ontbreekt in {folder}")
    if path.stat().st_size > LIMITS.manifest_bytes:
        raise ManifestError(f"{MANIFEST}: bestand is groter dan {LIMITS.manifest_bytes // 1024} kB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{MANIFEST}: geen geldige UTF-8 ({exc})") from exc
    if json_depth(text) > LIMITS.json_depth:
        raise ManifestError(f"{MANIFEST}: objecten en lijsten zijn dieper genest dan {LIMITS.json_depth} niveaus")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{MANIFEST}: geen geldige JSON ({exc})") from exc
    return parse_manifest(data)


def json_depth(text: str) -> int:
    """How deep objects and lists nest in JSON text, counted before parsing (a parser recurses per level): the
    strings taken out, then the running count of opening less closing brackets."""
    structure = _JSON_STRING.sub("", text).encode("utf-8", "replace")
    codes = np.frombuffer(structure, np.uint8)
    steps = np.isin(codes, _OPENING).astype(np.int64) - np.isin(codes, _CLOSING)
    return int(np.cumsum(steps).max(initial=0))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPENING, _CLOSING = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def parse_manifest(data: object) -> Manifest:
    """The manifest from parsed JSON. A ManifestError names the first field that is missing or wrong, also when
    a value has the wrong JSON type."""
    if not isinstance(data, dict):
        raise ManifestError(f"{MANIFEST}: verwacht een object, gevonden: {_json_type(data)}")
    version = _text(data, "format_version", "format_version")
    if version != FORMAT_VERSION:
        raise _error("format_version", f"versie {version!r} wordt niet ondersteund (verwacht {FORMAT_VERSION!r})")
    municipality = _municipality(_section(data, "municipality"))
    experiment = _experiment(_section(data, "experiment"))
    arms = _arms(data)
    provenance = dict(_object(data["provenance"], "provenance")) if "provenance" in data else {}
    return Manifest(municipality, experiment, arms, version, provenance)


def _municipality(part: dict) -> Municipality:
    code = _text(part, "code", "municipality.code", max_length=MUNICIPALITY_CODE_MAX_LENGTH)
    if not re.fullmatch(MUNICIPALITY_CODE_PATTERN, code):
        raise _error("municipality.code", f"{code!r}: gebruik alleen letters, cijfers, '-' en '_'")
    return Municipality(code=code, name=_text(part, "name", "municipality.name", max_length=NAME_MAX_LENGTH))


def _experiment(part: dict) -> Experiment:
    experiment = Experiment(
        code=_id(part, "experiment.code"),
        name=_text(part, "name", "experiment.name", max_length=NAME_MAX_LENGTH),
        period_start=_date(part, "period_start"),
        period_end=_date(part, "period_end"),
        count_date=_date(part, "count_date"),
    )
    if experiment.period_end < experiment.period_start:
        raise _error("experiment.period_end", "ligt voor period_start")
    if not experiment.period_start <= experiment.count_date <= experiment.period_end:
        raise _error("experiment.count_date",
                     f"{experiment.count_date} ligt niet binnen de periode van het experiment "
                     f"({experiment.period_start} tot en met {experiment.period_end})")
    return experiment


def _arms(data: dict) -> tuple[Arm, ...]:
    raw = _get(data, "arms", "arms")
    if not isinstance(raw, list):
        raise _wrong_type("arms", "een lijst", raw)
    arms = tuple(_arm(item, i) for i, item in enumerate(raw))
    if not arms:
        raise _error("arms", "geen groepen opgegeven")
    seen = [a.code for a in arms]
    if len(set(seen)) != len(seen):
        raise _error("arms", "groepscode komt dubbel voor")
    return arms


MAX_HOURS_A_WEEK = 60
_ARM_DEFAULTS = MappingProxyType({f.name: f.default for f in fields(Arm) if f.default is not MISSING})


def _arm(raw: object, index: int) -> Arm:
    where = f"arms[{index}]"
    part = _object(raw, where)
    unknown = set(part) - {f.name for f in fields(Arm)}
    if unknown:
        raise _error(where, f"onbekende velden {sorted(unknown)}")
    return Arm(
        code=_id(part, f"{where}.code"),
        name=_text(part, "name", f"{where}.name", max_length=ARM_NAME_MAX_LENGTH),
        rules_text=_text(part, "rules_text", f"{where}.rules_text"),
        is_control=_bool(part, "is_control", where),
        exempt_from_obligations=_bool(part, "exempt_from_obligations", where),
        guidance_intensity=_code(part, "guidance_intensity", where, codes.GUIDANCE_INTENSITIES),
        disregard_regime=_code(part, "disregard_regime", where, codes.DISREGARD_REGIMES),
        job_bonus_cents=_cents(part, "job_bonus_cents", where),
        job_bonus_condition=_text(part, "job_bonus_condition", f"{where}.job_bonus_condition", required=False,
                                  max_length=JOB_BONUS_CONDITION_MAX_LENGTH),
        job_bonus_min_hours_a_week=_whole(part, "job_bonus_min_hours_a_week", where, "een geheel getal (uren)", 0,
                                          MAX_HOURS_A_WEEK),
        job_bonus_max_per_year_cents=_yearly_maximum(part, where),
        target_contacts_per_month=_whole(part, "target_contacts_per_month", where, "een geheel getal", 0,
                                         MAX_TARGET_CONTACTS),
        allocation_ratio=_whole(part, "allocation_ratio", where, "een geheel getal", 1, MAX_ALLOCATION_RATIO),
    )


def _yearly_maximum(part: dict, where: str) -> int:
    """The bonus's maximum per year: one bonus a year where the file does not say; never less than one bonus."""
    bonus = _cents(part, "job_bonus_cents", where)
    if "job_bonus_max_per_year_cents" not in part:
        return bonus
    maximum = _cents(part, "job_bonus_max_per_year_cents", where)
    if maximum < bonus:
        raise _error(f"{where}.job_bonus_max_per_year_cents",
                     f"{maximum} is lager dan één premie ({bonus}); dan kan de premie nooit worden betaald")
    return maximum


def _bool(part: dict, key: str, where: str) -> bool:
    value = part.get(key, _ARM_DEFAULTS[key])
    if not isinstance(value, bool):
        raise _wrong_type(f"{where}.{key}", "true of false", value)
    return value


def _code(part: dict, key: str, where: str, code_list: Mapping[str, str]) -> str:
    value = part.get(key, _ARM_DEFAULTS[key])
    if not isinstance(value, str):
        raise _wrong_type(f"{where}.{key}", "tekst", value)
    if value not in code_list:
        raise _error(f"{where}.{key}", f"ongeldige waarde {value!r}; toegestaan: {', '.join(code_list)}")
    return value


def _cents(part: dict, key: str, where: str) -> int:
    return _whole(part, key, where, "een geheel getal (eurocenten)", 0)


def _whole(part: dict, key: str, where: str, expected: str, minimum: int, maximum: int | None = None) -> int:
    value = part.get(key, _ARM_DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(f"{where}.{key}", expected, value)
    if value < minimum:
        raise _error(f"{where}.{key}", f"{value} is kleiner dan {minimum}")
    if maximum is not None and value > maximum:
        raise _error(f"{where}.{key}", f"{value} is groter dan {maximum}")
    return value


def _section(data: dict, key: str) -> dict:
    return _object(_get(data, key, key), key)


def _object(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise _wrong_type(where, "een object", value)
    return value


def _get(part: dict, key: str, where: str) -> object:
    if key not in part:
        raise _error(where, "ontbreekt")
    return part[key]


def _text(part: dict, key: str, where: str, *, required: bool = True, max_length: int | None = None) -> str:
    """A text field, a JSON string. A required one may not be missing or blank; an optional one defaults to ""."""
    if not required and key not in part:
        return ""
    value = _get(part, key, where)
    if not isinstance(value, str):
        raise _wrong_type(where, "tekst", value)
    if required and not value.strip():
        raise _error(where, "ontbreekt of is leeg")
    if max_length is not None and len(value) > max_length:
        raise _error(where, f"langer dan {max_length} tekens ({len(value)} tekens)")
    return value


def _id(part: dict, where: str) -> str:
    """A code that data files refer to (arm, experiment): the characters and length of an id."""
    value = _text(part, "code", where, max_length=ID_MAX_LENGTH)
    if not re.fullmatch(ID_PATTERN, value):
        raise _error(where, f"{value!r} mag alleen letters, cijfers, '.', '_' en '-' bevatten")
    return value


def _date(part: dict, key: str) -> dt.date:
    where = f"experiment.{key}"
    value = _text(part, key, where)
    if _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # e.g. 2019-02-30
            pass
    raise _error(where, f"{value!r} is geen datum (JJJJ-MM-DD)")


def _error(where: str, reason: str) -> ManifestError:
    return ManifestError(f"{MANIFEST}, veld {where}: {reason}")


def _wrong_type(where: str, expected: str, value: object) -> ManifestError:
    return _error(where, f"verwacht {expected}, gevonden: {_json_type(value)}")


def _json_type(value: object) -> str:
    """What a parsed JSON value is, in the words of the error messages."""
    match value:
        case None:
            return "null"
        case bool():
            return "true/false"
        case int() | float():
            return "een getal"
        case str():
            return "tekst"
        case list():
            return "een lijst"
        case dict():
            return "een object"
    return type(value).__name__
