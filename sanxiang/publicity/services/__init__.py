"""Every write of the publicity app."""

from django.utils.translation import gettext_lazy

from sanxiang.publicity.services.disclosures import (
    DISCLOSURE_LEDGER_ACTIONS,
    disclosure_collect,
    disclosure_publish,
    disclosure_review,
    disclosure_withdraw,
)
from sanxiang.publicity.services.imports import ImportRejected, publication_enter, publications_import
from sanxiang.publicity.services.lifecycle import (
    publication_confirm,
    publication_correct,
    publication_end,
    publication_open,
    publication_publish,
    publication_redact,
    publication_withdraw,
    publication_withhold,
    publications_expire,
)

LEDGER_ACTIONS = {
    "publication.open": gettext_lazy("生成公示记录"),
    "publication.redact": gettext_lazy("遮盖处理"),
    "publication.confirm": gettext_lazy("复核遮盖处理"),
    "publication.publish": gettext_lazy("公示"),
    "publication.correct": gettext_lazy("更正公示信息"),
    "publication.withhold": gettext_lazy("不予网上公开"),
    "publication.withdraw": gettext_lazy("撤回公示"),
    "publication.end": gettext_lazy("停止公示"),
    "publication.import": gettext_lazy("导入公示记录"),
    "publication.enter": gettext_lazy("手工录入公示记录"),
} | DISCLOSURE_LEDGER_ACTIONS

__all__ = [
    "LEDGER_ACTIONS", "disclosure_collect", "disclosure_publish", "disclosure_review", "disclosure_withdraw",
    "publication_confirm", "publication_correct", "publication_end", "publication_open",
    "publication_publish", "publication_redact", "publication_withdraw", "publication_withhold",
    "publications_expire", "ImportRejected", "publication_enter", "publications_import",
]
