"""The demo's 检查任务: the draw's remaining targets as tasks, a complaint corrected with its reporter kept from the
officers, a task assigned by the province, and today's tasks on hrb.officer1's home page."""

import datetime as dt

from django.urls import reverse

from sanxiang.demo.agencies import load_agencies, load_staff
from sanxiang.demo.draws import load_draws
from sanxiang.demo.story import load_parties
from sanxiang.demo.tasks import load_tasks
from sanxiang.inspections.plan_models import Result
from sanxiang.inspections.task_models import Task
from sanxiang.testing.cases import at

TODAY = dt.date(2026, 12, 4)


def test_the_demo_tasks_are_built_through_the_services(db, client):
    with at(TODAY):
        agencies = load_agencies(today=TODAY)
        staff = load_staff(agencies=agencies, today=TODAY)
        load_parties()
        load_draws(today=TODAY)
        count = load_tasks(today=TODAY)
        assert load_tasks(today=TODAY) == 0  # loads once
    assert count == Task.objects.count() >= 5
    assert Task.objects.filter(source=Task.Source.RANDOM).exists()
    complaint = Task.objects.get(source=Task.Source.COMPLAINT)
    assert complaint.status == Task.Status.DONE and complaint.result == Result.ORDERED_TO_CORRECT
    assert Task.objects.get(source=Task.Source.ASSIGNED).reference
    with at(TODAY):
        client.force_login(staff["hrb.officer1"])
        home = client.get(reverse("web:home")).content.decode()
        assert "今日任务" in home
        for task in Task.objects.filter(source=Task.Source.MONITORING):
            assert task.due_on == TODAY and task.party.name in home
        page = client.get(reverse("tasks:task", args=[complaint.pk])).content.decode()
        assert complaint.party.name in page and "赵淑芬" not in page
        client.force_login(staff["hrb.head"])
        assert "赵淑芬" in client.get(reverse("tasks:task", args=[complaint.pk])).content.decode()
