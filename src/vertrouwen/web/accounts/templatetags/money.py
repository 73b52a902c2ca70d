"""Money as a Dutch reader expects it: {{ cents|euros }} gives "€ 2.400,00" (a non-breaking space after €)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(cents: int) -> str:
    """An amount in integer cents as euros with two decimals, grouped and formatted for the active language."""
    amount = number_format(Decimal(cents) / 100, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"€\N{NO-BREAK SPACE}{amount}"
