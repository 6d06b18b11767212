"""The review itself (法制审核): submission, taking, extension, the written opinion, resubmission, contest and
coordination. Each is a move of REVIEW — locked, checked, applied and ledgered in one transaction. The same moves
serve a case's decision and a licence decision; what differs is read from the review's subject (subjects.py): a
case's outcome reaches it through cases.services.case_record_review_result, and the opinion is a document of the
case or of the application."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases import gates
from sanxiang.cases.models import Case, CollectiveDiscussion
from sanxiang.core.errors import RuleViolation
from sanxiang.core.rules import deadline, rule
from sanxiang.documents.services import document_issue
from sanxiang.documents.types import context_for
from sanxiang.ledger.transitions import NEW, Move, StateMachine
from sanxiang.licensing.models import Application
from sanxiang.review import materials
from sanxiang.review.models import ITEM_CODES, ITEMS, OPEN_STATUSES, Coordination, ItemResult, Review, Round
from sanxiang.review.selectors import require_handling_unit, reviewer_refusal
from sanxiang.review.subjects import ApplicationSubject, CaseSubject, Subject, subject_of

SEED = "黑环发〔2019〕112号 三(三)"

OPEN, AGREED, PROBLEMS = Review.Status.OPEN, Review.Status.AGREED, Review.Status.PROBLEMS
COORDINATION, OVERRULED = Review.Status.COORDINATION, Review.Status.OVERRULED


class ReviewMachine(StateMachine):
    def facts(self, record: Review) -> dict:
        """The number of what is reviewed: `case` for a case, `application` for a licence application."""
        return {record.subject_kind: record.subject_number, "version": record.version}


REVIEW = ReviewMachine(
    model=Review,
    prefix="review",
    related=("case", "application", "agency"),
    conflict=gettext_lazy("该法制审核已被他人处理（当前版本 %(now)d，您看到的是 %(seen)d），请刷新后重试。"),
    refused=gettext_lazy("该法制审核当前状态为“%(state)s”，不能进行此项操作。"),
    moves={
        "submit": Move({NEW}, OPEN, gettext_lazy("送法制审核")),
        "take": Move({OPEN}, None, gettext_lazy("领取法制审核")),
        "extend": Move({OPEN}, None, gettext_lazy("延长法制审核期限")),
        "opinion": Move({OPEN}, {AGREED, PROBLEMS}, gettext_lazy("出具法制审核意见")),
        "resubmit": Move({PROBLEMS}, OPEN, gettext_lazy("纠正后重新送审")),
        "contest": Move({PROBLEMS}, COORDINATION, gettext_lazy("对审核意见提出异议")),
        "coordinate": Move({COORDINATION}, {OVERRULED, PROBLEMS}, gettext_lazy("协调审核意见分歧")),
    },
)


def _today():
    return timezone.localdate()


def _commit(actor, review: Review, action: str, data: dict) -> Review:
    REVIEW.commit(actor, review, action, data)
    return review


def _new_round(actor, review: Review, subject: Subject, number: int, *, affirmed: bool, response: str = "") -> Round:
    """A submission: materials assembled from the case or application, the pre-checks run, the review period set."""
    if not affirmed:
        raise ValidationError({"affirmed": _("请确认承办机构对送审材料的真实性、准确性、完整性负责。")})
    gaps = subject.missing()
    if gaps:
        raise ValidationError(_("送审材料不完整，缺少：%(gaps)s。") % {"gaps": "、".join(gaps)}, code="incomplete")
    today = _today()
    due = deadline("review.workdays", today, subject.agency)
    return Round.objects.create(
        review=review,
        number=number,
        submitted_by=actor,
        submitted_at=timezone.now(),
        statement=str(materials.STATEMENT),
        response=response,
        materials=subject.assemble(),
        prechecks=subject.prechecks(today),
        due_on=due.date,
        due_provisional=due.provisional,
    )


@transaction.atomic
def review_submit(*, actor, case: Case, affirmed: bool) -> Review:
    """送审: the handling unit sends a case whose decision is settled for review, answering for its materials."""
    return _submit(actor, CaseSubject(case), affirmed=affirmed)


@transaction.atomic
def review_submit_application(*, actor, application: Application, affirmed: bool) -> Review:
    """送审: the handling unit (its officers, or a head) sends an accepted application whose licence decision the
    agency's catalogue names for review, before the head decides it, answering for its materials."""
    return _submit(actor, ApplicationSubject(application), affirmed=affirmed)


