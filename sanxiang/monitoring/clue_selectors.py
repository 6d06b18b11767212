"""Reads of the clue side, each with its policy: the exceedances of the agencies the user may see, the detection runs
(their counts are the platform's; the periods withheld are shown only for points the user may see), the 第四十一条审核
of a case the user may see (404 otherwise), and the panel the case page shows."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.agencies.selectors import can_view
from sanxiang.cases.selectors import case_get_for_user
from sanxiang.monitoring.checklist import missing, monitoring_only
from sanxiang.monitoring.clue_actions import WORKFLOW
from sanxiang.monitoring.detection import CAUSE_LABELS
from sanxiang.monitoring.models import DetectionRun, EvidenceCheck, Exceedance, Point
from sanxiang.monitoring.party import party_url
from sanxiang.monitoring.pollutants import name_of


def exceedances_for_user(user, *, status: str = "") -> QuerySet[Exceedance]:
    """The exceedances of the agencies the user may see, newest period first."""
    rows = Exceedance.objects.visible_to(user).select_related("point__party", "device", "task", "case")
    return rows.filter(status=status) if status else rows


def exceedance_get_for_user(*, user, exceedance_id: int) -> Exceedance:
    exceedance = (
        Exceedance.objects.select_related("point__party", "device", "task", "agency").filter(pk=exceedance_id).first()
    )
    if exceedance is None or not can_view(user, exceedance.agency):
        raise Http404
    return exceedance


def runs_for_user(user, *, limit: int = 10) -> list[dict]:
    """The latest detection runs with their exclusions in words, and the periods each withheld at the points the
    user may see ("一次超标因企业标记时段未计入")."""
    runs = list(DetectionRun.objects.all()[:limit])
    point_ids = {row["point"] for run in runs for row in run.withheld}
    points = Point.objects.visible_to(user).filter(pk__in=point_ids).select_related("party").in_bulk()
    return [
        {
            "run": run,
            "excluded_minutes": [(CAUSE_LABELS.get(k, k), n) for k, n in sorted(run.excluded_minutes.items())],
            "excluded_hours": [(CAUSE_LABELS.get(k, k), n) for k, n in sorted(run.excluded_hours.items())],
            "withheld": [
                row
                | {
                    "point_label": str(points[row["point"]]),
                    "pollutant_name": name_of(row["pollutant"]),
                    "cause_label": CAUSE_LABELS.get(row["cause"], row["cause"]),
                    "start_local": timezone.localtime(dt.datetime.fromisoformat(row["start"])),
                }
                for row in run.withheld
                if row["point"] in points
            ],
        }
        for run in runs
    ]


def check_get_for_user(*, user, check_id: int) -> EvidenceCheck:
    """The checklist if the user may see its case (404 otherwise)."""
    check = (
        EvidenceCheck.objects.select_related("agency", "case", "records_reviewed_by", "manifest")
        .filter(pk=check_id)
        .first()
    )
    if check is None:
        raise Http404
    case_get_for_user(user=user, case_id=check.case_id)
    return check


def check_facts(check: EvidenceCheck) -> dict:
    """What the checklist page and panel show besides the record."""
    return {
        "check": check,
        "missing": missing(check),
        "only_monitoring": monitoring_only(check.case),
        "exceedances": Exceedance.objects.filter(case_id=check.case_id).select_related("point", "device"),
        "party_url": party_url(check),
    }


def check_panel(*, user, case) -> dict | None:
    """The hook cases.case_panels: the case's 第四十一条审核 with its steps, when the case has monitoring evidence."""
    check = EvidenceCheck.objects.filter(case=case).select_related("records_reviewed_by", "manifest").first()
    if check is None:
        return None
    actions = WORKFLOW.forms(user, check, initial={"version": check.version, **today_initial()})
    return {"template": "monitoring/clue_check_panel.html", "actions": actions, **check_facts(check)}


def today_initial() -> dict:
    day = timezone.localdate()
    return {"reviewed_on": day, "told_on": day, "invited_on": day}


def check_for_case(*, user, case_id: int) -> EvidenceCheck:
    """The checklist of a case the user may see (404 when it has none)."""
    case = case_get_for_user(user=user, case_id=case_id)
    check = EvidenceCheck.objects.select_related("case", "agency").filter(case=case).first()
    if check is None:
        raise Http404
    return check
