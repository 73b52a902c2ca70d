"""Money as a Dutch reader expects it: {{ cents|euros }} gives "€ 2.400,00" (a non-breaking space after €)."""

from django import template

from vertrouwen.core.formatting import euro

register = template.Library()


@register.filter
def euros(cents: int) -> str:
    """An amount in integer cents as euros with two decimals: the core's formatting, kept on one line."""
    return euro(int(cents), "\N{NO-BREAK SPACE}")
