"""The second factor in tests: a known seed per account, its current code, and a test client whose `force_login`
also passes the second factor (as a real login does), so tests of pages are not about logging in.

Test-only: production has no way to mark a session verified without a code.
"""

import base64

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrolled(user) -> TOTPDevice:
    """The user's confirmed authenticator, bound to SEED if the user had none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试", key=base64.b32decode(SEED).hex(), confirmed=True)
    return device


def code_for(device: TOTPDevice, *, fresh: bool = True) -> str:
    """The device's current code. `fresh` forgets the step last used, so one account may log in twice within the
    same 30 seconds (django-otp refuses a code it has already accepted)."""
    if fresh:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def mark_verified(client: Client, user) -> None:
    """Make the client's signed-in session one that has passed the second factor with the user's device."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled(user).persistent_id
    session.save()


class VerifiedClient(Client):
    """`force_login` signs in with both factors (plain `Client.force_login` leaves the second step to take)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        mark_verified(self, user)