def _submit(actor, subject: Subject, *, affirmed: bool) -> Review:
    subject = subject.locked()  # two submissions of one record queue here
    require_handling_unit(actor, subject)
    subject.refuse_submission()
    taken = _("%(noun)s已有未办结的法制审核。") % {"noun": subject.noun}
    if subject.record.reviews.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(taken, code="review_open")
    try:
        with transaction.atomic():
            review = subject.new_review(opened_at=timezone.now())
            review.save()
    except IntegrityError:  # another submission got there first
        raise ValidationError(taken, code="review_open") from None
    REVIEW.start(review, "submit")
    first = _new_round(actor, review, subject, 1, affirmed=affirmed)
    return _commit(actor, review, "submit", {"round": 1, "due_on": first.due_on, "prechecks": first.precheck_counts})


def _latest(review: Review) -> Round:
    return review.rounds.select_for_update().order_by("-number").first()


@transaction.atomic
def review_take(*, actor, review: Review, reviewer=None, version: int | None = None) -> Review:
    """领取: a reviewer takes the latest round; a head may assign it to a reviewer instead."""
    review = REVIEW.lock(review, "take", version=version)
    reviewer = reviewer or actor
    if reviewer != actor:
        gates.require_head(actor, review.agency, _("指定法制审核人员"))
    reviewer_refusal(reviewer, subject_of(review))
    current = _latest(review)
    if current.reviewer_id and current.reviewer_id != actor.pk and reviewer == actor:
        raise ValidationError(
            _("第%(n)d轮已由 %(name)s 领取。") % {"n": current.number, "name": current.reviewer.full_name}, code="taken"
        )
    current.reviewer, current.taken_at = reviewer, timezone.now()
    current.save(update_fields=["reviewer", "taken_at"])
    return _commit(actor, review, "take", {"round": current.number, "reviewer": f"staff:{reviewer.pk}"})


@transaction.atomic
def review_extend(*, actor, review: Review, reason: str, version: int | None = None) -> Review:
    """A complex case: the head extends the review period of the current round, once, with the reason."""
    review = REVIEW.lock(review, "extend", version=version)
    gates.require_head(actor, review.agency, _("延长法制审核期限"))
    current = _latest(review)
    extension = rule("review.extension_workdays", review.agency)
    if current.extended:
        raise RuleViolation(_("本轮审核期限已延长过一次"), code="extension_twice", citation=extension.citation)
    if _today() > current.due_on:
        raise RuleViolation(_("审核期限已届满，不能再延长"), code="review_late", citation=extension.citation)
    if not reason.strip():
        raise ValidationError({"reason": _("请说明延长理由。")})
    due = deadline("review.extension_workdays", current.due_on, review.agency)
    current.due_on, current.due_provisional = due.date, due.provisional
    current.extended, current.extension_reason, current.extended_by = True, reason.strip(), actor
    current.save(update_fields=["due_on", "due_provisional", "extended", "extension_reason", "extended_by"])
    return _commit(actor, review, "extend", {"round": current.number, "due_on": current.due_on})


def _clean_items(items: dict) -> dict:
    """Each of the nine points with its result; a point with a problem must say what the problem is."""
    errors, cleaned = [], {}
    for code, label in ITEMS:
        entry = items.get(code) or {}
        result, comment = entry.get("result", ""), (entry.get("comment") or "").strip()
        if result not in ItemResult.values:
            errors.append(_("请对“%(item)s”作出审核结论。") % {"item": label})
        elif result == ItemResult.PROBLEM and not comment:
            errors.append(_("“%(item)s”存在问题的，请写明问题。") % {"item": label})
        cleaned[code] = {"result": result, "comment": comment}
    if set(items) - set(ITEM_CODES):
        errors.append(_("未知的审核事项：%(codes)s") % {"codes": ", ".join(sorted(set(items) - set(ITEM_CODES)))})
    if errors:
        raise ValidationError({"items": errors})
    return cleaned


