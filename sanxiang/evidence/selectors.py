"""Reads with policy for evidence: the access gate, a case's evidence, and the warnings the seed asks for."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Role
from sanxiang.agencies.selectors import can_view
from sanxiang.cases.gates import is_head
from sanxiang.cases.hooks import review
from sanxiang.cases.models import AV_ADVISED_ACTS, AV_CITATION, Act, Case, Inspection, Stage
from sanxiang.documents.models import Document
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger.selectors import entries_for_subject

SLACK = dt.timedelta(minutes=15)


def evidence_get_for_user(*, user, item_id: int) -> EvidenceItem:
    """An evidence item of an agency the user may see (404 otherwise)."""
    item = EvidenceItem.objects.select_related("agency", "case", "inspection", "recorded_by").filter(pk=item_id).first()
    if item is None or not can_view(user, item.agency):
        raise Http404
    return item


def takes_part(user, *, case: Case | None = None, inspection=None, recorded_by=None) -> bool:
    """Whether `user` takes part in the act the evidence belongs to — who recorded it, the case's investigators, the
    inspection's officers, any officer for a clue not yet filed — or heads its agency: only they add to or correct its record (查审分离: reviewers and
    publicity clerks read evidence, never write it)."""
    if user is None or user.is_superuser:
        return True
    if recorded_by is not None and recorded_by.pk == user.pk:
        return True
    if case is not None and case.investigators.filter(pk=user.pk).exists():
        return True
    if case is not None and not case.investigators.exists() and user.has_role(Role.OFFICER):
        return can_view(user, case.agency)  # a clue not yet filed has no investigators: any officer who can see it
    if inspection is not None and inspection.officers.filter(pk=user.pk).exists():
        return True
    owner = case or inspection
    return owner is not None and is_head(user, owner.agency)


def may_add_evidence(user, *, case: Case | None = None, inspection=None) -> bool:
    """Whether `user` may add evidence to the case or inspection: an officer (evidence is recorded by officers) who
    takes part in its act. The workbench offers the upload only to them, and the page, API v1 and the resumable
    upload refuse anyone else before anything is stored; the ingest asks `takes_part` again."""
    officer = user.is_superuser or user.has_role(Role.OFFICER)
    return officer and takes_part(user, case=case, inspection=inspection)


def may_annotate(user, item: EvidenceItem) -> bool:
    """Whether `user` may correct the item's notes: its recorder, those taking part in its act, or the agency's
    head. The service refuses anyone else; the item's page offers the form to them only."""
    return takes_part(user, case=item.case, inspection=item.inspection, recorded_by=item.recorded_by)


def stored_file_count() -> int:
    """How many files the scrub (services.evidence_scrub) re-hashes: every evidence file, every document's DOCX and
    every PDF made of one."""
    documents = Document.objects.aggregate(docx=Count("pk"), pdf=Count("pk", filter=~Q(pdf_sha256="")))
    return EvidenceItem.objects.count() + documents["docx"] + documents["pdf"]


def evidence_of_case(case: Case) -> list[EvidenceItem]:
    return list(case.evidence_items.select_related("recorded_by").prefetch_related("annotations").order_by("number"))


def evidence_listing(*, case: Case) -> list[str]:
    """The evidence of a case's file by its numbers, one line an item as a penalty decision lists it: the case's own
    items, then those of the inspection it came from that no case claims (cases.hooks.evidence_list)."""
    own = Q(case=case)
    items = EvidenceItem.objects.filter(
        own | Q(inspection_id=case.inspection_id, case__isnull=True) if case.inspection_id else own
    )
    lines = []
    for item in sorted(items.prefetch_related("annotations"), key=lambda item: (item.case_id is None, item.number)):
        annotation = item.annotations.all()[0] if item.annotations.all() else None
        label = _("证据%(n)d") if item.case_id else _("现场检查证据%(n)d")
        lines.append(
            _("%(label)s：%(kind)s，%(description)s（%(name)s）")
            % {
                "label": label % {"n": item.number},
                "kind": item.get_kind_display(),
                "description": annotation.description if annotation else "—",
                "name": item.original_name,
            }
        )
    return lines


def time_warning(item: EvidenceItem) -> str:
    """A recording whose times do not fit the written record of the same act (the seed: times must match)."""
    inspection = item.inspection or (item.case.inspection if item.case and item.act == Act.INSPECTION else None)
    if inspection is None or item.captured_start is None or inspection.ended_at is None:
        return ""
    start, end = item.captured_start, item.captured_end or item.captured_start
    if start < inspection.started_at - SLACK or end > inspection.ended_at + SLACK:
        return _("录制时间（%(start)s—%(end)s）与现场检查笔录记载的时间（%(from)s—%(to)s）不符") % {
            "start": f"{start:%m-%d %H:%M}",
            "end": f"{end:%H:%M}",
            "from": f"{inspection.started_at:%m-%d %H:%M}",
            "to": f"{inspection.ended_at:%H:%M}",
        }
    return ""


def missing_audiovisual(case: Case) -> list[str]:
    """Acts that took place in the case and that the seed says should, as circumstances require, be recorded on
    audio/video, for which the case file holds none — shown as warnings."""
    happened = set()
    if case.inspection_id:
        happened.add(Act.INSPECTION)
    if case.stage not in (Stage.CLUE, Stage.NOT_FILED):
        happened.add(Act.EVIDENCE)
    if case.hearing_held_on:
        happened.add(Act.HEARING)
    if case.served_on:
        happened.add(Act.SERVICE)
    recorded = set(case.evidence_items.filter(is_audiovisual=True).values_list("act", flat=True))
    return [
        _("%(act)s环节没有音像记录（%(citation)s：应根据实际情况进行音像记录）")
        % {"act": Act(act).label, "citation": AV_CITATION}
        for act in sorted(happened & AV_ADVISED_ACTS - recorded)
    ]


def custody(item: EvidenceItem):
    return entries_for_subject("evidence.evidenceitem", item.pk)


def cases_with_cleared_review(*, case: Case | None, inspection: Inspection | None) -> list[Case]:
    """The cases whose agreed legal review covers the evidence of `case` (or of `inspection`, which a case came
    from): evidence added there changes the reviewed materials, and the decision needs a new review."""
    cases = [case] if case else list(Case.objects.filter(inspection=inspection, review_required=True))
    return [reviewed for reviewed in cases if reviewed.review_required and not review().refusal(reviewed)]
