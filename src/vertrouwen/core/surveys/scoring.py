"""Scale scores: per instrument, the mean or sum of the answered items after reverse coding, when at least the
instrument's minimum number of items is answered; otherwise no score."""

from collections.abc import Mapping
from decimal import Decimal

import polars as pl

from vertrouwen.core.surveys.instruments import INSTRUMENTS, Instrument


def score(instrument: Instrument, answers: Mapping[str, Decimal | str | None]) -> Decimal | None:
    """The instrument's score from answers by item code (values on the item's scale; empty for not answered)."""
    if instrument.method == "none":
        return None
    values = []
    for item in instrument.items:
        raw = answers.get(item.code)
        if raw is None or raw == "":
            continue
        values.append(item.scored(item.parse(str(raw))))
    if len(values) < max(instrument.min_answered, 1):
        return None
    total = sum(values, Decimal(0))
    return total if instrument.method == "sum" else total / len(values)


def score_table(responses: pl.DataFrame) -> pl.DataFrame:
    """score() for every person, wave and scored instrument of a survey_responses table at once: columns
    person_id, wave, instrument, score (float). Unknown instruments, values that are not numbers on the item's
    scale, and scores with too few items answered are left out."""
    rows = [(code, item.code, item.scale.minimum, item.scale.maximum, item.reverse, instrument.method,
             max(instrument.min_answered, 1))
            for code, instrument in INSTRUMENTS.items() if instrument.method != "none" for item in instrument.items]
    items = pl.DataFrame(rows, schema={"instrument": pl.String, "item": pl.String, "low": pl.Int64, "high": pl.Int64,
                                       "reverse": pl.Boolean,
                                       "method": pl.String, "min_answered": pl.Int64}, orient="row")
    value = pl.col("value").str.strip_chars().str.replace(",", ".").cast(pl.Float64, strict=False)
    answered = (responses.join(items, on=["instrument", "item"])
                .with_columns(value=value).filter(pl.col("value").is_between(pl.col("low"), pl.col("high")))
                .with_columns(value=pl.when(pl.col("reverse")).then(pl.col("low") + pl.col("high") - pl.col("value"))
                              .otherwise(pl.col("value"))))
    scores = answered.group_by("person_id", "wave", "instrument").agg(
        total=pl.col("value").sum(), count=pl.len(), method=pl.col("method").first(),
        min_answered=pl.col("min_answered").first())
    return (scores.filter(pl.col("count") >= pl.col("min_answered"))
            .select("person_id", "wave", "instrument",
                    score=pl.when(pl.col("method") == "sum").then(pl.col("total"))
                    .otherwise(pl.col("total") / pl.col("count")))
            .sort("person_id", "wave", "instrument"))
