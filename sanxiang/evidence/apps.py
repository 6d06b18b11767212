from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    """Evidence files and the archived case file (执法全过程记录的音像与电子证据、案卷归档)."""

    name = "sanxiang.evidence"
    label = "evidence"

    def ready(self):
        from sanxiang.cases.hooks import case_file_packer, evidence_list, measure_recordings
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.core.integrity import providers
        from sanxiang.core.textindex import TEXT_INDEXES, Kept
        from sanxiang.evidence.integrity import EVIDENCE
        from sanxiang.evidence.models import EvidenceKind
        from sanxiang.evidence.search import ITEMS, items_rebuild
        from sanxiang.evidence.selectors import evidence_listing
        from sanxiang.evidence.services import LEDGER_ACTIONS, case_file_pack, recordings_link
        from sanxiang.ledger.vocabulary import ACTION_LABELS

        case_file_packer.register(case_file_pack)
        measure_recordings.register(recordings_link)
        evidence_list.register(evidence_listing)
        ACTION_LABELS.register(LEDGER_ACTIONS)
        TEXT_INDEXES.register(
            {ITEMS.table: Kept(ITEMS, "证据（文件名、种类、摄录内容、地点、记录设备）", items_rebuild)}
        )
        FACT_WORDS.register(words_of(EvidenceKind, "kind"))
        providers.register(EVIDENCE)
