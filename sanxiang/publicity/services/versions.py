"""The texts of a publication version: the masks of its full text, the 双公示 items masked with the same masks, and
the check that nothing personal is left in what is about to be published.

The summary is masked from the full text's masks so that a passage hidden in the decision (a witness's name, a
commercial secret typed by the clerk) is hidden in 违法事实 and the other prose items too, and so in the exports
and the search index that are built from the published summary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.cases.models import PartyKind
from sanxiang.core.errors import RuleViolation
from sanxiang.publicity import redaction, texts
from sanxiang.publicity.models import Publication, PublicationVersion

# 双公示 items written as prose, which may name people or quote what must be hidden
PROSE_ITEMS = ("违法事实", "处罚内容", "执法结论", "许可内容", "备注")
PRIVACY_CITATION = "黑环发〔2019〕112号 三(一)（涉及个人隐私等信息应作适当处理后公开）"


def _natural(publication: Publication) -> bool:
    return publication.party_kind == texts.PARTY_CLASSES[PartyKind.NATURAL_PERSON]


def personal_values(publication: Publication, extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """(kind, value) of the party's own personal data: its ID number and phone, and a natural person's address."""
    values = list(extra)
    party = publication.case.party if publication.case_id else None
    if party:
        values += [("id_number", party.id_number), ("phone", party.phone)]
        if _natural(publication):
            values.append(("address", party.address))
    return [(kind, value) for kind, value in values if value]


def _detect(publication: Publication, text: str) -> list[redaction.Span]:
    party = publication.case.party if publication.case_id else None
    keep = tuple(
        filter(None, [publication.agency.phone, party and not _natural(publication) and party.legal_representative])
    )
    return redaction.detect(text, party_name=publication.party_name if _natural(publication) else "", keep=keep)


def mask_summary(publication: Publication, summary: dict, *, original: str, masks: list[dict]) -> dict:
    """The prose items with the detector's sure masks and every passage the full text's masks hide."""
    passages = {original[span["start"] : span["end"]]: span["kind"] for span in masks}
    masked = dict(summary)
    for item in PROSE_ITEMS:
        value = str(masked.get(item) or "")
        if not value:
            continue
        spans = [span for span in _detect(publication, value) if span.sure]
        spans += [span for passage, kind in passages.items() for span in redaction.occurrences(value, passage, kind)]
        masked[item] = redaction.apply(value, [span.as_dict() for span in redaction.merge(spans)])
    return masked


def version_create(
    publication: Publication,
    number: int,
    original: str,
    *,
    summary: dict,
    reason: str = "",
    personal: Sequence[tuple[str, str]] = (),
) -> PublicationVersion:
    """A version with the detector's sure masks applied, the party's own personal data (and `personal`, for a
    record that came without a case) masked wherever it occurs, and the doubtful finds left for a person."""
    spans = _detect(publication, original)
    known = [
        span
        for kind, value in personal_values(publication, personal)
        for span in redaction.occurrences(original, value, kind)
    ]
    masks = [span.as_dict() for span in redaction.merge([span for span in spans if span.sure] + known)]
    public = redaction.apply(original, masks)
    return PublicationVersion.objects.create(
        publication=publication,
        number=number,
        original=original,
        masks=masks,
        warnings=[span.as_dict() for span in spans if not span.sure],
        summary=mask_summary(publication, summary, original=original, masks=masks),
        public_text=public,
        public_sha256=hashlib.sha256(public.encode()).hexdigest(),
        reason=reason,
        prepared_by=None,
        prepared_at=timezone.now(),
    )


def version_remask(version: PublicationVersion, masks: list[dict]) -> None:
    """New masks for a waiting version: its public text and its summary follow them (saved by the caller)."""
    version.masks = redaction.validate_spans(version.original, masks)
    version.public_text = redaction.apply(version.original, version.masks)
    version.public_sha256 = hashlib.sha256(version.public_text.encode()).hexdigest()
    version.summary = mask_summary(version.publication, version.summary, original=version.original, masks=version.masks)


def public_prose(publication: Publication, text: str) -> str:
    """A reason written by staff that will be shown publicly, with ID, phone and account numbers masked (a name
    in a reason is left to the writer: the detector's name patterns are for decision texts)."""
    return redaction.apply(
        text,
        [
            span.as_dict()
            for span in _detect(publication, text)
            if span.sure and span.kind in ("id_number", "phone", "bank_account")
        ],
    )


def refuse_personal_data(publication: Publication, version: PublicationVersion) -> None:
    """The last check before publishing, whatever the masks say: no valid resident ID number, and none of the
    party's own personal data, in the public text or the summary."""
    shown = [version.public_text, *(str(value) for value in version.summary.values())]
    found = [span.kind for text in shown for span in redaction.detect(text) if span.kind == "id_number" and span.sure]
    found += [kind for kind, value in personal_values(publication) if any(value in text for text in shown)]
    if found:
        raise RuleViolation(
            _("公开内容中仍有%(kinds)s，请先遮盖")
            % {"kinds": "、".join(sorted({str(redaction.KINDS[kind]) for kind in found}))},
            code="personal_data_left",
            citation=PRIVACY_CITATION,
        )
