from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """执法文书: the standard forms, their templates, numbering (文号), rendering and public verification."""

    name = "sanxiang.documents"
    label = "documents"

    def ready(self):
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.documents.models import Signature, SignerRole
        from sanxiang.documents.services import INTERNAL_ACTIONS, LEDGER_ACTIONS, signatures
        from sanxiang.documents.types import TYPES
        from sanxiang.ledger.vocabulary import ACTION_LABELS
        from sanxiang.ledger.vocabulary import INTERNAL_ACTIONS as INTERNAL

        ACTION_LABELS.register(LEDGER_ACTIONS | signatures.LEDGER_ACTIONS)
        FACT_WORDS.register(
            {f"type={code}": doc_type.name for code, doc_type in TYPES.items()}
            | words_of(SignerRole, "role", subject="documents.signature")
            | words_of(Signature.Status, "status", subject="documents.signature")
        )
        INTERNAL.register(INTERNAL_ACTIONS | signatures.INTERNAL_ACTIONS)
