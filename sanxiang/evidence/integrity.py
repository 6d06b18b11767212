"""The evidence's part in an installation's integrity (core.integrity): a restore re-hashes every stored file."""

from __future__ import annotations

from sanxiang.core.integrity import IntegrityResult
from sanxiang.documents.models import Document
from sanxiang.evidence.models import EvidenceItem
from sanxiang.evidence.selectors import stored_file_count
from sanxiang.evidence.services import evidence_scrub


class EvidenceIntegrity:
    name = "evidence"
    label = "证据文件与文书"

    def holds_data(self) -> bool:
        return EvidenceItem.objects.exists() or Document.objects.exists()

    def check(self, *, progress=None) -> IntegrityResult:
        """`evidence scrub`: every evidence file and document re-hashed (the report is kept, as the nightly one)."""
        total = stored_file_count()
        report = evidence_scrub(progress=(lambda done: progress(done, total)) if progress else None)
        problems = [f"缺失 {row['object']} {row['sha256']}" for row in report.missing] + [
            f"损坏 {row['object']} {row['sha256']}（现为 {row['found']}）" for row in report.corrupted
        ]
        return IntegrityResult(name=self.name, ok=report.ok, summary=f"{report.checked} 个文件", problems=problems)


EVIDENCE = EvidenceIntegrity()
