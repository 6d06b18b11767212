"""Security keys (安全密钥, WebAuthn): the relying party a page speaks for, and the options the browser is given to
make or use a key. Pure helpers (py_webauthn), no database write; the writes are `services.security_keys`.

The browser signs the relying party's domain and the page's origin into every answer, so a key made here is
useless to a look-alike site; both are checked again when the answer comes back.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import webauthn
from django.conf import settings
from django.http.request import split_domain_port
from webauthn.helpers import base64url_to_bytes, options_to_json_dict
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from sanxiang.agencies.models import SecurityKey, User

RP_NAME = "三项制度平台"
# How long the browser may wait for the key, and how long its challenge stays good on our side.
CHALLENGE_SECONDS = 120
# The key is the second factor (the password was the first): a touch proves presence; no PIN is asked for.
SELECTION = AuthenticatorSelectionCriteria(
    resident_key=ResidentKeyRequirement.DISCOURAGED, user_verification=UserVerificationRequirement.DISCOURAGED
)


@dataclass(frozen=True)
class RelyingParty:
    id: str
    origin: str


def relying_party(request) -> RelyingParty | None:
    """The domain keys are bound to (SANXIANG_WEBAUTHN_RP_ID, or the host asked for) and the page's origin; None
    when the workbench is reached by an IP address, which WebAuthn does not accept as a relying party."""
    host = request.get_host()
    domain, _port = split_domain_port(host)
    rp_id = settings.WEBAUTHN_RP_ID or domain
    try:
        ipaddress.ip_address(rp_id.strip("[]"))
    except ValueError:
        return RelyingParty(id=rp_id, origin=f"{request.scheme}://{host}")
    return None


def _descriptors(keys) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id)) for key in keys]


def registration_options(*, user: User, keys: list[SecurityKey], rp: RelyingParty) -> tuple[dict, bytes]:
    """The options for `navigator.credentials.create()` (JSON-ready) and their challenge; the account's keys are excluded,
    so the same key is not added twice."""
    options = webauthn.generate_registration_options(
        rp_id=rp.id,
        rp_name=RP_NAME,
        user_name=user.username,
        # The account's number, not its name: an authenticator may keep it.
        user_id=str(user.pk).encode(),
        user_display_name=str(user),
        timeout=CHALLENGE_SECONDS * 1000,
        authenticator_selection=SELECTION,
        exclude_credentials=_descriptors(keys),
    )
    return options_to_json_dict(options), options.challenge


def authentication_options(*, keys: list[SecurityKey], rp: RelyingParty) -> tuple[dict, bytes]:
    """The options for `navigator.credentials.get()` (JSON-ready), allowing only the account's own keys, and their
    challenge."""
    options = webauthn.generate_authentication_options(
        rp_id=rp.id,
        timeout=CHALLENGE_SECONDS * 1000,
        allow_credentials=_descriptors(keys),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    return options_to_json_dict(options), options.challenge