@transaction.atomic
def review_record_opinion(
    *,
    actor,
    review: Review,
    items: dict,
    outcome: str,
    opinion: str,
    corrections: str = "",
    version: int | None = None,
) -> Round:
    """审核意见: the reviewer decides each of the nine points and gives 同意 or 存在问题 in a numbered 法制审核意见书."""
    review = REVIEW.lock(review, "opinion", version=version)
    subject = subject_of(review)
    reviewer_refusal(actor, subject)
    current = _latest(review)
    if current.reviewer_id and current.reviewer_id != actor.pk:
        raise ValidationError(
            _("第%(n)d轮由 %(name)s 审核，其他人员不能出具意见。")
            % {"n": current.number, "name": current.reviewer.full_name},
            code="taken",
        )
    items = _clean_items(items)
    problems = [code for code in ITEM_CODES if items[code]["result"] == ItemResult.PROBLEM]
    if outcome not in Round.Outcome.values:
        raise ValidationError({"outcome": _("请选择审核结论（同意或存在问题）。")})
    if outcome == Round.Outcome.PROBLEMS and not corrections.strip():
        raise RuleViolation(
            _("审核结论为存在问题的，应当写明需要纠正的问题"), code="corrections_required", citation=SEED + "3"
        )
    if outcome == Round.Outcome.PROBLEMS and not problems:
        raise ValidationError(
            _("审核结论为存在问题的，请在九项审核内容中标明存在问题的事项。"), code="no_problem_items"
        )
    if outcome == Round.Outcome.AGREE and problems:
        labels = "、".join(str(label) for code, label in ITEMS if code in problems)
        raise ValidationError(
            _("%(items)s 存在问题，审核结论不能为同意。") % {"items": labels}, code="agree_with_problems"
        )
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写审核意见。")})
    agreed = outcome == Round.Outcome.AGREE
    current.reviewer, current.taken_at = actor, current.taken_at or timezone.now()
    current.items, current.outcome, current.opinion = items, outcome, opinion.strip()
    current.corrections, current.decided_at = corrections.strip(), timezone.now()
    current.opinion_document = _opinion_document(actor, subject, current)
    current.save()
    review.status = Review.Status.AGREED if agreed else Review.Status.PROBLEMS
    review.closed_at = timezone.now() if agreed else None
    _commit(
        actor,
        review,
        "opinion",
        {
            "round": current.number,
            "outcome": outcome,
            "document": current.opinion_document.number,
            "problems": problems,
        },
    )
    subject.record_result(actor, passed=agreed, reference=f"review:{review.pk}:{current.number}")
    return current


def _opinion_document(actor, subject: Subject, current: Round):
    lines = [
        f"{index}. {label}：{ItemResult(current.items[code]['result']).label}"
        + (f"。{current.items[code]['comment']}" if current.items[code]["comment"] else "")
        for index, (code, label) in enumerate(ITEMS, start=1)
    ]
    text = _("审核结论：%(outcome)s。\n%(opinion)s") % {
        "outcome": Round.Outcome(current.outcome).label,
        "opinion": current.opinion,
    }
    if current.corrections:
        text += "\n" + _("需要纠正的问题：%(corrections)s\n请承办机构研究处理后再次报送法制审核。") % {
            "corrections": current.corrections
        }
    post = actor.get_review_post_display() if actor.review_post else actor.job_title
    fields = {
        "reviewer": f"{actor.full_name}（{post}）" if post else actor.full_name,
        "checklist": _("第%(n)d轮送审。") % {"n": current.number} + "\n" + "\n".join(lines),
        "opinion": text,
    }
    return document_issue(
        actor=actor,
        agency=subject.agency,
        doc_type_code=subject.opinion_type,
        subject=subject.record,
        issued_on=_today(),
        context=context_for(subject.opinion_type, subject.document_fields() | fields),
    )


