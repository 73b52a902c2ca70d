"""manifest.json: what a dataset folder is about (municipality, experiment, arms, dates)."""

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from vertrouwen.core import codes
from vertrouwen.core.dataset.schema import FORMAT_VERSION, MANIFEST


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
    job_bonus_cents: int = 0
    job_bonus_condition: str = ""


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
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{MANIFEST}: geen geldige JSON ({exc})") from exc
    return parse_manifest(data)


def parse_manifest(data: dict) -> Manifest:
    version = str(_get(data, "format_version"))
    if version != FORMAT_VERSION:
        raise ManifestError(f"{MANIFEST}, veld format_version: versie {version!r} wordt niet ondersteund "
                            f"(verwacht {FORMAT_VERSION!r})")
    municipality = Municipality(**_fields(data, "municipality", ("code", "name")))
    exp = _fields(data, "experiment", ("code", "name", "period_start", "period_end", "count_date"))
    for key in ("period_start", "period_end", "count_date"):
        exp[key] = _date(exp[key], f"experiment.{key}")
    experiment = Experiment(**exp)
    if experiment.period_end < experiment.period_start:
        raise ManifestError(f"{MANIFEST}, veld experiment.period_end: ligt voor period_start")
    arms = tuple(_arm(raw, i) for i, raw in enumerate(_get(data, "arms")))
    if not arms:
        raise ManifestError(f"{MANIFEST}, veld arms: geen groepen opgegeven")
    seen = [a.code for a in arms]
    if len(set(seen)) != len(seen):
        raise ManifestError(f"{MANIFEST}, veld arms: groepscode komt dubbel voor")
    return Manifest(municipality, experiment, arms, version, dict(data.get("provenance", {})))


def _arm(raw: dict, index: int) -> Arm:
    where = f"arms[{index}]"
    if not isinstance(raw, dict):
        raise ManifestError(f"{MANIFEST}, veld {where}: verwacht een object")
    unknown = set(raw) - set(Arm.__dataclass_fields__)
    if unknown:
        raise ManifestError(f"{MANIFEST}, veld {where}: onbekende velden {sorted(unknown)}")
    for key in ("code", "name", "rules_text"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ManifestError(f"{MANIFEST}, veld {where}.{key}: ontbreekt of is leeg")
    arm = Arm(**raw)
    checks = (
        ("guidance_intensity", arm.guidance_intensity in codes.GUIDANCE_INTENSITIES),
        ("disregard_regime", arm.disregard_regime in codes.DISREGARD_REGIMES),
        ("job_bonus_cents", isinstance(arm.job_bonus_cents, int) and arm.job_bonus_cents >= 0),
        ("is_control", isinstance(arm.is_control, bool)),
        ("exempt_from_obligations", isinstance(arm.exempt_from_obligations, bool)),
    )
    for key, ok in checks:
        if not ok:
            raise ManifestError(f"{MANIFEST}, veld {where}.{key}: ongeldige waarde {getattr(arm, key)!r}")
    return arm


def _get(data: dict, key: str):
    if not isinstance(data, dict) or key not in data:
        raise ManifestError(f"{MANIFEST}, veld {key}: ontbreekt")
    return data[key]


def _fields(data: dict, section: str, keys: tuple[str, ...]) -> dict:
    part = _get(data, section)
    if not isinstance(part, dict):
        raise ManifestError(f"{MANIFEST}, veld {section}: verwacht een object")
    missing = [k for k in keys if not str(part.get(k, "")).strip()]
    if missing:
        raise ManifestError(f"{MANIFEST}, veld {section}.{missing[0]}: ontbreekt of is leeg")
    return {k: part[k] for k in keys}


def _date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ManifestError(f"{MANIFEST}, veld {where}: {value!r} is geen datum (JJJJ-MM-DD)") from exc
