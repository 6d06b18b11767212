"""What vouches for the demo's ledger beyond its own key.

Witnesses: the provincial 司法厅's, which supervises enforcement (《行政执法监督条例》), and the provincial high
court's, where the record may one day be evidence. In a real province each runs `sanxiang witness serve` on its own
machine; the demo keeps their state folders under the data directory and asks them without HTTP (`file://`).

Trusted time: a time-stamping authority standing for the accredited 电子认证服务机构 a province would contract
(RFC 3161), kept as a folder authority (ledger.authority, OpenSSL) under the data directory and asked as `file://`.

So `make demo` needs no more processes. The server's settings for both are written to `<data dir>/demo.env`
(shell syntax) for `make demo` to read."""

from __future__ import annotations

import shlex
from pathlib import Path

from django.conf import settings

from sanxiang.ledger import witnessing
from sanxiang.ledger.authority import make_authority
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.timestamping import checkpoint_timestamp, load_roots
from sanxiang.ledger.witness import Witness

WITNESSES = (("sft", "hlsft.gov.cn/witness"), ("court", "hljcourt.gov.cn/witness"))
AUTHORITY = "演示时间戳服务 Sanxiang Demo TSA"
AUTHORITY_DAYS = 3650  # the demo's data directory may be served for years


def load_attestation() -> dict[str, object]:
    """Make the witnesses and the authority (once), have the latest checkpoint cosigned and stamped, and write the
    server's settings; the outcomes."""
    data = Path(settings.DATA_DIR).resolve()
    log_key = str(ledger_signer().verifier)
    asked = []
    for short, name in WITNESSES:
        state = data / "witnesses" / short
        witness = Witness(state) if (state / "witness.key").exists() else Witness.create(state, name=name)
        witness.trust(log_key, hash=settings.LEDGER_HASH)
        asked.append(witnessing.Witness(f"file://{state}", witness.cosigner.key))
    folder = data / "tsa"
    roots = (
        folder / "root.pem"
        if (folder / "tsa.cnf").exists()
        else make_authority(folder, name=AUTHORITY, days=AUTHORITY_DAYS)
    )
    url = f"file://{folder}"
    outcomes = {
        "witnesses": witnessing.checkpoint_witness(asked=tuple(asked)),
        "timestamp": checkpoint_timestamp(url=url, roots=tuple(load_roots(roots.read_bytes()))),
    }
    server = {
        "SANXIANG_LEDGER_WITNESSES": ",".join(f"{witness.url} {witness.key}" for witness in asked),
        "SANXIANG_LEDGER_TSA_URL": url,
        "SANXIANG_LEDGER_TSA_ROOTS": str(roots),
    }
    lines = [f"{name}={shlex.quote(value)}" for name, value in server.items()]
    (data / "demo.env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return outcomes
