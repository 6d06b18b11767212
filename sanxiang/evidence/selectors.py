"""Reads with policy for evidence: the access gate, a case's evidence, the warnings the seed asks for, and what a
body-worn recorder's file proposes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.agencies.models import Certificate, Role
from sanxiang.agencies.selectors import can_view
from sanxiang.cases.gates import is_head
from sanxiang.cases.hooks import review
from sanxiang.cases.models import (
    AV_ADVISED_ACTS,
    AV_CITATION,
    Act,
    Case,
    Closure,
    Inspection,
    ProductionMeasure,
    Seizure,
    Stage,
)
from sanxiang.cases.search import Page, newest_page
from sanxiang.core.calendar import day_bounds
from sanxiang.documents.models import Document
from sanxiang.evidence.metadata import Capture
from sanxiang.evidence.models import EvidenceAnnotation, EvidenceItem
from sanxiang.evidence.recorder import RecorderName, parse_recorder_name
from sanxiang.evidence.search import ITEMS
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
    takes part in its act. The ingest (services.check_ingest) refuses anyone else before anything is stored; the
    workbench offers the upload only to them."""
    if user is None:  # the system itself (the demo, a migration)
        return True
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


def _listed(items) -> list[EvidenceItem]:
    """Items as a list shows them: with their notes, and the inspection `time_warning` compares them with."""
    related = items.select_related("recorded_by", "inspection", "case__inspection")
    return list(related.prefetch_related("annotations").order_by("number"))


def evidence_search(user, *, text: str, before: int | None = None, size: int) -> Page:
    """证据检索: the files of the agencies the user sees whose name, kind, notes, place or recording device hold `text`,
    newest first, a page at a time going on below the last match looked at (cases.search.newest_page), each file
    with its latest notes."""
    items = EvidenceItem.objects.visible_to(user).select_related("case", "inspection", "agency")
    page = newest_page(items, index=ITEMS, user=user, text=text, before=before, size=size)
    notes = latest_notes([item.pk for item in page.rows])
    return Page([(item, notes.get(item.pk)) for item in page.rows], page.next_before)


def latest_notes(item_ids: list[int]) -> dict[int, EvidenceAnnotation]:
    """The latest notes of each item, in one query."""
    latest = {}
    for note in EvidenceAnnotation.objects.filter(item__in=item_ids).order_by("item", "-version"):
        latest.setdefault(note.item_id, note)
    return latest


def evidence_of_case(case: Case) -> list[EvidenceItem]:
    return _listed(case.evidence_items.all())


def evidence_of_inspection(inspection: Inspection) -> list[EvidenceItem]:
    """现场检查证据 — what the officers recorded at an inspection: the file of every case opened from it."""
    return _listed(EvidenceItem.objects.filter(inspection=inspection, case__isnull=True))


def _case_file(case: Case) -> Q:
    """A case's own items and those of the inspection it came from that no case claims."""
    own = Q(case=case)
    return own | Q(inspection_id=case.inspection_id, case__isnull=True) if case.inspection_id else own


def evidence_listing(*, case: Case) -> list[str]:
    """The evidence of a case's file by its numbers, one line an item as a penalty decision lists it: the case's own
    items, then those of the inspection it came from that no case claims (cases.hooks.evidence_list)."""
    items = EvidenceItem.objects.filter(_case_file(case))
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
    recorded = set(EvidenceItem.objects.filter(_case_file(case), is_audiovisual=True).values_list("act", flat=True))
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


@dataclass(frozen=True)
class ActWindow:
    """A time the case file records for one of its acts, and what records it."""

    act: str
    start: dt.datetime
    end: dt.datetime
    basis: str


@dataclass(frozen=True)
class RecorderProposal:
    """What a body-worn recorder's file (执法记录仪) proposes for a case: who recorded it and the act it records."""

    recording: RecorderName
    started: dt.datetime
    certificate: Certificate | None
    window: ActWindow | None
    absent: Certificate | None = None  # the number's holder here, who takes no part in this case or inspection

    @property
    def officer(self):
        return self.certificate.holder if self.certificate else None

    @property
    def act(self) -> str | None:
        return self.window.act if self.window else None

    def describe(self) -> str:
        """One sentence for the upload page and the import command: what the name says and what it proposes."""
        text = _("识别为执法记录仪文件：设备 %(device)s，执法证号 %(number)s，开始时间 %(start)s") % {
            "device": self.recording.device,
            "number": self.recording.officer_number,
            "start": f"{timezone.localtime(self.started):%Y-%m-%d %H:%M:%S}",
        }
        if self.recording.important:
            text += _("（记录仪上标记为重要文件）")
        if self.certificate is not None:
            text += _("；记录人：%(name)s") % {"name": self.certificate.holder}
        if self.window is not None:
            text += _("；执法环节：%(act)s（%(basis)s）") % {"act": Act(self.act).label, "basis": self.window.basis}
        else:
            text += _("；案卷中没有哪个执法环节的记录时间包含开始时间，未建议执法环节")
        return text

    def officer_warning(self, owner: Case | Inspection) -> str:
        """Said when the number names nobody in the record's agency, or someone who takes no part in it: the file
        is not attributed on its say-so."""
        if self.certificate is not None:
            return ""
        if self.absent is not None:
            return _("执法证号 %(number)s 的持证人%(name)s未参与本案或本次检查") % {
                "number": self.recording.officer_number,
                "name": self.absent.holder,
            }
        return _("执法证号 %(number)s 在%(agency)s没有对应的执法人员") % {
            "number": self.recording.officer_number,
            "agency": owner.agency.name,
        }


