"""parse_manifest: every wrong manifest is a ManifestError that names the field, whatever the JSON holds."""

import copy
import json

import pytest

from vertrouwen.core.dataset import Problem, validate_dataset
from vertrouwen.core.dataset.manifest import (
    ARM_NAME_MAX_LENGTH,
    JOB_BONUS_CONDITION_MAX_LENGTH,
    MUNICIPALITY_CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    ManifestError,
    parse_manifest,
)
from vertrouwen.core.dataset.schema import ID_MAX_LENGTH

from .helpers import MANIFEST, write_valid_dataset


def _with(path: str, value: object) -> dict:
    """A copy of the valid manifest with the field at `path` ("arms.1.name") set, or removed when value is ..."""
    data = copy.deepcopy(MANIFEST)
    *parents, last = path.split(".")
    part = data
    for key in parents:
        part = part[int(key)] if isinstance(part, list) else part[key]
    if value is ...:
        del part[last]
    else:
        part[int(last) if isinstance(part, list) else last] = value
    return data


def _error(data: object) -> str:
    with pytest.raises(ManifestError) as raised:
        parse_manifest(data)
    return str(raised.value)


def test_the_valid_manifest_parses():
    manifest = parse_manifest(copy.deepcopy(MANIFEST))

    assert manifest.arm_codes == {"zelf_in_actie", "onderzoeksgroep"}
    assert manifest.provenance == {"source": "tests"}


def test_the_limits_are_those_of_the_register():
    assert (ID_MAX_LENGTH, MUNICIPALITY_CODE_MAX_LENGTH, NAME_MAX_LENGTH, ARM_NAME_MAX_LENGTH,
            JOB_BONUS_CONDITION_MAX_LENGTH) == (64, 8, 200, 100, 200)


# Lengths.

_LIMITS = [
    ("municipality.code", "municipality.code", MUNICIPALITY_CODE_MAX_LENGTH),
    ("municipality.name", "municipality.name", NAME_MAX_LENGTH),
    ("experiment.code", "experiment.code", ID_MAX_LENGTH),
    ("experiment.name", "experiment.name", NAME_MAX_LENGTH),
    ("arms.0.code", "arms[0].code", ID_MAX_LENGTH),
    ("arms.1.name", "arms[1].name", ARM_NAME_MAX_LENGTH),
    ("arms.0.job_bonus_condition", "arms[0].job_bonus_condition", JOB_BONUS_CONDITION_MAX_LENGTH),
]


@pytest.mark.parametrize(("path", "field", "limit"), _LIMITS, ids=[f for _, f, _ in _LIMITS])
def test_a_text_longer_than_its_limit_names_the_field(path, field, limit):
    assert _error(_with(path, "x" * (limit + 1))) == (
        f"manifest.json, veld {field}: langer dan {limit} tekens ({limit + 1} tekens)")


@pytest.mark.parametrize(("path", "field", "limit"), _LIMITS, ids=[f for _, f, _ in _LIMITS])
def test_a_text_of_exactly_its_limit_is_accepted(path, field, limit):
    parse_manifest(_with(path, "x" * limit))


def test_an_arm_name_over_the_limit_is_reported_by_validate_dataset(tmp_path):
    folder = write_valid_dataset(tmp_path / "dataset")
    data = _with("arms.1.name", "n" * 101)
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")

    assert validate_dataset(folder) == [
        Problem("manifest.json", None, None, "veld arms[1].name: langer dan 100 tekens (101 tekens)"),
    ]


# The count date.

@pytest.mark.parametrize("count_date", ["2017-09-30", "2020-01-01"])
def test_the_count_date_must_lie_within_the_period(count_date):
    assert _error(_with("experiment.count_date", count_date)) == (
        f"manifest.json, veld experiment.count_date: {count_date} ligt niet binnen de periode van het experiment "
        "(2017-10-01 tot en met 2019-12-31)")


@pytest.mark.parametrize("count_date", ["2017-10-01", "2019-12-31"])
def test_the_count_date_may_be_the_first_or_last_day(count_date):
    assert str(parse_manifest(_with("experiment.count_date", count_date)).experiment.count_date) == count_date


def test_the_period_end_before_its_start_is_reported_before_the_count_date():
    assert _error(_with("experiment.period_end", "2017-09-01")) == (
        "manifest.json, veld experiment.period_end: ligt voor period_start")


@pytest.mark.parametrize("value", ["2019-10-1", "20191001", "01-10-2019", "2019-02-30"])
def test_a_date_must_be_yyyy_mm_dd(value):
    assert _error(_with("experiment.count_date", value)) == (
        f"manifest.json, veld experiment.count_date: {value!r} is geen datum (JJJJ-MM-DD)")


# Wrong JSON types: each one a ManifestError naming the field, never a TypeError.

