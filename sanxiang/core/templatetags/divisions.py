"""`{{ code|division }}`: a 行政区划代码 under its name ("230104" reads "哈尔滨市道外区")."""

from django import template

from sanxiang.core.divisions import division_name

register = template.Library()


@register.filter
def division(code) -> str:
    return division_name(code) if code else ""