def recorder_proposal(
    *, case: Case | None = None, inspection: Inspection | None = None, name: str, capture: Capture | None = None
) -> RecorderProposal | None:
    """What a file named in a body-worn recorder's layout (evidence.recorder) proposes for `case` (or an inspection
    not yet a case), or None for any other name. The officer is the holder of the certificate with the recorded
    number among the staff of the record's own agency who takes part in it — an officer of another agency with that
    number is nobody here, one of this agency not on the case is not proposed; the act is the one whose
    recorded time holds the start of the recording (the container's, else the name's), the narrowest if several do,
    none if two acts tie or none holds it."""
    recording = parse_recorder_name(name)
    if recording is None:
        return None
    started = capture.started if capture is not None and capture.started else recording.started
    certificate = (
        Certificate.objects.select_related("holder")
        .filter(number__iexact=recording.officer_number, holder__agency=(case or inspection).agency)
        .filter(holder__is_active=True)
        .first()
    )
    absent = None
    if certificate is not None and not takes_part(certificate.holder, case=case, inspection=inspection):
        certificate, absent = None, certificate  # a colleague's clip is not theirs to sign for here
    holding = sorted(
        (window for window in _act_windows(case, inspection) if window.start <= started <= window.end),
        key=lambda window: window.end - window.start,
    )
    tied = len(holding) > 1 and holding[1].end - holding[1].start == holding[0].end - holding[0].start
    window = None if not holding or (tied and holding[1].act != holding[0].act) else holding[0]
    return RecorderProposal(recording=recording, started=started, certificate=certificate, window=window, absent=absent)


def recording_officer(proposal: RecorderProposal | None, *, uploader):
    """Who is registered as having recorded a file added to a case (记录人): the officer its recorder names in the
    case's agency, else whoever adds it."""
    return proposal.officer if proposal is not None and proposal.officer is not None else uploader


def _act_windows(case: Case | None, inspection: Inspection | None = None) -> list[ActWindow]:
    """The times the file of `case` records for its acts: an inspection from its start to its end; a hearing or an
    emergency seizure from its start to the end of that day; the whole day a measure began or a document was served.
    The measures of cases derived from `case` count as its own: they are filmed where the violation was found."""
    windows = []

    def timed(act: str, start: dt.datetime | None, end: dt.datetime | None, basis: str) -> None:
        if start is not None:
            # a recorder is often switched on a little before the record's first minute, or left on after its last
            until = end + SLACK if end else day_bounds(timezone.localdate(start))[1]
            windows.append(ActWindow(act, start - SLACK, until, f"{basis} {_span(start, end)}"))

    def day(act: str, on: dt.date | None, basis: str) -> None:
        if on is not None:
            windows.append(ActWindow(act, *day_bounds(on), f"{basis} {on:%Y-%m-%d}"))

    inspection = case.inspection if case is not None else inspection
    if inspection is not None:
        timed(Act.INSPECTION, inspection.started_at, inspection.ended_at, _("现场检查笔录"))
    if case is None:
        return windows
    timed(Act.HEARING, case.hearing_at, None, _("听证"))
    if case.hearing_at is None:
        day(Act.HEARING, case.hearing_held_on, _("听证日"))
    served = (
        (_("告知书送达日"), case.notice_served_on),
        (_("听证通知送达日"), case.hearing_notice_served_on),
        (_("决定书送达日"), case.served_on),
    )
    for basis, on in served:
        day(Act.SERVICE, on, basis)
    own = Q(case=case) | Q(case__origin=case)
    for seizure in Seizure.objects.filter(own):
        timed(Act.SEIZURE, seizure.started_at, None, _("当场实施查封扣押"))
        day(Act.SEIZURE, seizure.started_on, _("查封扣押实施日"))
    for measure in ProductionMeasure.objects.filter(own):
        day(Act.PRODUCTION, measure.started_on, _("限产停产起始日"))
    for closure in Closure.objects.filter(own):
        day(Act.CLOSURE, closure.started_on, _("停业关闭决定日"))
    return windows


def _span(start: dt.datetime, end: dt.datetime | None) -> str:
    start = timezone.localtime(start)
    return f"{start:%Y-%m-%d %H:%M}—{timezone.localtime(end):%H:%M}" if end else f"{start:%Y-%m-%d %H:%M}"
