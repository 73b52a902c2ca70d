"""The 11-proef for a BSN, and its vectorized form used by the dataset validator.

The 11-proef: multiply the nine digits by 9, 8, 7, 6, 5, 4, 3, 2 and -1; the sum must be divisible by 11.
Worked examples: 111222333 gives 9+8+7+12+10+8+9+6-3 = 66 = 6 x 11; 123456782 gives
9+16+21+24+25+24+21+16-2 = 154 = 14 x 11; 123456789 gives 9+16+21+24+25+24+21+16-9 = 147, not divisible.
"""

import random

import polars as pl
import pytest

from vertrouwen.core.dataset.validation import bsn_passes_11_proef
from vertrouwen.core.privacy import BSN_WEIGHTS, is_valid_bsn


def test_the_weights_are_those_of_the_11_proef():
    assert BSN_WEIGHTS == (9, 8, 7, 6, 5, 4, 3, 2, -1)


@pytest.mark.parametrize("bsn", ["111222333", "123456782"])
def test_valid_bsns_pass(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", [
    "123456789",  # weighted sum 147
    "000000000",  # sum 0 is divisible by 11, but this is never a BSN
    "12345678",  # eight digits
    "1234567820",  # ten digits
    "12345678x",
    "１２３４５６７８２",  # full-width digits pass str.isdigit but are not a BSN
    "",
])
def test_invalid_bsns_fail(bsn):
    assert not is_valid_bsn(bsn)


def test_vectorized_11_proef_agrees_with_is_valid_bsn():
    rng = random.Random(20171001)
    values = [f"{rng.randrange(10**9):09d}" for _ in range(20_000)]
    values += ["111222333", "123456782", "123456789", "000000000", "12345678", "1234567820", "12345678x", "",
               "１２３４５６７８２"]

    vectorized = pl.Series(values).to_frame("bsn").select(bsn_passes_11_proef(pl.col("bsn"))).to_series()

    assert vectorized.to_list() == [is_valid_bsn(v) for v in values]
    assert 0 < vectorized.sum() < len(values)  # both outcomes occur, so the comparison means something
