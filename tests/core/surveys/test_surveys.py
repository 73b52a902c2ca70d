"""Instruments, scale scores and response, worked by hand.

Scores: mean or sum of the answered items after reverse coding (reversed value = min + max - value), when at
least `min_answered` items are answered. Response: answered of invited per wave and group; lost = answered the
wave before but not this one.
"""

from decimal import Decimal

import pytest

from vertrouwen.core.surveys import (
    INSTRUMENTS,
    AnswerInvalid,
    InstrumentInvalid,
    parse_instrument,
    response_table,
    score,
)


def test_every_shipped_instrument_loads_and_names_its_source():
    assert set(INSTRUMENTS) >= {"levenstevredenheid", "gezondheid", "mentale_gezondheid", "zelfredzaamheid",
                                "participatie", "sociaal_vertrouwen", "institutioneel_vertrouwen",
                                "financiele_zorgen", "dienstverlening", "klantmanager_proces"}
    for instrument in INSTRUMENTS.values():
        assert instrument.source and instrument.version >= 1 and instrument.items
    assert INSTRUMENTS["klantmanager_proces"].respondent == "klantmanager"


def test_mental_health_reverses_the_negative_items():
    """Scale 1 (nooit) to 6 (voortdurend); zenuwachtig, somber and neerslachtig are reversed (7 - value):
    2 -> 5, 1 -> 6, 2 -> 5; rustig 5 and gelukkig 4 count as they are: (5 + 6 + 5 + 5 + 4) / 5 = 5."""
    answers = {"zenuwachtig": "2", "somber": "1", "rustig": "5", "neerslachtig": "2", "gelukkig": "4"}
    assert score(INSTRUMENTS["mentale_gezondheid"], answers) == Decimal(5)


def test_a_score_needs_its_minimum_of_answered_items():
    """Mental health needs 4 of 5 answers: with 4, (5 + 6 + 5 + 5) / 4 = 5.25; with 3 there is no score."""
    four = {"zenuwachtig": "2", "somber": "1", "rustig": "5", "neerslachtig": "2"}
    assert score(INSTRUMENTS["mentale_gezondheid"], four) == Decimal("5.25")
    del four["neerslachtig"]
    assert score(INSTRUMENTS["mentale_gezondheid"], four) is None


def test_participation_sums_hours_and_financial_strain_reverses_getting_by():
    assert score(INSTRUMENTS["participatie"], {"vrijwilligerswerk": "4,5", "mantelzorg": "10"}) == Decimal("14.5")
    # rondkomen 4 -> 6 - 4 = 2; zorgen 3; tekort 4: (2 + 3 + 4) / 3 = 3.
    assert score(INSTRUMENTS["financiele_zorgen"], {"rondkomen": "4", "zorgen": "3", "tekort": "4"}) == Decimal(3)
    assert score(INSTRUMENTS["klantmanager_proces"], {"volgens_spelregels": "5"}) is None  # not scored


@pytest.mark.parametrize(("raw", "message"), [("11", "van 0 tot en met 10"), ("-1", "van 0 tot en met 10"),
                                             ("veel", "Kies een antwoord"), ("7.5", "Kies een van de antwoorden")])
def test_an_answer_out_of_range_is_refused_in_dutch(raw, message):
    with pytest.raises(AnswerInvalid, match=message):
        INSTRUMENTS["levenstevredenheid"].item("leven").parse(raw)


def test_a_broken_instrument_file_names_the_file_and_the_field():
    with pytest.raises(InstrumentInvalid, match=r"x.json: items\[0\].scale 'nope'"):
        parse_instrument({"code": "x", "version": 1, "title": "X", "source": "s", "respondent": "deelnemer",
                          "scales": {"s": {"min": 1, "max": 3}}, "items": [{"code": "a", "text": "A", "scale": "nope"}],
                          "scoring": {"method": "mean", "min_answered": 1}}, "x.json")


def test_response_and_attrition_per_wave_and_group():
    """Groups A (p1, p2, p3) and B (p4, p5). Wave 0: all five asked; p1, p2, p4 answer. Wave 1: all five asked; p1
    and p5 answer. A: wave 0 2 of 3; wave 1 1 of 3, lost 1 (p2) of 2. B: wave 0 1 of 2; wave 1 1 of 2, lost 1 (p4)
    of 1."""
    groups = {"p1": "A", "p2": "A", "p3": "A", "p4": "B", "p5": "B"}
    asked = [(p, w) for p in groups for w in (0, 1)]
    answered = [("p1", 0), ("p2", 0), ("p4", 0), ("p1", 1), ("p5", 1)]
    table = response_table(groups, asked, answered)
    a0, a1, b1, total1 = table[0]["A"], table[1]["A"], table[1]["B"], table[1][None]
    assert (a0.asked, a0.answered, a0.lost) == (3, 2, 0)
    assert (a1.answered, a1.lost, a1.previous, a1.attrition) == (1, 1, 2, 0.5)
    assert (b1.answered, b1.lost, b1.previous) == (1, 1, 1)
    assert (total1.asked, total1.answered, total1.rate) == (5, 2, 0.4)
