"""{% rule_tables_status %}: on the beheerder's start page, whether the rule tables hold this half year's amounts,
and the changes of the law around now.
A template tag, so that the start page (accounts, below settlement) shows it without importing this room."""

from django import template
from django.utils import timezone

from vertrouwen.core.rules import LAW_CHANGES
from vertrouwen.web.settlement.selectors import missing_amounts

register = template.Library()


@register.inclusion_tag("settlement/_rule_tables_status.html")
def rule_tables_status() -> dict:
    """The missing amounts, and the changes of the law from a year back to a year ahead (Participatiewet in
    balans)."""
    today = timezone.localdate()
    near = [c for c in LAW_CHANGES if abs((c.valid_from - today).days) <= 366]
    return {"missing": missing_amounts(today), "changes": near}
