"""Questionnaires: instruments as data, scale scores, and response and attrition per wave and group."""

from vertrouwen.core.surveys.instruments import (
    INSTRUMENTS,
    PARTICIPANT_INSTRUMENTS,
    AnswerInvalid,
    Instrument,
    InstrumentInvalid,
    Item,
    Scale,
    parse_instrument,
)
from vertrouwen.core.surveys.response import ResponseCell, response_table
from vertrouwen.core.surveys.scoring import score

__all__ = ["INSTRUMENTS", "PARTICIPANT_INSTRUMENTS", "AnswerInvalid", "Instrument", "InstrumentInvalid", "Item",
           "ResponseCell", "Scale", "parse_instrument", "response_table", "score"]
