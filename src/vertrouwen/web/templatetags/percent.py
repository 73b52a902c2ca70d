"""Numbers as a Dutch reader expects them: {{ 0.107|percent }} gives "10,7%", {{ 0.0891|points }} "8,9",
{{ 41.62|decimal:1 }} "41,6"; a value that is not a number (a group of one has no spread) gives "–".

Rounded half up first: Django's number_format cuts digits off rather than rounding them.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()
NOT_A_NUMBER = "–"


def _dutch(value: float, digits: int) -> str | None:
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=digits, use_l10n=True)


@register.filter
def percent(share: float, digits: int = 1) -> str:
    """A share (0 to 1) as a percentage with `digits` decimals."""
    shown = _dutch(100 * share if share is not None else None, digits)
    return NOT_A_NUMBER if shown is None else f"{shown}%"


@register.filter
def points(difference: float, digits: int = 1) -> str:
    """A difference of two shares in percentage points, without a unit."""
    return _dutch(100 * difference if difference is not None else None, digits) or NOT_A_NUMBER


@register.filter
def decimal(value: float, digits: int = 1) -> str:
    """A number with `digits` decimals."""
    return _dutch(value, digits) or NOT_A_NUMBER
