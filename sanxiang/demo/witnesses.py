"""The demo's two witnesses: the provincial 司法厅's, which supervises enforcement (《行政执法监督条例》), and the
provincial high court's, where the record may one day be evidence. In a real province each runs
`sanxiang witness serve` on its own machine; the demo keeps their state folders under the data directory and asks
them without HTTP (`file://`), so `make demo` needs no more processes. Their configuration is written to
`<data dir>/witnesses/config` for `make demo`'s server to read."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings

from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.witness import Witness
from sanxiang.ledger.witnessing import checkpoint_witness

WITNESSES = (("sft", "hlsft.gov.cn/witness"), ("court", "hljcourt.gov.cn/witness"))


def load_witnesses() -> dict[str, str]:
    """Make the witnesses (once), have them cosign the latest checkpoint, and write the server's configuration."""
    folder = Path(settings.DATA_DIR) / "witnesses"
    log_key = str(ledger_signer().verifier)
    items = []
    for short, name in WITNESSES:
        state = folder / short
        witness = Witness(state) if (state / "witness.key").exists() else Witness.create(state, name=name)
        witness.trust(log_key, hash=settings.LEDGER_HASH)
        items.append(f"file://{state.resolve()} {witness.cosigner.key}")
    config = ",".join(items)
    with override_settings(LEDGER_WITNESSES=[tuple(item.split()) for item in items], LEDGER_WITNESS_QUORUM=2):
        outcomes = checkpoint_witness()
    (folder / "config").write_text(config + "\n", encoding="utf-8")
    return outcomes
