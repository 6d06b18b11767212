"""The ledger's part in an installation's integrity (core.integrity): a restore verifies the whole log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sanxiang.core.integrity import IntegrityResult
from sanxiang.ledger.models import Checkpoint, Entry
from sanxiang.ledger.selectors import log_size
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.verification import verify_log


class LedgerIntegrity:
    name = "ledger"
    label = "全过程记录账本"

    def holds_data(self) -> bool:
        return Entry.objects.exists() or Checkpoint.objects.exists()

    def check(self, *, progress=None) -> IntegrityResult:
        """`ledger verify`: every leaf and node recomputed, every checkpoint's signature and root checked."""
        total = log_size()
        try:
            verifier = ledger_signer().verifier if Checkpoint.objects.exists() else None
        except ImproperlyConfigured as error:  # the signing key is missing or damaged: nothing can be verified
            return IntegrityResult(name=self.name, ok=False, summary="无法读取签名密钥", problems=[str(error)])
        report = verify_log(
            verifier=verifier,
            origin=settings.LEDGER_ORIGIN,
            progress=(lambda done: progress(done, total)) if progress else None,
        )
        return IntegrityResult(
            name=self.name,
            ok=report.ok,
            summary=f"{report.size} 条记录、{report.checkpoints} 个检查点",
            problems=[f"index {problem.index}: {problem.kind}: {problem.message}" for problem in report.problems],
        )


LEDGER = LedgerIntegrity()
