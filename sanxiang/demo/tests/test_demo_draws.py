"""The demo's 双随机 plan: approved, drawn from the next checkpoint, two results published with a zero among the
counts, one left past its deadline for the head's home page — and recomputable by the outsider's script."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from sanxiang.demo.agencies import load_agencies, load_staff
from sanxiang.demo.draws import load_draws
from sanxiang.demo.story import load_parties
from sanxiang.inspections.feedback_selectors import complaints_for, ratings_for
from sanxiang.inspections.plan_models import Plan
from sanxiang.inspections.plan_selectors import draw_export, results_due
from sanxiang.testing.cases import at

TODAY = dt.date(2026, 12, 4)
SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"


def test_the_demo_draws_inspects_and_publishes_through_the_services(db, client, tmp_path):
    with at(TODAY):
        agencies = load_agencies(today=TODAY)
        staff = load_staff(agencies=agencies, today=TODAY)
        load_parties()
        drawn = load_draws(today=TODAY)
        assert load_draws(today=TODAY) == 0  # loads once
    plan = Plan.objects.get()
    assert drawn == plan.targets.count() >= 3 and plan.status == Plan.Status.DRAWN
    assert plan.published_counts | {"targets": 0} == {
        "targets": 0,
        "inspected": 2,
        "no_problem": 1,
        "ordered_to_correct": 1,
        "case_opened": 0,
    }
    [(due_plan, count, _due)] = results_due(staff["hrb.head"], today=TODAY)
    assert due_plan == plan and count == 1
    # 扫码入企: the enterprises' ratings and complaint, read by the province's supervisor, not by Harbin's head
    assert sorted(ratings_for(staff["hlj.supervisor"]).values_list("stars", flat=True)) == [4, 5]
    assert complaints_for(staff["hlj.supervisor"]).get().category == "repeated"
    assert not ratings_for(staff["hrb.head"]).exists()
    page = client.get(reverse("public-plans:agency", args=["230100"])).content.decode()
    assert plan.title in page
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(bytes(plan.commitment.body))
    draw = plan.draw
    command = [sys.executable, str(SCRIPT), str(plan_file), "--size", str(draw.checkpoint_size), "--root", draw.seed]
    output = subprocess.run([*command, "--json"], capture_output=True, text=True, check=True).stdout
    assert json.loads(output)["targets"] == draw_export(plan)["targets"]