@pytest.mark.parametrize(("path", "value", "reason"), [
    ("format_version", 1, "veld format_version: verwacht tekst, gevonden: een getal"),
    ("municipality", ["0289", "Wageningen"], "veld municipality: verwacht een object, gevonden: een lijst"),
    ("municipality.code", 289, "veld municipality.code: verwacht tekst, gevonden: een getal"),
    ("municipality.name", None, "veld municipality.name: verwacht tekst, gevonden: null"),
    ("experiment", "vertrouwen_werkt", "veld experiment: verwacht een object, gevonden: tekst"),
    ("experiment.name", {"nl": "Vertrouwen werkt"}, "veld experiment.name: verwacht tekst, gevonden: een object"),
    ("experiment.period_start", 20171001, "veld experiment.period_start: verwacht tekst, gevonden: een getal"),
    ("arms", {"code": "zelf_in_actie"}, "veld arms: verwacht een lijst, gevonden: een object"),
    ("arms", "zelf_in_actie", "veld arms: verwacht een lijst, gevonden: tekst"),
    ("arms.1", "onderzoeksgroep", "veld arms[1]: verwacht een object, gevonden: tekst"),
    ("arms.0.code", ["zelf_in_actie"], "veld arms[0].code: verwacht tekst, gevonden: een lijst"),
    ("arms.0.rules_text", True, "veld arms[0].rules_text: verwacht tekst, gevonden: true/false"),
    ("arms.1.is_control", "ja", "veld arms[1].is_control: verwacht true of false, gevonden: tekst"),
    ("arms.0.exempt_from_obligations", 1,
     "veld arms[0].exempt_from_obligations: verwacht true of false, gevonden: een getal"),
    ("arms.0.guidance_intensity", ["op_verzoek"],
     "veld arms[0].guidance_intensity: verwacht tekst, gevonden: een lijst"),
    ("arms.0.disregard_regime", {"regime": "standaard"},
     "veld arms[0].disregard_regime: verwacht tekst, gevonden: een object"),
    ("arms.0.job_bonus_cents", "240000",
     "veld arms[0].job_bonus_cents: verwacht een geheel getal (eurocenten), gevonden: tekst"),
    ("arms.0.job_bonus_cents", 2400.5,
     "veld arms[0].job_bonus_cents: verwacht een geheel getal (eurocenten), gevonden: een getal"),
    ("arms.0.job_bonus_cents", True,
     "veld arms[0].job_bonus_cents: verwacht een geheel getal (eurocenten), gevonden: true/false"),
    ("arms.0.job_bonus_condition", None, "veld arms[0].job_bonus_condition: verwacht tekst, gevonden: null"),
    ("provenance", ["tests"], "veld provenance: verwacht een object, gevonden: een lijst"),
    ("provenance", None, "veld provenance: verwacht een object, gevonden: null"),
])
def test_a_value_of_the_wrong_json_type_names_the_field(path, value, reason):
    assert _error(_with(path, value)) == f"manifest.json, {reason}"


@pytest.mark.parametrize("data", [[], "manifest", None, 1])
def test_a_manifest_that_is_no_object_is_reported(data):
    assert _error(data).startswith("manifest.json: verwacht een object, gevonden: ")


def test_a_wrongly_typed_field_is_reported_by_validate_dataset_with_its_name(tmp_path):
    folder = write_valid_dataset(tmp_path / "dataset")
    (folder / "manifest.json").write_text(json.dumps(_with("provenance", ["tests"])), encoding="utf-8")

    assert validate_dataset(folder) == [
        Problem("manifest.json", None, None, "veld provenance: verwacht een object, gevonden: een lijst"),
    ]


# Other values.

@pytest.mark.parametrize(("path", "value", "reason"), [
    ("arms.0.guidance_intensity", "af_en_toe",
     "veld arms[0].guidance_intensity: ongeldige waarde 'af_en_toe'; toegestaan: regulier, op_verzoek, intensief"),
    ("arms.0.job_bonus_cents", -1, "veld arms[0].job_bonus_cents: -1 is kleiner dan 0"),
    ("arms.0.name", "  ", "veld arms[0].name: ontbreekt of is leeg"),
    ("experiment.code", ..., "veld experiment.code: ontbreekt"),
    ("arms", [], "veld arms: geen groepen opgegeven"),
    ("format_version", "2", "veld format_version: versie '2' wordt niet ondersteund (verwacht '1')"),
])
def test_other_wrong_values_name_the_field(path, value, reason):
    assert _error(_with(path, value)) == f"manifest.json, {reason}"


def test_optional_arm_fields_may_be_left_out():
    data = copy.deepcopy(MANIFEST)
    data["arms"][1] = {"code": "onderzoeksgroep", "name": "Onderzoeksgroep", "rules_text": "Gewone regels."}
    del data["provenance"]

    manifest = parse_manifest(data)

    arm = manifest.arms[1]
    assert (arm.is_control, arm.guidance_intensity, arm.job_bonus_cents, arm.job_bonus_condition) == (
        False, "regulier", 0, "")
    assert manifest.provenance == {}



@pytest.mark.parametrize("path", ["experiment.code", "arms.0.code"])
def test_codes_that_data_files_refer_to_must_be_ids(path):
    # enrollments.csv refers to arms by code, so codes have the characters of an id (schema.ID_PATTERN)
    field = path.replace(".0.", "[0].")
    assert f"veld {field}: 'zelf in actie' mag alleen letters" in _error(_with(path, "zelf in actie"))