@transaction.atomic
def review_resubmit(*, actor, review: Review, response: str, affirmed: bool, version: int | None = None) -> Review:
    """再次报送: the handling unit has corrected what the opinion named and sends the case again (a new round)."""
    review = REVIEW.lock(review, "resubmit", version=version)
    subject = subject_of(review).locked()
    require_handling_unit(actor, subject)
    subject.refuse_resubmission()
    if not response.strip():
        raise ValidationError({"response": _("请说明对上一轮审核意见的研究处理情况。")})
    number = _latest(review).number + 1
    current = _new_round(actor, review, subject, number, affirmed=affirmed, response=response.strip())
    review.status = Review.Status.OPEN
    return _commit(
        actor, review, "resubmit", {"round": number, "due_on": current.due_on, "prechecks": current.precheck_counts}
    )


@transaction.atomic
def review_contest(*, actor, review: Review, reason: str, version: int | None = None) -> Coordination:
    """异议: the handling unit disagrees with the opinion; the head in charge will coordinate (三(三)4)."""
    review = REVIEW.lock(review, "contest", version=version)
    require_handling_unit(actor, subject_of(review))
    current = _latest(review)
    if review.coordinations.filter(round=current).exists():
        raise ValidationError(_("本轮审核意见已经协调并予维持，请纠正后重新送审。"), code="already_coordinated")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明不同意审核意见的理由。")})
    coordination = Coordination.objects.create(
        review=review, round=current, contested_by=actor, reason=reason.strip(), contested_at=timezone.now()
    )
    review.status = Review.Status.COORDINATION
    _commit(actor, review, "contest", {"round": current.number})
    return coordination


@transaction.atomic
def review_coordinate(
    *,
    actor,
    review: Review,
    decision: str,
    note: str,
    discussion: CollectiveDiscussion | None = None,
    version: int | None = None,
) -> Coordination:
    """协调: the head in charge decides, or the heads decide together, whether the opinion stands."""
    review = REVIEW.lock(review, "coordinate", version=version)
    gates.require_head(actor, review.agency, _("协调法制审核意见分歧"))
    coordination = review.coordinations.select_for_update().get(decision="")
    if decision not in Coordination.Decision.values:
        raise ValidationError({"decision": _("请选择协调结果。")})
    if not note.strip():
        raise ValidationError({"note": _("请写明协调意见及理由。")})
    subject = subject_of(review)
    if discussion is not None and (
        not subject.discussions().filter(pk=discussion.pk).exists()
        or discussion.held_on < timezone.localdate(coordination.contested_at)
    ):
        raise ValidationError(
            {"discussion": _("请选择%(noun)s在提出异议之后召开的负责人集体讨论。") % {"noun": subject.noun}}
        )
    if discussion is None and actor is not None and actor.pk == coordination.contested_by_id:
        raise RuleViolation(
            _("提出异议的负责人不能自行协调，应由其他负责人协调或者提交负责人集体讨论"),
            code="coordinator_conflict",
            citation=SEED + "4",
        )
    coordination.decision, coordination.note, coordination.discussion = decision, note.strip(), discussion
    coordination.decided_by, coordination.decided_at = actor, timezone.now()
    coordination.save()
    overruled = decision == Coordination.Decision.OVERRULE
    review.status = Review.Status.OVERRULED if overruled else Review.Status.PROBLEMS
    review.closed_at = timezone.now() if overruled else None
    _commit(
        actor,
        review,
        "coordinate",
        {"round": coordination.round.number, "decision": decision, "collective": discussion is not None},
    )
    if overruled:
        subject.record_result(actor, passed=True, reference=f"review:{review.pk}:coordination:{coordination.pk}")
    return coordination
