"""The decision a review is about, one adapter per kind of record: a case's major decision (处罚、强制、移送) or a major
licence decision (行政许可). The services, pages and API of a review are written once against this interface; what
differs — who handles the record and when it may be sent, its materials and pre-checks, who may not review it, the
opinion's document and where the outcome is written — is each adapter's.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.cases.models import Case, CollectiveDiscussion, Stage
from sanxiang.cases.selectors import case_document_fields
from sanxiang.cases.services import case_record_review_result
from sanxiang.licensing.models import Application
from sanxiang.licensing.services.machine import applicant_fields
from sanxiang.review import licence_materials, licence_prechecks, materials, selectors
from sanxiang.review.catalogue import licence_reasons
from sanxiang.review.models import Review
from sanxiang.review.prechecks import run_prechecks


class CaseSubject:
    """A case's decision (《行政处罚法》第五十八条); its outcome is also written on the case."""

    kind = "case"
    noun = gettext_lazy("本案")
    handlers_only = gettext_lazy("只有本案承办人或负责人可以送审、答复审核意见。")
    opinion_type = materials.OPINION
    labels = materials.LABELS
    # 《行政处罚法》第五十八条第二款 asks the 法律职业资格 of whoever first reviews penalty decisions.
    needs_qualification = True
    separation_citation = selectors.SEPARATION_CITATION

    def __init__(self, case: Case):
        self.record = case
        self.agency = case.agency

    def locked(self) -> CaseSubject:
        rows = Case.objects.select_for_update(of=("self",)).select_related("agency", "party", "violation")
        return CaseSubject(rows.get(pk=self.record.pk))

    def handled_by(self, user) -> bool:
        return selectors.is_handling_unit(user, self.record)

    def refuse_submission(self) -> None:
        case = self.record
        if case.stage != Stage.DECIDING:
            raise ValidationError(
                _("案件须复核完毕、拟作出的决定确定后才能送法制审核（当前阶段：%(stage)s）。")
                % {"stage": case.get_stage_display()},
                code="invalid_transition",
            )
        if not case.review_required:
            raise ValidationError(_("本案不属于本机关重大执法决定法制审核目录的范围。"), code="review_not_required")

    def refuse_resubmission(self) -> None:
        """A case is sent again as it stands: the handling unit corrected it where the opinion said."""

    def missing(self) -> list[str]:
        return materials.missing(self.record)

    def assemble(self) -> dict:
        return materials.assemble(self.record)

    def prechecks(self, today: dt.date) -> dict:
        return run_prechecks(self.record, today)

    def conflicts(self, user) -> list[str]:
        return selectors.conflicts(user, self.record)

    def document_fields(self) -> dict:
        return case_document_fields(self.record)

    def discussions(self) -> QuerySet[CollectiveDiscussion]:
        return self.record.discussions.all()

    def record_result(self, actor, *, passed: bool, reference: str) -> None:
        case_record_review_result(actor=actor, case=self.record, passed=passed, reference=reference)

    def new_review(self, **fields) -> Review:
        return Review(case=self.record, agency=self.agency, **fields)


class ApplicationSubject:
    """A major licence decision (黑环发〔2019〕112号 三(三)). Nothing is written on the application: the licence gate
    (licence_gate.py) reads the latest review when the head decides."""

    kind = "application"
    noun = gettext_lazy("本许可申请")
    handlers_only = gettext_lazy("只有本许可申请的审查人员或负责人可以送审、答复审核意见。")
    opinion_type = licence_materials.OPINION
    labels = licence_materials.LABELS
    # The 法律职业资格 of 《行政处罚法》第五十八条第二款 is asked of reviewers of penalty decisions only.
    needs_qualification = False
    separation_citation = "黑环发〔2019〕112号 三(三)3、4（承办机构与审核机构各负其责）"

    def __init__(self, application: Application):
        self.record = application
        self.agency = application.agency

    def locked(self) -> ApplicationSubject:
        rows = Application.objects.select_for_update(of=("self",)).select_related("agency", "licence_type")
        return ApplicationSubject(rows.get(pk=self.record.pk))

    def handled_by(self, user) -> bool:
        return selectors.is_application_handler(user, self.record)

    def refuse_resubmission(self) -> None:
        """The decision is still to be made, and its period runs: accepted, not paused, not decided."""
        application = self.record
        if application.status == Application.Status.PAUSED:
            raise ValidationError(
                _("许可申请正处于听证、专家评审等期限中止期间，恢复计算期限后才能送法制审核。"),
                code="invalid_transition",
            )
        if application.status != Application.Status.ACCEPTED:
            raise ValidationError(
                _("许可申请须受理后、作出决定前送法制审核（当前状态：%(status)s）。")
                % {"status": application.get_status_display()},
                code="invalid_transition",
            )

    def refuse_submission(self) -> None:
        self.refuse_resubmission()
        if not licence_reasons(self.record):
            raise ValidationError(
                _("该许可事项不属于本机关重大执法决定法制审核目录的范围。"), code="review_not_required"
            )

    def missing(self) -> list[str]:
        return licence_materials.missing(self.record)

    def assemble(self) -> dict:
        return licence_materials.assemble(self.record)

    def prechecks(self, today: dt.date) -> dict:
        return licence_prechecks.run_prechecks(self.record, today)

    def conflicts(self, user) -> list[str]:
        return selectors.application_conflicts(user, self.record)

    def document_fields(self) -> dict:
        return applicant_fields(self.record)

    def discussions(self) -> QuerySet[CollectiveDiscussion]:
        # a coordination of a licence review is the head's alone: the 集体讨论 of cases records a case's
        return CollectiveDiscussion.objects.none()

    def record_result(self, actor, *, passed: bool, reference: str) -> None:
        """Nothing to write: the application's gate reads the review itself."""

    def new_review(self, **fields) -> Review:
        return Review(application=self.record, agency=self.agency, **fields)


Subject = CaseSubject | ApplicationSubject


def subject_of(review: Review) -> Subject:
    return CaseSubject(review.case) if review.case_id else ApplicationSubject(review.application)
