from django import template

register = template.Library()


@register.filter
def status_on(certificate, day):
    """A certificate's status on `day` ("expired" is derived from the expiry date)."""
    return certificate.status_on(day)
