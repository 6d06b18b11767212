"""The log's side of witnessing (C2SP tlog-witness): sending each new checkpoint to the configured witnesses with a
consistency proof from the size each last cosigned, keeping their cosignatures, and saying whether a checkpoint
reached the quorum that verifiers require (SANXIANG_LEDGER_WITNESSES, SANXIANG_LEDGER_WITNESS_QUORUM).

A witness that is down, slow or refusing never holds up the log: the checkpoint stands, marked under quorum, and
the next checkpoint (or the minute's retry, ledger.tasks) goes to it again. A witness that says it holds a size
this log never signed, or refuses a checkpoint as inconsistent, is an alarm: someone showed it another history.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from prometheus_client import Counter

from sanxiang.ledger import selectors
from sanxiang.ledger.cosign import CosignerKey, cosigned_by, parse_witness_lines
from sanxiang.ledger.models import Checkpoint, Cosignature
from sanxiang.ledger.signing import NoteError, note_signatures

logger = logging.getLogger("sanxiang.ledger.witness")

TIMEOUT_SECONDS = 10
OUTCOMES = Counter(
    "sanxiang_ledger_witness_submissions",
    "Checkpoints sent to witnesses, by witness and outcome (cosigned, superseded, down, refused, alarm)",
    ["witness", "outcome"],
)


@dataclass(frozen=True)
class Witness:
    url: str  # the submission prefix (http(s)://…), or file:///… for a witness's folder on this machine
    key: CosignerKey


@cache
def _parsed(items: tuple[tuple[str, str], ...]) -> tuple[Witness, ...]:
    try:
        return tuple(Witness(url.rstrip("/"), CosignerKey.parse(key)) for url, key in items)
    except NoteError as error:
        raise ImproperlyConfigured(
            f"SANXIANG_LEDGER_WITNESSES 中的见证方公钥无效：{error}。(A witness key is invalid: {error}.)"
        ) from None


def witnesses() -> tuple[Witness, ...]:
    return _parsed(tuple(tuple(item) for item in settings.LEDGER_WITNESSES))


def policy_text() -> str:
    """The verifiers' witness policy, as served at /ledger/witnesses and put in archive bags: `quorum <n>`, then
    one witness key a line."""
    return f"quorum {settings.LEDGER_WITNESS_QUORUM}\n" + "".join(f"{w.key}\n" for w in witnesses())


def parse_policy(text: str) -> tuple[int, list[CosignerKey]]:
    """(quorum, witness keys) of a policy text; NoteError if it is not one."""
    lines = text.strip().split("\n") if text.strip() else []
    if not lines or not re.fullmatch(r"quorum \d{1,3}", lines[0]):
        raise NoteError("a witness policy begins with 'quorum <n>'")
    keys = [CosignerKey.parse(line) for line in lines[1:]]
    quorum = int(lines[0][7:])
    if quorum > len(keys):
        raise NoteError(f"a quorum of {quorum} among {len(keys)} witnesses can never be met")
    return quorum, keys


@dataclass(frozen=True)
class Standing:
    """How far a checkpoint is witnessed: valid cosignatures by configured witnesses, against the quorum."""

    cosigned: int
    witnesses: int
    quorum: int

    @property
    def met(self) -> bool:
        return self.cosigned >= self.quorum


def standing(checkpoint: Checkpoint) -> Standing:
    """Counted as a verifier counts: only cosignatures that verify under a configured witness's key."""
    keys = [w.key for w in witnesses()]
    cosigned = cosigned_by(witnessed_note(checkpoint), keys)
    return Standing(len(cosigned), len(keys), settings.LEDGER_WITNESS_QUORUM)


def latest_standing() -> tuple[Checkpoint, Standing] | None:
    """The latest checkpoint and how far it is witnessed; None when no witness is configured or nothing is signed."""
    checkpoint = selectors.latest_checkpoint()
    if not witnesses() or checkpoint is None:
        return None
    return checkpoint, standing(checkpoint)


def witnessed_note(checkpoint: Checkpoint) -> str:
    """The checkpoint's signed note with the witnesses' cosignature lines after the log's own."""
    return checkpoint.note + "".join(row.line for row in checkpoint.cosignatures.order_by("witness", "key_id"))


def checkpoint_witness(*, size: int | None = None, asked: tuple[Witness, ...] | None = None) -> dict[str, str]:
    """Send the checkpoint (default: the latest) to every witness `asked` (default: the configured ones) that has not
    cosigned it; return each witness's outcome. Called after a checkpoint is committed, never inside a business
    transaction."""
    checkpoint = Checkpoint.objects.filter(size=size).first() if size is not None else selectors.latest_checkpoint()
    if checkpoint is None:
        return {}
    done = set(checkpoint.cosignatures.values_list("witness", "key_id"))
    outcomes = {}
    for witness in witnesses() if asked is None else asked:
        if (witness.key.name, witness.key.key_id.hex()) in done:
            outcomes[witness.key.name] = "cosigned"
            continue
        outcomes[witness.key.name] = outcome = _submit(witness, checkpoint)
        OUTCOMES.labels(witness=witness.key.name, outcome=outcome).inc()
    return outcomes


