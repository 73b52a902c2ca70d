"""An evaluation as stored data: JSON text that holds values only, read back into the same Evaluation.

A stored result is read by the web process, which holds the keys to BSNs and pseudonyms. So the stored form can
name nothing that runs: each object is one of the dataclasses listed in TYPES, built from its fields, and
everything else is a number, text, date, list or array. Text that names another type, or is not this format, is
refused (StoredResultRefused), and the caller computes the evaluation again.

Floats keep their exact value (NaN and infinities included), tuples stay tuples and arrays keep their dtype, so
the evaluation read back equals the one written.
"""

import dataclasses
import datetime as dt
import json
import math

import numpy as np

from vertrouwen.core.evaluation.evaluate import Contrast, Evaluation
from vertrouwen.core.evaluation.plan import AnalysisPlan
from vertrouwen.core.evaluation.results import Estimate
from vertrouwen.core.evaluation.survival import Incidence
from vertrouwen.core.lottery.balance import BalanceRow, BalanceTable

FORMAT = "vertrouwen-evaluatie-opslag/1"
TYPES = {cls.__name__: cls for cls in (Evaluation, Contrast, Estimate, Incidence, BalanceTable, BalanceRow,
                                       AnalysisPlan)}
ARRAY_TYPES = ("float64", "int64", "int32", "int16", "bool")
SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class StoredResultRefused(ValueError):
    """The text is not a stored evaluation of this format."""


def dumps(evaluation: Evaluation) -> str:
    return json.dumps({"format": FORMAT, "evaluation": _encode(evaluation)}, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))


def loads(text: str) -> Evaluation:
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, RecursionError, TypeError) as exc:
        raise StoredResultRefused(f"geen JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoredResultRefused(f"geen opgeslagen evaluatie van formaat {FORMAT}")
    result = _decode(data.get("evaluation"))
    if not isinstance(result, Evaluation):
        raise StoredResultRefused("de opgeslagen waarde is geen evaluatie")
    return result


def _encode(value):
    if value is None or isinstance(value, str | bool | int) and not isinstance(value, np.generic):
        return value
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, np.ndarray) and value.dtype.name in ARRAY_TYPES:
        return {"$array": value.dtype.name, "values": [_encode(v) for v in value.tolist()]}
    if dataclasses.is_dataclass(value) and type(value).__name__ in TYPES:
        return {"$type": type(value).__name__,
                "fields": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode(value):
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise StoredResultRefused("onbekende waarde")
    if "$float" in value:
        return _special_float(value["$float"])
    if "$date" in value:
        return dt.date.fromisoformat(_text(value["$date"]))
    if "$tuple" in value:
        return tuple(_decode(v) for v in _list(value["$tuple"]))
    if "$dict" in value:
        return {_decode(k): _decode(v) for k, v in (_pair(p) for p in _list(value["$dict"]))}
    if "$array" in value:
        return _array(value)
    if "$type" in value:
        return _object(value)
    raise StoredResultRefused("onbekende waarde")


def _object(value: dict):
    cls = TYPES.get(value["$type"])
    fields = value.get("fields")
    if cls is None or not isinstance(fields, dict):
        raise StoredResultRefused(f"onbekend type {str(value['$type'])[:40]!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    if set(fields) - names:
        raise StoredResultRefused(f"{cls.__name__}: onbekende velden")
    try:
        return cls(**{name: _decode(v) for name, v in fields.items()})
    except TypeError as exc:
        raise StoredResultRefused(f"{cls.__name__}: {exc}") from None


def _array(value: dict) -> np.ndarray:
    dtype = value["$array"]
    if dtype not in ARRAY_TYPES:
        raise StoredResultRefused(f"onbekend soort reeks {str(dtype)[:20]!r}")
    return np.array([_decode(v) for v in _list(value.get("values"))], dtype=dtype)


def _special_float(text) -> float:
    if text not in SPECIAL_FLOATS:
        raise StoredResultRefused("onbekend getal")
    return SPECIAL_FLOATS[text]


def _refuse_constant(name: str):
    raise StoredResultRefused(f"{name} is geen JSON")


def _text(value) -> str:
    if not isinstance(value, str):
        raise StoredResultRefused("tekst verwacht")
    return value


def _list(value) -> list:
    if not isinstance(value, list):
        raise StoredResultRefused("lijst verwacht")
    return value


def _pair(value) -> tuple:
    if not isinstance(value, list) or len(value) != 2:
        raise StoredResultRefused("paar verwacht")
    return value[0], value[1]
