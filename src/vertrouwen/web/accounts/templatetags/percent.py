"""Shares as a Dutch reader expects them: {{ 0.107|percent }} gives "10,7%", {{ 0.0891|points }} "8,9".

Rounded half up first: Django's number_format cuts digits off rather than rounding them.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def _rounded(value: float, digits: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@register.filter
def percent(share: float, digits: int = 1) -> str:
    """A share (0 to 1) as a percentage with `digits` decimals."""
    return f"{number_format(_rounded(100 * share, digits), decimal_pos=digits, use_l10n=True)}%"


@register.filter
def points(difference: float, digits: int = 1) -> str:
    """A difference of two shares in percentage points, without a unit."""
    return number_format(_rounded(100 * difference, digits), decimal_pos=digits, use_l10n=True)
