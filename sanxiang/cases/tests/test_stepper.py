"""The case page shows where the case is in its procedure and what comes next, for this user and for others."""

import re

from django.urls import reverse

from sanxiang.cases.selectors import case_steps
from sanxiang.testing.cases import FILED, NOTIFIED, at, open_case, walk


def _steps(page: str) -> list[tuple[str, str]]:
    stepper = re.search(r'<ol class="stepper".*?</ol>', page, re.S).group(0)
    return re.findall(r'<li class="(\w+)"[^>]*>([^<]+)</li>', stepper)


def test_a_notified_case_shows_its_stages_done_current_and_to_come(client, world):
    case = walk(world, open_case(world), "notified")
    client.force_login(world.people.officer)
    with at(NOTIFIED):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    steps = _steps(page)
    assert steps[:4] == [("done", "案源登记"), ("done", "调查取证"), ("done", "案件审查"), ("current", "已事先告知")]
    assert all(state == "todo" for state, _ in steps[4:]) and steps[-1] == ("todo", "已归档")
    assert 'aria-current="step"' in page


def test_the_next_step_names_what_this_user_may_do_and_who_does_the_rest(client, world):
    case = open_case(world)
    client.force_login(world.people.officer)
    with at(FILED):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    next_step = re.search(r'<p class="next-step">(.*?)</p>', page, re.S).group(1)
    assert "立案" in next_step and "负责人" in next_step  # filing is the head's
    client.force_login(world.people.head)
    with at(FILED):
        page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    next_step = re.search(r'<p class="next-step">(.*?)</p>', page, re.S).group(1)
    assert "您可以" in next_step and 'href="#step-file"' in next_step and 'id="step-file"' in page


def test_a_case_not_filed_shows_the_clue_then_how_it_ended(world):
    from sanxiang.cases import services

    case = open_case(world)
    with at(FILED):
        case = services.case_not_file(actor=world.people.head, case=case, reason="经核查不属实")
    assert case_steps(case) == [("案源登记", "done"), ("不予立案", "current")]


def test_a_hearing_is_a_stage_only_where_one_was_offered(world):
    case = open_case(world)
    assert "听证" not in [label for label, _ in case_steps(case)]
    case.hearing_offered = True
    assert "听证" in [label for label, _ in case_steps(case)]
