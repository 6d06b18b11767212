"""Evidence added after the legal review agreed: the uploader is warned before, the reviewer and the handling unit
are told after, and the decision waits for a new review."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sanxiang.evidence.selectors import cases_with_cleared_review
from sanxiang.testing.cases import DECIDED, at, open_case, walk
from sanxiang.testing.reviews import add_evidence, pass_review, submit
from sanxiang.web.models import Notification

WARNING = "本案的法制审核已经同意"


@pytest.fixture
def reviewed(world):
    """A 200,000 yuan fine whose review agreed."""
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        review = pass_review(world, case)
    return case, review


def test_the_upload_page_warns_while_an_agreed_review_covers_the_evidence(client, world, reviewed):
    case, _review = reviewed
    client.force_login(world.people.officer)
    with at(DECIDED):
        assert WARNING in client.get(reverse("evidence:case", args=[case.pk])).content.decode()
        add_evidence(world, case, name="补充监测报告.pdf")
        # the agreement no longer covers the file: nothing left to warn about until a new review agrees
        assert WARNING not in client.get(reverse("evidence:case", args=[case.pk])).content.decode()


def test_the_reviewer_and_the_handling_unit_are_told_once_and_the_uploader_is_not(world, reviewed):
    case, review = reviewed
    with at(DECIDED):
        item = add_evidence(world, case, name="补充监测报告.pdf")
    reviewer = review.rounds.get().reviewer
    told = set(Notification.objects.filter(key__contains=":voided:").values_list("user_id", flat=True))
    assert told == {reviewer.pk, world.people.partner.pk}  # the officer who added it knows already
    note = Notification.objects.get(user=reviewer)
    assert case.number in note.title and "须重新送审" in note.title and str(item.number) in note.title
    assert note.url == reverse("cases:case-detail", args=[case.pk])
    with at(DECIDED):
        add_evidence(world, case, name="再补充的照片.pdf")  # the review is void already: no second round of alerts
    assert Notification.objects.filter(key__contains=":voided:").count() == 2


def test_no_warning_or_alert_without_an_agreed_review(client, world):
    case = walk(world, open_case(world), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        submit(world, case)  # sent for review, not yet agreed
        assert cases_with_cleared_review(case=case, inspection=None) == []
        add_evidence(world, case, name="补充监测报告.pdf")
    assert not Notification.objects.filter(key__contains=":voided:").exists()
