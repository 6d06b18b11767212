"""A software security key for tests: answers WebAuthn options as a browser and its authenticator would (an EC P-256
key, "none" attestation), so the services and pages are tried without a browser — and can be made to misbehave:
another origin, a counter that goes back, an answer to someone else's challenge."""

import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

from sanxiang.agencies.security_keys import RelyingParty, registration_options
from sanxiang.agencies.services import security_key_register
from sanxiang.testing.otp import enrolled

# What Django's test client is seen as (request.get_host() is "testserver").
TEST_PARTY = RelyingParty(id="testserver", origin="http://testserver")

USER_PRESENT, ATTESTED = 0x01, 0x40


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class SoftKey:
    def __init__(self, *, origin: str = TEST_PARTY.origin):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.sign_count = 0
        self.origin = origin

    def _client_data(self, kind: str, options: dict) -> bytes:
        data = {"type": kind, "challenge": options["challenge"], "origin": self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _cose_public_key(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: x, -3: y})  # EC2, ES256, P-256

    def _answer(self, response: dict) -> str:
        credential_id = bytes_to_base64url(self.credential_id)
        return json.dumps(
            {
                "id": credential_id,
                "rawId": credential_id,
                "type": "public-key",
                "response": {key: bytes_to_base64url(value) for key, value in response.items()},
                "clientExtensionResults": {},
            }
        )

    def create(self, options: dict) -> str:
        """The answer of `navigator.credentials.create()` to the options a page carried."""
        auth_data = (
            _sha256(options["rp"]["id"].encode())
            + bytes([USER_PRESENT | ATTESTED])
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID: none
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_public_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options)
        return self._answer({"clientDataJSON": client_data, "attestationObject": attestation})

    def get(self, options: dict, *, sign_count: int | None = None) -> str:
        """The answer of `navigator.credentials.get()`; the counter moves on by one unless `sign_count` is given."""
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        auth_data = _sha256(options["rpId"].encode()) + bytes([USER_PRESENT]) + struct.pack(">I", self.sign_count)
        client_data = self._client_data("webauthn.get", options)
        signature = self.private.sign(auth_data + _sha256(client_data), ec.ECDSA(hashes.SHA256()))
        return self._answer({"clientDataJSON": client_data, "authenticatorData": auth_data, "signature": signature})


def registered(user, *, key: SoftKey | None = None):
    """A security key added to `user`'s account through the service, approved by the user's authenticator app."""
    key = key or SoftKey()
    options, challenge = registration_options(user=user, keys=[], rp=TEST_PARTY)
    device = security_key_register(
        actor=user,
        approved_by=enrolled(user),
        credential=key.create(options),
        challenge=challenge,
        relying_party=TEST_PARTY,
        name="测试密钥",
    )
    return key, device
