"""{% rule_tables_status %}: on the beheerder's start page, whether the rule tables hold this half year's amounts.
A template tag, so that the start page (accounts, below settlement) shows it without importing this room."""

from django import template
from django.utils import timezone

from vertrouwen.web.settlement.selectors import missing_amounts

register = template.Library()


@register.inclusion_tag("settlement/_rule_tables_status.html")
def rule_tables_status() -> dict:
    return {"missing": missing_amounts(timezone.localdate())}
