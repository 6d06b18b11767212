"""检查任务 through the services and the workbench: registered, dispatched to two certified officers, started as an
on-site inspection, closed with its result; tasks from a draw once; the reporter kept from everyone but the heads;
every refusal in Chinese with nothing written."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.cases.models import Inspection, Tier
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.inspections import task_services
from sanxiang.inspections.plan_models import DrawTarget, Result
from sanxiang.inspections.task_models import Task, TaskReporter
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import log_size
from sanxiang.testing.approvals import EMERGENCY, approved
from sanxiang.testing.cases import make_party
from sanxiang.testing.checks import refused
from sanxiang.testing.draws import drawn, make_enterprises, make_plan
from sanxiang.testing.factories import make_certificate, make_staff

REPORTER = "王举报"
CONTACT = "13800001234"


def complaint(world, **overrides) -> Task:
    values = {
        "actor": world.people.officer,
        "agency": world.harbin,
        "party": make_party(world.harbin, division="230102"),
        "source": Task.Source.COMPLAINT,
        "description": "群众反映夜间排放刺激性气味废气",
        "reporter_name": REPORTER,
        "reporter_contact": CONTACT,
    }
    values.update(overrides)
    return task_services.task_create(**values)


def dispatched(world, task=None) -> Task:
    task = task or complaint(world)
    return task_services.task_dispatch(
        actor=world.people.head,
        task=task,
        officers=[world.people.officer, world.people.partner],
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )


def completed(world, task, *, violation_found=False) -> Task:
    start = earlier_today(dt.timedelta(hours=2))
    task = task_services.task_start(actor=world.people.officer, task=task, started_at=start, **EMERGENCY)
    cases.inspection_complete(
        actor=world.people.officer,
        inspection=task.inspection,
        ended_at=halfway_to_now(start),
        findings="废气处理设施未运行。" if violation_found else "污染防治设施正常运行。",
        violation_found=violation_found,
        signature="signed",
    )
    return Task.objects.get(pk=task.pk)


def entry_of(action: str) -> dict:
    return json.loads(Entry.objects.filter(action=action).latest("index").body)["data"]


def test_a_complaint_task_goes_from_registration_to_correction_with_an_entry_each_step(world):
    task = complaint(world)
    assert task.status == Task.Status.NEW and task.division == "230102"
    assert TaskReporter.objects.get(task=task).name == REPORTER
    facts = entry_of("task.create")
    assert facts["reporter"] is True and facts["source"] == "complaint"
    assert REPORTER not in Entry.objects.get(action="task.create").body.decode()
    assert CONTACT not in Entry.objects.get(action="task.create").body.decode()

    task = dispatched(world, task)
    assert task.status == Task.Status.DISPATCHED
    assert set(task.officers.all()) == {world.people.officer, world.people.partner}
    assert entry_of("task.dispatch")["certificates"] == sorted(
        [world.certificates.officer.number, world.certificates.partner.number]
    )

    # the inspection of a task begins on its approval like any other (行政检查审批), never on neither
    with pytest.raises(ValidationError, match="须先经负责人审批"):
        task_services.task_start(actor=world.people.partner, task=task)
    assert Task.objects.get(pk=task.pk).status == Task.Status.DISPATCHED
    approval = approved(head=world.people.head, officers=[world.people.officer, world.people.partner], party=task.party)
    task = task_services.task_start(
        actor=world.people.partner, task=task, started_at=earlier_today(dt.timedelta(hours=1)), approval=approval
    )
    assert task.status == Task.Status.IN_PROGRESS and task.inspection.approval == approval
    inspection = task.inspection
    assert inspection.party == task.party and inspection.place == task.party.address
    assert set(inspection.officers.all()) == {world.people.officer, world.people.partner}
    assert entry_of("task.start")["inspection"] == inspection.pk

    cases.inspection_complete(
        actor=world.people.partner,
        inspection=inspection,
        ended_at=timezone.now(),
        findings="废气收集装置破损。",
        violation_found=True,
        signature="signed",
    )
    task = task_services.task_close(
        actor=world.people.partner, task=task, result=Result.ORDERED_TO_CORRECT, note="责令 10 日内修复收集装置"
    )
    assert task.status == Task.Status.DONE and task.result_note == "责令 10 日内修复收集装置"
    assert entry_of("task.close")["result"] == Result.ORDERED_TO_CORRECT


def test_bad_input_is_refused_in_chinese_with_nothing_written(world):
    party, outside = make_party(world.harbin), make_party(world.qiqihar)
    size, tasks = log_size(), Task.objects.count()
    base = {"actor": world.people.officer, "agency": world.harbin, "party": party, "description": "核查"}
    with pytest.raises(ValidationError) as error:
        task_services.task_create(**base, source=Task.Source.ASSIGNED)
    assert "交办文号" in str(error.value.message_dict["reference"])
    with pytest.raises(ValidationError) as error:
        task_services.task_create(**base, source=Task.Source.MONITORING, reporter_name="某人")
    assert "reporter_name" in error.value.message_dict
    with pytest.raises(ValidationError):
        task_services.task_create(**base, source=Task.Source.RANDOM)
    with pytest.raises(ValidationError):
        task_services.task_create(**{**base, "description": " "}, source=Task.Source.MONITORING)
    with pytest.raises(ValidationError) as error:
        task_services.task_create(**{**base, "party": outside}, source=Task.Source.MONITORING)
    assert "监管范围" in str(error.value.message_dict["party"])
    assert (log_size(), Task.objects.count()) == (size, tasks)


def test_only_a_head_dispatches_and_only_to_two_certified_officers(world):
    task = complaint(world)
    uncertified = make_staff(agency=world.harbin, roles=["officer"], full_name="无证人员")
    size = log_size()
    due = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        task_services.task_dispatch(
            actor=world.people.officer, task=task, officers=[world.people.officer, world.people.partner], due_on=due
        )
    lone = refused(
        "too_few_officers",
        lambda: task_services.task_dispatch(
            actor=world.people.head, task=task, officers=[world.people.officer], due_on=due
        ),
    )
    assert "不得少于" in lone.message
    error = refused(
        "officer_not_certified",
        lambda: task_services.task_dispatch(
            actor=world.people.head, task=task, officers=[world.people.officer, uncertified], due_on=due
        ),
    )
    assert "无证人员" in error.message
    with pytest.raises(ValidationError):
        task_services.task_dispatch(
            actor=world.people.head,
            task=task,
            officers=[world.people.officer, world.people.partner],
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert log_size() == size and Task.objects.get(pk=task.pk).status == Task.Status.NEW


def test_only_an_officer_of_the_task_starts_it(world):
    task = dispatched(world)
    other = make_staff(agency=world.harbin, roles=["officer"])
    make_certificate(holder=other)
    size = log_size()
    refused("not_acting_officer", lambda: task_services.task_start(actor=other, task=task, **EMERGENCY))
    with pytest.raises(PermissionDenied):
        task_services.task_start(actor=world.people.head, task=task, **EMERGENCY)
    assert log_size() == size and not Inspection.objects.exists()


def test_a_task_is_closed_only_after_its_inspection_is_completed(world):
    task = task_services.task_start(actor=world.people.officer, task=dispatched(world), **EMERGENCY)
    size = log_size()
    refused(
        "inspection_not_completed",
        lambda: task_services.task_close(actor=world.people.officer, task=task, result=Result.NO_PROBLEM),
    )
    assert log_size() == size and Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS


def test_closing_checks_the_result_against_the_inspection(world):
    task = completed(world, dispatched(world), violation_found=True)
    outsider = make_staff(agency=world.harbin, roles=["officer"])
    size = log_size()
    close = task_services.task_close
    with pytest.raises(ValidationError) as error:
        close(actor=world.people.officer, task=task, result=Result.NO_PROBLEM)
    assert "未发现问题" in str(error.value.message_dict["result"])
    with pytest.raises(ValidationError) as error:
        close(actor=world.people.officer, task=task, result=Result.ORDERED_TO_CORRECT, note="")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        close(actor=world.people.officer, task=task, result=Result.CASE_OPENED)
    assert "case" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        close(actor=outsider, task=task, result=Result.ORDERED_TO_CORRECT, note="限期改正")
    assert log_size() == size


def test_a_case_opened_from_the_inspection_closes_the_task_and_carries_the_inspection(world):
    task = completed(world, dispatched(world), violation_found=True)
    day = timezone.localdate()
    case = cases.case_open(
        actor=world.people.officer,
        agency=world.harbin,
        party=task.party,
        title="未按规定运行废气处理设施案",
        source="inspection",
        act_date=day,
        discovered_on=day,
        inspection=task.inspection,
    )
    with pytest.raises(ValidationError):  # a case exists: the result is 立案查处
        task_services.task_close(actor=world.people.officer, task=task, result=Result.ORDERED_TO_CORRECT, note="改正")
    task = task_services.task_close(actor=world.people.head, task=task, result=Result.CASE_OPENED, case=case)
    assert task.case == case and case.inspection == task.inspection
    assert entry_of("task.close")["case"] == case.pk


def test_a_head_cancels_with_a_reason(world):
    task = dispatched(world)
    size = log_size()
    with pytest.raises(PermissionDenied):
        task_services.task_cancel(actor=world.people.officer, task=task, reason="重复登记")
    with pytest.raises(ValidationError):
        task_services.task_cancel(actor=world.people.head, task=task, reason="  ")
    assert log_size() == size
    task = task_services.task_cancel(actor=world.people.head, task=task, reason="与另一任务重复")
    assert task.status == Task.Status.CANCELLED and task.cancel_reason == "与另一任务重复"
    assert "与另一任务重复" not in Entry.objects.get(action="task.cancel").body.decode()


@pytest.fixture
def pool(world):
    for _ in range(2):
        make_certificate(holder=make_staff(agency=world.harbin, roles=["officer"]))


def test_tasks_from_a_draw_are_dispatched_to_the_drawn_pair_once(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 4})
    plan = drawn(world, make_plan(world, percents={"key": "100"}))
    tasks = task_services.tasks_from_draw(actor=world.people.head, draw=plan.draw)
    assert len(tasks) == plan.targets.count() == 4
    for task in tasks:
        target = DrawTarget.objects.select_related("first_certificate", "second_certificate").get(task=task)
        pair = {target.first_certificate.holder_id, target.second_certificate.holder_id}
        assert task.status == Task.Status.DISPATCHED and task.source == Task.Source.RANDOM
        assert {officer.pk for officer in task.officers.all()} == pair and task.due_on == plan.period_end
    assert Entry.objects.filter(action="task.draw").count() == 4
    size = log_size()
    refused("tasks_exist", lambda: task_services.tasks_from_draw(actor=world.people.head, draw=plan.draw))
    assert log_size() == size and Task.objects.count() == 4


def test_an_officer_cannot_make_tasks_from_a_draw(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 2})
    plan = drawn(world, make_plan(world, percents={"key": "100"}))
    with pytest.raises(PermissionDenied):
        task_services.tasks_from_draw(actor=world.people.officer, draw=plan.draw)
    assert not Task.objects.exists()


def test_closing_a_drawn_task_records_the_targets_result(world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 1})
    plan = drawn(world, make_plan(world, percents={"key": "100"}))
    [task] = task_services.tasks_from_draw(actor=world.people.head, draw=plan.draw)
    first = task.officers.order_by("pk").first()
    task = task_services.task_start(actor=first, task=task, **EMERGENCY)  # after the draw, now
    cases.inspection_complete(
        actor=first,
        inspection=task.inspection,
        ended_at=timezone.now() + dt.timedelta(minutes=2),
        findings="正常。",
        violation_found=False,
        signature="signed",
    )
    task_services.task_close(actor=first, task=Task.objects.get(pk=task.pk), result=Result.NO_PROBLEM)
    target = DrawTarget.objects.get(task=task)
    assert target.status == DrawTarget.Status.RECORDED and target.result == Result.NO_PROBLEM


# The workbench


def test_another_agencys_officer_gets_404(client, world):
    task = dispatched(world)
    client.force_login(world.people.outsider)
    assert client.get(reverse("tasks:task", args=[task.pk])).status_code == 404
    response = client.post(reverse("tasks:action", args=[task.pk, "start"]), {"version": task.version})
    assert response.status_code == 404
    assert task.party.name not in client.get(reverse("tasks:list")).content.decode()


def test_an_officer_cannot_dispatch_through_the_page(client, world):
    task = complaint(world)
    client.force_login(world.people.officer)
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert reverse("tasks:action", args=[task.pk, "dispatch"]) not in page and "等待他人办理" in page
    size = log_size()
    day = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("tasks:action", args=[task.pk, "dispatch"]),
        {"version": task.version, "officers": [world.people.officer.pk, world.people.partner.pk], "due_on": day},
    )
    assert response.status_code == 403 and log_size() == size


def test_a_head_dispatches_through_the_page(client, world):
    task = complaint(world)
    client.force_login(world.people.head)
    day = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("tasks:action", args=[task.pk, "dispatch"]),
        {"version": task.version, "officers": [world.people.officer.pk, world.people.partner.pk], "due_on": day},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == Task.Status.DISPATCHED
    response = client.post(
        reverse("tasks:action", args=[task.pk, "dispatch"]),
        {"version": task.version + 1, "officers": [world.people.officer.pk], "due_on": day},
    )
    assert response.status_code == 400 and "不得少于" in response.content.decode()


def test_the_reporter_is_shown_to_heads_only(client, world):
    task = dispatched(world)
    client.force_login(world.people.officer)
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert "群众反映" in page and REPORTER not in page and CONTACT not in page
    assert REPORTER not in client.get(reverse("tasks:list")).content.decode()
    history = client.get(reverse("audit:history", args=["inspections.task", task.pk])).content.decode()
    assert REPORTER not in history
    client.force_login(world.people.head)
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert REPORTER in page and CONTACT in page


def test_an_officer_registers_a_task_from_the_page(client, world):
    party = make_party(world.harbin)
    client.force_login(world.people.officer)
    assert client.get(reverse("tasks:create")).status_code == 200
    response = client.post(
        reverse("tasks:create"),
        {"uscc": party.uscc, "source": "assigned", "description": "省厅交办核查", "reference": ""},
    )
    assert response.status_code == 400 and "交办文号" in response.content.decode()
    response = client.post(
        reverse("tasks:create"),
        {"uscc": party.uscc, "source": "assigned", "description": "省厅交办核查", "reference": "黑环办〔2026〕8号"},
    )
    task = Task.objects.get()
    assert response.status_code == 302 and task.reference == "黑环办〔2026〕8号"
    client.force_login(world.people.reviewer)
    assert client.get(reverse("tasks:create")).status_code == 404


def test_the_officers_home_lists_todays_and_overdue_tasks(client, world):
    due_today = dispatched(world)
    later = task_services.task_dispatch(
        actor=world.people.head,
        task=complaint(world, party=make_party(world.harbin, name="哈尔滨远期检查企业有限公司")),
        officers=[world.people.officer, world.people.partner],
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    Task.objects.filter(pk=due_today.pk).update(due_on=timezone.localdate())
    client.force_login(world.people.officer)
    page = client.get(reverse("web:home")).content.decode()
    assert "今日任务" in page and due_today.party.name in page and later.party.name not in page
    assert reverse("tasks:list") in page
    client.force_login(world.people.reviewer)
    assert "今日任务" not in client.get(reverse("web:home")).content.decode()


def test_the_list_filters_by_status_and_area(client, world):
    near = complaint(world)
    far = complaint(world, party=make_party(world.harbin, name="呼兰区某企业有限公司", division="230111"))
    dispatched(world, far)
    client.force_login(world.people.head)
    page = client.get(reverse("tasks:list"), {"area": "230102"}).content.decode()
    assert near.party.name in page and far.party.name not in page
    page = client.get(reverse("tasks:list"), {"status": "dispatched"}).content.decode()
    assert far.party.name in page and near.party.name not in page


def test_the_list_and_the_task_name_the_district_not_its_code(client, world):
    task = complaint(world)
    client.force_login(world.people.head)
    page = client.get(reverse("tasks:list")).content.decode()
    assert "<td>哈尔滨市道里区</td>" in page and '<option value="230102">哈尔滨市道里区</option>' in page
    assert "<td>230102</td>" not in page
    assert "<dd>哈尔滨市道里区</dd>" in client.get(reverse("tasks:task", args=[task.pk])).content.decode()


def test_a_head_makes_the_tasks_of_a_draw_from_the_list(client, world, pool):
    make_enterprises(world.harbin, {Tier.KEY: 2})
    plan = drawn(world, make_plan(world, percents={"key": "100"}))
    client.force_login(world.people.officer)
    assert "按抽取结果生成任务" not in client.get(reverse("tasks:list")).content.decode()
    assert client.post(reverse("tasks:from-draw"), {"draw": plan.draw.pk}).status_code == 403
    assert not Task.objects.exists()
    client.force_login(world.people.head)
    assert "按抽取结果生成任务" in client.get(reverse("tasks:list")).content.decode()
    assert client.post(reverse("tasks:from-draw"), {"draw": plan.draw.pk}).status_code == 302
    assert Task.objects.count() == 2
    client.post(reverse("tasks:from-draw"), {"draw": plan.draw.pk})
    assert Task.objects.count() == 2
