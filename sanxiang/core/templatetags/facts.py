"""`{{ data|facts }}`: the facts of a ledger entry or audit event as (label, value in words) pairs (core.facts)."""

from django import template

from sanxiang.core import facts as readable

register = template.Library()


@register.filter
def facts(data, subject: str = "") -> list[tuple[str, str]]:
    return readable.facts(data, subject)
