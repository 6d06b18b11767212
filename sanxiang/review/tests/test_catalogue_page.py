"""The agency's 法制审核目录清单 in the workbench: every member of staff reads the lines in force, the agency's
system administrators add and remove lines (the inherited list is copied first); bad input is refused in Chinese."""

import pytest
from django.urls import reverse

from sanxiang.ledger.models import Entry
from sanxiang.review import services
from sanxiang.review.catalogue import catalogue_for
from sanxiang.review.models import ReviewRule
from sanxiang.testing.catalogue import REVIEW_LINE
from sanxiang.testing.catalogues import add_lines_with_powers

# the session, the user and the menu, the catalogue's owner, the lines with their powers and the powers' agencies,
# the laws the citations link, and for its keepers the powers the form offers: none per line
QUERIES = 11


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("head", 403), ("reviewer", 403), ("officer", 403), ("clerk", 403)]
)
def test_only_the_agencys_system_administrators_change_its_catalogue(client, world, persona, status):
    client.force_login(getattr(world.people, persona))
    page = client.get(reverse("review:catalogue")).content.decode()
    assert "吊销许可证件" in page  # the province's line, by the penalty kind's name
    assert (reverse("review:catalogue-add") in page) is (status == 302)
    response = client.post(reverse("review:catalogue-add"), REVIEW_LINE)
    assert response.status_code == status
    descriptions = [line.description for line in catalogue_for(world.harbin)]
    assert ("对法人罚款十万元以上" in descriptions) is (status == 302)
    assert Entry.objects.filter(action="review_rule.add").exists() is (status == 302)


def test_a_penalty_kind_line_is_chosen_by_name_and_a_line_is_removed(client, world):
    inherited = len(catalogue_for(world.harbin))
    client.force_login(world.people.admin)
    line = REVIEW_LINE | {
        "kind": "penalty_kind",
        "amount": "",
        "penalty_kind": "restrict_practice",
        "description": "限制从业的决定",
    }
    assert client.post(reverse("review:catalogue-add"), line).status_code == 302
    own = catalogue_for(world.harbin)
    assert len(own) == inherited + 1 and {rule.agency_code for rule in own} == {"230100"}
    added = ReviewRule.objects.get(agency_code="230100", description="限制从业的决定")
    assert added.value == "restrict_practice"
    assert client.post(reverse("review:catalogue-remove", args=[added.pk])).status_code == 302
    assert len(catalogue_for(world.harbin)) == inherited
    assert Entry.objects.filter(action="review_rule.remove").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": ""}, "金额应为整数"),
        ({"kind": "penalty_kind", "amount": ""}, "请选择处罚种类"),
        ({"citation": ""}, "citation"),
    ],
)
def test_a_bad_line_is_refused_in_chinese_and_nothing_is_copied(client, world, changes, message):
    client.force_login(world.people.admin)
    response = client.post(reverse("review:catalogue-add"), REVIEW_LINE | changes)
    assert response.status_code == 400 and message in str(response.context["form"].errors)
    assert not ReviewRule.objects.filter(agency_code="230100").exists()


def test_an_inherited_line_is_not_removed_from_the_province(client, world):
    province_line = catalogue_for(world.harbin)[0]
    client.force_login(world.people.admin)
    response = client.post(reverse("review:catalogue-remove", args=[province_line.pk]), follow=True)
    assert "本机关目录中没有这一项" in response.content.decode()
    assert ReviewRule.objects.filter(pk=province_line.pk).exists()


def test_another_agencys_line_is_not_found_and_stays(client, world):
    theirs = services.review_rule_add(
        actor=None, agency=world.qiqihar, kind="manual", value="", description="齐市事项", citation="齐环规"
    )
    client.force_login(world.people.admin)
    assert client.post(reverse("review:catalogue-remove", args=[theirs.pk])).status_code == 404
    assert ReviewRule.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("persona", ["officer", "admin"])
def test_the_catalogue_page_takes_no_query_per_line(client, world, persona, django_assert_max_num_queries):
    lines = add_lines_with_powers(world.harbin, 6)
    client.force_login(getattr(world.people, persona))
    with django_assert_max_num_queries(QUERIES):
        page = client.get(reverse("review:catalogue")).content.decode()
    assert all(reverse("powers:detail", args=[line.power_id]) in page for line in lines)
