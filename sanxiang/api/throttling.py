"""Request rates for API v1 and password logins, counted in the default cache (Redis when configured; without it,
each process counts its own).

Rates are read from settings when a request is counted, not when DRF is imported, so a changed setting (and a
test's) takes effect at once.
"""

import functools
import math

from rest_framework import throttling
from rest_framework.settings import api_settings

from sanxiang.core.network import client_address


class _RateFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # The address the lock-out and the audit log see (SANXIANG_PROXY_COUNT): DRF's own reading of
        # X-Forwarded-For takes a client-written entry when the header holds fewer addresses than proxies.
        return client_address(request) or ""


class AnonymousRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Callers without a login or token, per address."""

    scope = "anonymous"


class StaffRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Staff and partner platforms, per account (session and tokens together)."""

    scope = "staff"


class AddressRateThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """Requests per address, signed in or not, at the rate its scope names in settings."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginRateThrottle(AddressRateThrottle):
    """Password logins per address, the workbench's and the token endpoint's in one count (django-axes locks a user
    name after repeated failures; this slows one address trying many names)."""

    scope = "login"


class FeedbackRateThrottle(AddressRateThrottle):
    """Anonymous ratings and complaints (扫码入企) per address, the portal's forms and the API's in one count: the
    code and the credit code limit who may write, this how fast one address may try."""

    scope = "feedback"


class LicenceApplicationRateThrottle(AddressRateThrottle):
    """Online licence applications (网上申请) per address, the portal's form and the public API's in one count:
    anyone may apply, so this bounds how many one address files."""

    scope = "licence_application"


class SubscriptionRateThrottle(AddressRateThrottle):
    """Subscriptions to the portal's decisions per address, the portal's form and the public API's in one count: each
    asks for a confirmation e-mail, so this bounds how many one address can cause (a second bound is per mailbox,
    SUBSCRIPTION_CONFIRMATIONS_PER_DAY)."""

    scope = "subscription"


def login_throttled(view, *, refused, throttle_class=LoginRateThrottle):
    """Wrap a Django view taking a POST (a login, a public form): a POST over the rate of `throttle_class` gets
    `refused(request, wait)` (status 429) instead."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            throttle = throttle_class()
            if not throttle.allow_request(request, None):
                wait = max(1, math.ceil(throttle.wait() or 1))
                response = refused(request, wait)
                response.status_code = 429
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapped
