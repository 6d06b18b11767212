from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Inspections as managed work (涉企行政检查): the items an agency may inspect on, 双随机 plans and draws, yearly
    caps, approval and notice, 扫码入企 codes with the enterprise's rating, and the officers' tasks."""

    name = "sanxiang.inspections"
    label = "inspections"

    def ready(self):
        from sanxiang.cases.hooks import inspection_admission
        from sanxiang.cases.models import EmergencyGround, Tier
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.core.references import SUBJECT_PAGES, SubjectPage
        from sanxiang.inspections import (
            approval_selectors,
            approvals,
            draw_results,
            draws,
            emergencies,
            feedback,
            feedback_selectors,
            plan_selectors,
            selectors,
        )
        from sanxiang.inspections.approval_models import Approval, ApprovalSource
        from sanxiang.inspections.feedback_models import ComplaintCategory
        from sanxiang.inspections.models import Method
        from sanxiang.inspections.plan_models import DrawTarget, Plan, Recusal, Result
        from sanxiang.inspections.services import LEDGER_ACTIONS
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES, INTERNAL_ACTIONS

        ACTION_LABELS.register(
            LEDGER_ACTIONS
            | draws.LEDGER_ACTIONS
            | draw_results.LEDGER_ACTIONS
            | approvals.LEDGER_ACTIONS
            | feedback.LEDGER_ACTIONS
        )
        inspection_admission.register(emergencies.admit)
        INTERNAL_ACTIONS.register(draw_results.INTERNAL_ACTIONS | feedback.INTERNAL_ACTIONS)
        FACT_WORDS.register(
            words_of(Method, "method", subject="inspections.inspectionitem")
            | words_of(Plan.Status, "status", subject="inspections.plan")
            | words_of(DrawTarget.Status, "status", subject="inspections.drawtarget")
            | words_of(Recusal.Kind, "kind", subject="inspections.recusal")
            | words_of(Result, "result")
            | words_of(Result, "counts")  # a plan's published results, counted by result
            | words_of(Tier, "percents")  # a plan's percentages, by tier
            | words_of(Approval.Status, "status", subject="inspections.approval")
            | words_of(ApprovalSource, "source", subject="inspections.approval")
            | words_of(EmergencyGround, "ground", subject="inspections.approval")
            | words_of(ComplaintCategory, "category", subject="inspections.inspectioncomplaint")
        )
        # what a document belongs to ("for": "inspections.approval:3")
        SUBJECT_PAGES.register(
            {
                "inspections.approval": SubjectPage(
                    _("检查审批"), approval_selectors.approval_get_for_user, "approval_id", "approvals:approval"
                )
            }
        )
        HISTORY_GATES.register(
            {
                "inspections.inspectionitem": (selectors.item_get_for_user, "item_id"),
                "inspections.inspectionrules": (selectors.rules_get_for_user, "rules_id"),
                "inspections.plan": (plan_selectors.plan_get_for_user, "plan_id"),
                "inspections.approval": (approval_selectors.approval_get_for_user, "approval_id"),
                # 扫码入企 feedback: only the supervisors above the inspecting unit, never the unit itself
                "inspections.inspectionrating": (feedback_selectors.feedback_get_for_user, "feedback_id"),
                "inspections.inspectioncomplaint": (feedback_selectors.complaint_get_for_user, "complaint_id"),
            }
        )
        self._register_tasks()

    def _register_tasks(self):
        """检查任务: the labels of its moves, the words of its codes, and the gate of its history."""
        from sanxiang.core.facts import FACT_WORDS, words_of
        from sanxiang.inspections import task_selectors, task_services
        from sanxiang.inspections.task_models import Task
        from sanxiang.ledger.vocabulary import ACTION_LABELS, HISTORY_GATES

        ACTION_LABELS.register(task_services.LEDGER_ACTIONS)
        FACT_WORDS.register(
            words_of(Task.Status, "status", subject="inspections.task")
            | words_of(Task.Source, "source", subject="inspections.task")
        )
        HISTORY_GATES.register({"inspections.task": (task_selectors.task_get_for_user, "task_id")})
