"""Shares as a Dutch reader expects them: {{ 0.107|percent }} gives "10,7%", {{ 0.0891|points }} "8,9"."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float, digits: int = 1) -> str:
    """A share (0 to 1) as a percentage with `digits` decimals."""
    return f"{number_format(100 * share, decimal_pos=digits, use_l10n=True)}%"


@register.filter
def points(difference: float, digits: int = 1) -> str:
    """A difference of two shares in percentage points, without a unit."""
    return number_format(100 * difference, decimal_pos=digits, use_l10n=True)