def _submit(witness: Witness, checkpoint: Checkpoint) -> str:
    old = (
        Cosignature.objects.filter(
            witness=witness.key.name, key_id=witness.key.key_id.hex(), checkpoint__size__lte=checkpoint.size
        ).aggregate(size=Max("checkpoint__size"))["size"]
        or 0
    )
    for _attempt in range(2):  # the second only after the witness said which size it holds
        try:
            status, content_type, body = _post(witness.url, _request(old, checkpoint))
        except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out, or no HTTP at all
            logger.warning("witness %s unreachable for checkpoint %s: %s", witness.key.name, checkpoint.size, error)
            return "down"
        if status == 200:
            return _keep(witness, checkpoint, body)
        if status == 409 and content_type.startswith("text/x.tlog.size") and re.fullmatch(r"\d{1,19}", body.strip()):
            held = int(body.strip())
            signed = Checkpoint.objects.filter(size=held).exists()
            if held != old and held <= checkpoint.size and signed:
                old = held
                continue
            if held > checkpoint.size and signed:
                return "superseded"  # it has cosigned a later checkpoint of ours already (sent by another process)
            logger.error(
                "witness %s holds size %s, which this log never signed (checkpoint %s): another history was shown "
                "to it",
                witness.key.name,
                held,
                checkpoint.size,
            )
            return "alarm"
        level = logging.ERROR if status in (409, 422) else logging.WARNING
        logger.log(level, "witness %s refused checkpoint %s: %s %s", witness.key.name, checkpoint.size, status, body)
        return "alarm" if status in (409, 422) else "refused"
    return "refused"


def _request(old: int, checkpoint: Checkpoint) -> bytes:
    proof = selectors.consistency_proof(old, checkpoint.size)["proof"] if 0 < old < checkpoint.size else []
    lines = "".join(base64.b64encode(bytes.fromhex(digest)).decode() + "\n" for digest in proof)
    return f"old {old}\n{lines}\n{checkpoint.note}".encode()


def _post(prefix: str, body: bytes) -> tuple[int, str, str]:
    """The witness's answer to add-checkpoint: (status, content type, body)."""
    if prefix.startswith("file://"):  # a witness whose state folder is on this machine (the demo's): no HTTP between
        from sanxiang.ledger.witness import Witness

        answer = Witness(Path(prefix.removeprefix("file://"))).add_checkpoint(body)
        return answer.status, answer.content_type, answer.body
    request = urllib.request.Request(
        f"{prefix}/add-checkpoint", data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(65536).decode(errors="replace")
            return response.status, response.headers.get("Content-Type", ""), body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read(65536).decode(errors="replace")


def _keep(witness: Witness, checkpoint: Checkpoint, body: str) -> str:
    text, _ = note_signatures(checkpoint.note)
    try:
        lines = parse_witness_lines(body)
    except NoteError as error:
        logger.warning(
            "witness %s answered checkpoint %s with no signature lines: %s", witness.key.name, checkpoint.size, error
        )
        return "refused"
    for name, raw in lines:
        time = witness.key.time_of(text, raw) if name == witness.key.name else None
        if time is None:
            continue  # lines by other keys are ignored, as the protocol requires
        line = f"\u2014 {name} {base64.b64encode(raw).decode()}\n"
        try:
            with transaction.atomic():
                Cosignature.objects.create(
                    checkpoint=checkpoint,
                    witness=name,
                    key_id=witness.key.key_id.hex(),
                    line=line,
                    signed_at=dt.datetime.fromtimestamp(time, tz=dt.UTC),
                    received_at=timezone.now(),
                )
        except IntegrityError:
            pass  # another process kept this witness's cosignature first
        return "cosigned"
    logger.warning("witness %s answered checkpoint %s without a valid cosignature", witness.key.name, checkpoint.size)
    return "refused"


def cosignature_problems(checkpoints) -> list[str]:
    """Every kept cosignature by a configured witness that does not verify over its checkpoint (a line written into
    the table by hand, to make a checkpoint look witnessed). Lines by witnesses no longer configured cannot be
    checked."""
    keys = {(w.key.name, w.key.key_id.hex()): w.key for w in witnesses()}
    by_size = {checkpoint.size: checkpoint for checkpoint in checkpoints}
    problems = []
    for row in Cosignature.objects.filter(checkpoint__in=checkpoints).order_by("checkpoint_id", "witness"):
        key = keys.get((row.witness, row.key_id))
        if key is None:
            continue
        try:
            text, signatures = note_signatures(by_size[row.checkpoint_id].note + row.line)
            valid = key.time_of(text, signatures[-1][1]) is not None
        except NoteError:
            valid = False
        if not valid:
            problems.append(f"checkpoint {row.checkpoint_id}: the cosignature of {row.witness} does not verify")
    return problems
