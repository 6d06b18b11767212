"""Trusted time on checkpoints (RFC 3161): a time-stamping authority (TSA) signs, with its own certificate, that the
checkpoint's text (origin, size, root) existed at a time, so the log's age rests on more than the operator's clock.

What is stamped is the checkpoint's signed text, hashed with SHA-256 (what every TSA accepts, whatever the log's
own hash). Each token is verified before it is kept — against the TSA root certificates configured
(SANXIANG_LEDGER_TSA_ROOTS), the request's nonce and the text's hash — and kept as the DER TimeStampResp the TSA
sent, beside the checkpoint. The TSA is asked after the checkpoint's commit, in the background; a TSA that is down
or refuses holds nothing up: the checkpoint stands without a token and the minute's task asks again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import logging
import urllib.error
import urllib.request
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from rfc3161_client import (
    HashAlgorithm,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from sanxiang.ledger import authority
from sanxiang.ledger.models import Checkpoint, Timestamp
from sanxiang.ledger.signing import note_signatures

logger = logging.getLogger("sanxiang.ledger.timestamp")

SHA256 = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")

TIMEOUT_SECONDS = 10
RETRY_HOURS = 24  # checkpoints younger than this without a token are asked for again
RETRY_MAX = 10  # at most this many a minute


class TimestampError(ValueError):
    """A token that is malformed, or does not verify over the text under the roots given."""


def stamped_text(note: str) -> bytes:
    """What a checkpoint's token covers: the text of its signed note (no signature lines)."""
    return note_signatures(note)[0].encode()


def load_roots(pem: bytes) -> list[x509.Certificate]:
    try:
        roots = x509.load_pem_x509_certificates(pem)
    except ValueError as error:
        raise TimestampError(f"the TSA roots are not PEM certificates: {error}") from None
    return roots


@cache
def _configured_roots(path: Path) -> tuple[x509.Certificate, ...]:
    try:
        return tuple(load_roots(path.read_bytes()))
    except (OSError, TimestampError) as error:
        raise ImproperlyConfigured(
            f"SANXIANG_LEDGER_TSA_ROOTS={path} 无法读取：{error}。(Cannot read the TSA roots {path}: {error}.)"
        ) from None


def configured_roots() -> list[x509.Certificate]:
    return list(_configured_roots(settings.LEDGER_TSA_ROOTS)) if settings.LEDGER_TSA_ROOTS else []


def verify_token(
    response: bytes, text: bytes, roots: list[x509.Certificate], *, nonce: int | None = None
) -> dt.datetime:
    """The time a DER TimeStampResp vouches for `text`, if it is granted, chains to one of `roots` through a
    certificate for time stamping, and covers SHA-256(text) (and carries `nonce`, when given); TimestampError else."""
    try:
        decoded = decode_timestamp_response(response)
        if decoded.tst_info.message_imprint.hash_algorithm != SHA256:
            raise VerificationError("the token's message imprint is not SHA-256")
        builder = VerifierBuilder(nonce=nonce)
        for root in roots:
            builder = builder.add_root_certificate(root)
        builder.build().verify(decoded, hashlib.sha256(text).digest())
    except (ValueError, VerificationError) as error:
        raise TimestampError(f"the time-stamp token does not verify: {error}") from None
    generated = decoded.tst_info.gen_time
    return generated if generated.tzinfo else generated.replace(tzinfo=dt.UTC)


def checkpoint_timestamp(*, size: int | None = None, url: str = "", roots: tuple[x509.Certificate, ...] = ()) -> str:
    """Ask the TSA (default: the configured one, with its roots) for a token over the checkpoint (default: the
    latest); the outcome: stamped, down, refused, or absent (no TSA, no checkpoint without a token)."""
    url, roots = url or settings.LEDGER_TSA_URL, list(roots) or configured_roots()
    if not url:
        return "absent"
    query = Checkpoint.objects.filter(timestamp__isnull=True)
    checkpoint = query.filter(size=size).first() if size is not None else query.order_by("-size").first()
    if checkpoint is None:
        return "absent"
    text = stamped_text(checkpoint.note)
    request = TimestampRequestBuilder().data(text).hash_algorithm(HashAlgorithm.SHA256).build()
    try:
        response = _post(url, request.as_bytes())
    except (OSError, http.client.HTTPException) as error:
        logger.warning("TSA %s unreachable for checkpoint %s: %s", url, checkpoint.size, error)
        return "down"
    try:
        gen_time = verify_token(response, text, roots, nonce=request.nonce)
    except TimestampError as error:
        logger.error("TSA %s answered checkpoint %s with %s", url, checkpoint.size, error)
        return "refused"
    try:
        with transaction.atomic():
            Timestamp.objects.create(
                checkpoint=checkpoint,
                response=response,
                gen_time=gen_time,
                authority=url,
                received_at=timezone.now(),
            )
    except IntegrityError:
        pass  # another process kept one first
    return "stamped"


def timestamps_retry(*, now: dt.datetime | None = None) -> list[str]:
    """Ask again for the recent checkpoints left without a token (the TSA was down)."""
    if not settings.LEDGER_TSA_URL:
        return []
    since = (now or timezone.now()) - dt.timedelta(hours=RETRY_HOURS)
    sizes = Checkpoint.objects.filter(timestamp__isnull=True, created_at__gte=since).order_by("-size")
    outcomes = []
    for size in sizes.values_list("size", flat=True)[:RETRY_MAX]:
        outcomes.append(checkpoint_timestamp(size=size))
        if outcomes[-1] == "down":
            break  # still down: the next minute asks again, rather than wait out a timeout per checkpoint
    return outcomes


def _post(url: str, body: bytes) -> bytes:
    if url.startswith("file://"):  # a TSA folder on this machine (the demo's): no HTTP between
        return authority.reply(Path(url.removeprefix("file://")), body)
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/timestamp-query"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        raise OSError(f"HTTP {error.code}") from None


def token_authority(response: bytes) -> str:
    """The name (CN) on the certificate that signed a kept token, as its reader would call the authority."""
    for der in decode_timestamp_response(bytes(response)).signed_data.certificates:
        certificate = x509.load_der_x509_certificate(der)
        try:
            usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if ExtendedKeyUsageOID.TIME_STAMPING in usage:
            names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            return str(names[0].value) if names else certificate.subject.rfc4514_string()
    return ""


def token_problems(checkpoints) -> list[str]:
    """Every kept token that does not verify over its checkpoint's text under the configured TSA roots."""
    roots = configured_roots()
    if not roots:
        return []
    by_size = {checkpoint.size: checkpoint for checkpoint in checkpoints}
    problems = []
    for size, response in Timestamp.objects.filter(checkpoint__in=checkpoints).values_list("checkpoint_id", "response"):
        try:
            verify_token(bytes(response), stamped_text(by_size[size].note), roots)
        except TimestampError as error:
            problems.append(f"checkpoint {size}: {error}")
    return problems
