"""The demo's two witnesses: the provincial 司法厅's, which supervises enforcement (《行政执法监督条例》), and the
provincial high court's, where the record may one day be evidence. In a real province each runs
`sanxiang witness serve` on its own machine; the demo keeps their state folders under the data directory and asks
them without HTTP (`file://`), so `make demo` needs no more processes. Their configuration is written to
`<data dir>/witnesses/config` for `make demo`'s server to read."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from sanxiang.ledger import witnessing
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.witness import Witness

WITNESSES = (("sft", "hlsft.gov.cn/witness"), ("court", "hljcourt.gov.cn/witness"))


def load_witnesses() -> dict[str, str]:
    """Make the witnesses (once), have them cosign the latest checkpoint, and write the server's configuration."""
    folder = Path(settings.DATA_DIR) / "witnesses"
    log_key = str(ledger_signer().verifier)
    asked = []
    for short, name in WITNESSES:
        state = folder / short
        witness = Witness(state) if (state / "witness.key").exists() else Witness.create(state, name=name)
        witness.trust(log_key, hash=settings.LEDGER_HASH)
        asked.append(witnessing.Witness(f"file://{state.resolve()}", witness.cosigner.key))
    outcomes = witnessing.checkpoint_witness(asked=tuple(asked))
    config = ",".join(f"{witness.url} {witness.key}" for witness in asked)
    (folder / "config").write_text(config + "\n", encoding="utf-8")
    return outcomes
