"""Pre-disclosure (事前公开): collect → review → publish by the agency's own staff, versions and their public history,
withdrawal, and the portal sections computed from live data (officers, catalogue, discretion, flowcharts)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sanxiang.agencies import services as agencies
from sanxiang.agencies.services import rule_set
from sanxiang.cases import services as cases
from sanxiang.cases.models import Violation
from sanxiang.demo.agencies import load_agencies, load_staff
from sanxiang.demo.disclosures import load_disclosures
from sanxiang.disclosures import services
from sanxiang.disclosures.models import Disclosure, DisclosureVersion
from sanxiang.disclosures.selectors import auto_sections
from sanxiang.ledger.models import Entry
from sanxiang.powers import services as powers
from sanxiang.powers.models import PowerKind
from sanxiang.powers.selectors import powers_by_kind
from sanxiang.review import services as review
from sanxiang.testing.cases import at
from sanxiang.testing.catalogues import make_power
from sanxiang.testing.checks import refused

GUIDE = "排污许可证核发办事指南\n\n办理时限：自受理之日起二十日内作出决定。"


def collect(world, *, by=None, title="排污许可证核发办事指南", body=GUIDE, category="procedures"):
    return services.disclosure_collect(
        actor=by or world.people.officer, agency=world.harbin, category=category, title=title, body=body
    ).disclosure


def published(world, **fields) -> Disclosure:
    """An item the officer collected, the clerk reviewed and the head published."""
    disclosure = collect(world, **fields)
    services.disclosure_review(actor=world.people.clerk, disclosure=disclosure)
    services.disclosure_publish(actor=world.people.head, disclosure=disclosure)
    return Disclosure.objects.get(pk=disclosure.pk)


def correct(world, disclosure, *, body, note="更正办理时限", review=True) -> DisclosureVersion:
    text = services.disclosure_collect(
        actor=world.people.clerk, disclosure=disclosure, title=disclosure.title, body=body, note=note
    )
    if review:
        services.disclosure_review(actor=world.people.head, disclosure=disclosure)
    return text


def field_errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def actions(disclosure) -> list[tuple[str, bool]]:
    return list(
        Entry.objects.filter(subject_type="publicity.disclosure", subject_id=str(disclosure.pk))
        .order_by("index")
        .values_list("action", "public")
    )


def test_an_item_is_collected_reviewed_by_another_person_and_published_each_step_ledgered(world):
    disclosure = published(world)
    text = disclosure.versions.get()
    assert disclosure.status == Disclosure.Status.PUBLISHED and disclosure.version == 4
    assert (text.collected_by, text.reviewed_by, text.published_by) == (
        world.people.officer,
        world.people.clerk,
        world.people.head,
    )
    assert actions(disclosure) == [
        ("disclosure.collect", False),
        ("disclosure.review", False),
        ("disclosure.publish", True),
    ]
    entry = Entry.objects.get(index=text.ledger_index)
    assert entry.action == "disclosure.publish" and entry.public and entry.actor == f"staff:{world.people.head.pk}"


def test_nobody_reviews_what_they_collected_not_even_a_head(world):
    disclosure = collect(world, by=world.people.head)
    refused("same_person", lambda: services.disclosure_review(actor=world.people.head, disclosure=disclosure))
    assert actions(disclosure) == [("disclosure.collect", False)]
    text = disclosure.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the line too
        DisclosureVersion.objects.filter(pk=text.pk).update(
            reviewed_by=world.people.head, reviewed_at=text.collected_at
        )
    services.disclosure_review(actor=world.people.clerk, disclosure=disclosure)


@pytest.mark.parametrize("persona", ["officer", "partner", "reviewer", "admin"])
def test_only_heads_and_publicity_clerks_review_publish_and_withdraw(world, persona):
    disclosure = collect(world, by=world.people.clerk)
    actor = getattr(world.people, persona)
    with pytest.raises(PermissionDenied):
        services.disclosure_review(actor=actor, disclosure=disclosure)
    services.disclosure_review(actor=world.people.head, disclosure=disclosure)
    with pytest.raises(PermissionDenied):
        services.disclosure_publish(actor=actor, disclosure=disclosure)
    services.disclosure_publish(actor=world.people.clerk, disclosure=disclosure)
    with pytest.raises(PermissionDenied):
        services.disclosure_withdraw(actor=actor, disclosure=disclosure, reason="过时")
    assert Disclosure.objects.get(pk=disclosure.pk).status == Disclosure.Status.PUBLISHED


@pytest.mark.parametrize("persona", ["outsider", "county_officer", "province_admin"])
def test_staff_of_other_agencies_publish_nothing_for_this_one(world, persona):
    actor = getattr(world.people, persona)
    with pytest.raises(PermissionDenied):
        collect(world, by=actor)
    disclosure = collect(world)
    for move in (services.disclosure_review, services.disclosure_publish):
        with pytest.raises(PermissionDenied):
            move(actor=actor, disclosure=disclosure)
    assert Disclosure.objects.count() == 1 and actions(disclosure) == [("disclosure.collect", False)]


def test_an_unreviewed_text_is_not_published(world):
    disclosure = collect(world)
    refused("unreviewed", lambda: services.disclosure_publish(actor=world.people.head, disclosure=disclosure))
    refused("no_draft", lambda: services.disclosure_review(actor=world.people.head, disclosure=published(world)))
    assert Disclosure.objects.get(pk=disclosure.pk).status == Disclosure.Status.UNPUBLISHED


def test_bad_input_is_refused_in_chinese_and_leaves_nothing_behind(world):
    errors = field_errors(
        lambda: services.disclosure_collect(
            actor=world.people.officer, agency=world.harbin, category="procedures", title=" ", body=""
        )
    )
    assert errors == {"title": ["请填写标题。"], "body": ["请填写公开的内容。"]}
    assert "category" in field_errors(
        lambda: services.disclosure_collect(
            actor=world.people.officer, agency=world.harbin, category="secret", title="T", body="B"
        )
    )
    assert not Disclosure.objects.exists() and not Entry.objects.filter(action__startswith="disclosure.").exists()


def test_a_new_version_needs_a_public_note_and_collecting_again_needs_a_new_review(world):
    disclosure = published(world)
    assert "修改说明" in field_errors(lambda: correct(world, disclosure, body="新内容", note=""))["note"][0]
    correct(world, disclosure, body="第二稿")
    text = services.disclosure_collect(
        actor=world.people.officer,
        disclosure=disclosure,
        title="排污许可证核发办事指南",
        body="第三稿",
        note="更正办理时限",
    )
    assert (text.number, text.reviewed_at, disclosure.versions.count()) == (2, None, 2)  # replaced, not added
    refused("unreviewed", lambda: services.disclosure_publish(actor=world.people.head, disclosure=disclosure))


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    disclosure = collect(world)
    seen = disclosure.version
    services.disclosure_review(actor=world.people.clerk, disclosure=disclosure, version=seen)
    refused(
        "conflict", lambda: services.disclosure_publish(actor=world.people.head, disclosure=disclosure, version=seen)
    )
    assert Disclosure.objects.get(pk=disclosure.pk).status == Disclosure.Status.UNPUBLISHED
    services.disclosure_publish(actor=world.people.head, disclosure=disclosure, version=seen + 1)


def test_the_portal_shows_the_latest_published_version_and_its_public_history(client, world):
    with at(dt.date(2026, 3, 2)):
        disclosure = published(world)
    with at(dt.date(2026, 6, 1)):
        correct(world, disclosure, body="排污许可证核发办事指南（修订）\n\n办理时限：重点管理的三十日内。")
        services.disclosure_publish(actor=world.people.clerk, disclosure=disclosure)
    page = client.get("/disclosures/230100/").content.decode()
    assert "重点管理的三十日内" in page and "自受理之日起二十日内" not in page
    assert "发布单位：哈尔滨市生态环境局 · 发布日期：2026-06-01 · 第2版" in page
    history = client.get(f"/disclosures/230100/{disclosure.pk}/").content.decode()
    assert "2026-03-02" in history and "2026-06-01" in history and "更正办理时限" in history
    assert "自受理之日起二十日内" in history and "重点管理的三十日内" in history


def test_drafts_and_unreviewed_versions_never_reach_the_portal(client, world):
    draft = collect(world, title="年度双随机抽查计划（草稿）", body="草稿内容", category="random")
    disclosure = published(world)
    correct(world, disclosure, body="已审核未发布的内容")
    page = client.get("/disclosures/230100/").content.decode()
    assert "年度双随机抽查计划" not in page and "草稿内容" not in page and "已审核未发布的内容" not in page
    assert "自受理之日起二十日内" in page
    assert client.get(f"/disclosures/230100/{draft.pk}/").status_code == 404
    history = client.get(f"/disclosures/230100/{disclosure.pk}/").content.decode()
    assert "已审核未发布的内容" not in history and "第2版" not in history
    assert client.get(f"/disclosures/230200/{disclosure.pk}/").status_code == 404  # only under its own agency


def test_a_withdrawn_item_leaves_the_portal_until_a_new_version_is_published(client, world):
    disclosure = published(world)
    assert "reason" in field_errors(
        lambda: services.disclosure_withdraw(actor=world.people.clerk, disclosure=disclosure, reason=" ")
    )
    services.disclosure_withdraw(actor=world.people.clerk, disclosure=disclosure, reason="办事指南已过时")
    assert "自受理之日起二十日内" not in client.get("/disclosures/230100/").content.decode()
    assert client.get(f"/disclosures/230100/{disclosure.pk}/").status_code == 404
    assert actions(disclosure)[-1] == ("disclosure.withdraw", True)
    refused(
        "invalid_transition",
        lambda: services.disclosure_withdraw(actor=world.people.clerk, disclosure=disclosure, reason="再次"),
    )
    correct(world, disclosure, body="重新发布的指南", note="按新规定重新编写")
    services.disclosure_publish(actor=world.people.clerk, disclosure=disclosure)
    assert "重新发布的指南" in client.get("/disclosures/230100/").content.decode()


def test_the_officer_list_follows_the_certificates(client, world):
    page = client.get("/disclosures/230100/").content.decode()
    assert "李明" in page and f'href="/verify/officer/{world.certificates.officer.number}/"' in page
    assert "张丽华" in page
    agencies.certificate_revoke(actor=None, certificate=world.certificates.officer, reason="调离执法岗位")
    page = client.get("/disclosures/230100/").content.decode()
    assert world.certificates.officer.number not in page and "调离执法岗位" not in page
    with at(world.certificates.partner.expires_on + dt.timedelta(days=1)):
        assert "张丽华" not in client.get("/disclosures/230100/").content.decode()


def test_the_catalogue_discretion_and_review_catalogue_are_the_agencys_own(client, world):
    violation = Violation.objects.get(code="DQ-99")
    cases.discretion_factor_add(
        actor=world.people.admin,
        agency=world.harbin,
        name="超标倍数",
        levels=[("一倍以内", 0), ("三倍以上", 20)],
        citation="哈环规〔2026〕1号",
        violation=violation,
    )
    review.review_rule_add(
        actor=world.people.admin,
        agency=world.harbin,
        kind="fine_organisation",
        value="100000",
        description="对法人罚款十万元以上",
        citation="哈环规〔2026〕2号",
    )
    harbin = client.get("/disclosures/230100/").content.decode()
    assert "DQ-99" in harbin and violation.penalty_text in harbin and "超标倍数" in harbin and "三倍以上 +20%" in harbin
    assert "对法人罚款十万元以上" in harbin and "哈环规〔2026〕2号" in harbin
    qiqihar = client.get("/disclosures/230200/").content.decode()
    assert "DQ-99" in qiqihar and "超标倍数" not in qiqihar and "对法人罚款十万元以上" not in qiqihar
    assert "本机关适用黑龙江省生态环境厅公布的目录清单" in qiqihar


def test_the_flowcharts_show_the_time_limits_in_force_for_the_agency(client, world):
    page = client.get("/disclosures/230100/").content.decode()
    assert "行政处罚（一般程序）流程图" in page and "行政强制（查封、扣押）流程图" in page
    assert "收到一次陈述申辩不终止该期限）：<strong>5 个工作日</strong>" in page
    assert "应告知听证权利的较大数额罚款（法人、其他组织）：<strong>200,000 元</strong>" in page
    assert "申请行政复议的期限：<strong>60 日</strong>" in page
    rule_set(
        actor=None,
        key="hearing.large_fine_organisation",
        agency=world.harbin,
        value=100000,
        citation="黑龙江省地方规定（示例）",
    )
    assert "（法人、其他组织）：<strong>100,000 元</strong>" in client.get("/disclosures/230100/").content.decode()
    assert "（法人、其他组织）：<strong>200,000 元</strong>" in client.get("/disclosures/230200/").content.decode()


def test_the_portal_pages_need_no_login_and_list_the_six_categories_in_order(client, world):
    published(world)
    index = client.get("/disclosures/").content.decode()
    assert '<a href="/disclosures/230100/">哈尔滨市生态环境局</a>' in index
    page = client.get("/disclosures/230100/").content.decode()
    labels = [label for _value, label in Disclosure.Category.choices]
    positions = [page.index(f"{number}. {label}") for number, label in enumerate(labels, start=1)]
    assert positions == sorted(positions)
    assert client.get("/disclosures/999999/").status_code == 404
    assert client.post("/disclosures/230100/").status_code == 405


@pytest.mark.parametrize(
    "persona, status",
    [("officer", 200), ("head", 200), ("province_admin", 200), ("county_officer", 404), ("outsider", 404)],
)
def test_each_persona_sees_the_workbench_pages_of_its_scope_only(client, world, persona, status):
    disclosure = collect(world)
    client.force_login(getattr(world.people, persona))
    assert client.get("/workbench/disclosures/230100/").status_code == status
    assert client.get(f"/workbench/disclosures/items/{disclosure.pk}/").status_code == status
    history = client.get(f"/workbench/audit/history/publicity.disclosure/{disclosure.pk}/")
    assert history.status_code == status


def test_the_workbench_takes_an_item_from_collection_to_the_portal(client, world):
    client.force_login(world.people.officer)
    response = client.post(
        "/workbench/disclosures/230100/create",
        {"category": "supervision", "title": "监督方式和救济渠道", "body": "监督电话：12345"},
    )
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302 and response.url == f"/workbench/disclosures/items/{disclosure.pk}/"
    assert "审核通过" not in client.get(response.url).content.decode()  # not offered to the collector
    client.force_login(world.people.clerk)
    page = client.post(f"/workbench/disclosures/items/{disclosure.pk}/publish", {"version": disclosure.version})
    assert page.status_code == 400 and "未经审核，不得发布" in page.content.decode()
    client.post(f"/workbench/disclosures/items/{disclosure.pk}/review", {"version": disclosure.version})
    client.post(f"/workbench/disclosures/items/{disclosure.pk}/publish", {"version": disclosure.version + 1})
    assert "监督电话：12345" in client.get("/disclosures/230100/").content.decode()
    page = client.get(f"/workbench/disclosures/items/{disclosure.pk}/").content.decode()
    assert "李明" in page and world.people.clerk.full_name in page and "publicity.disclosure" in page


def test_a_refused_move_on_the_workbench_keeps_what_was_typed(client, world):
    disclosure = published(world)
    client.force_login(world.people.clerk)
    response = client.post(
        f"/workbench/disclosures/items/{disclosure.pk}/collect",
        {"version": disclosure.version, "title": "排污许可证核发办事指南", "body": "修订后的很长的指南"},
    )
    assert response.status_code == 400
    assert "修改说明" in response.content.decode() and "修订后的很长的指南" in response.content.decode()
    assert disclosure.versions.count() == 1


def test_a_page_seen_before_another_persons_move_gets_a_conflict(client, world):
    disclosure = collect(world)
    client.force_login(world.people.clerk)
    client.post(f"/workbench/disclosures/items/{disclosure.pk}/review", {"version": disclosure.version})
    response = client.post(f"/workbench/disclosures/items/{disclosure.pk}/publish", {"version": disclosure.version})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()


def test_a_province_administrator_sees_the_item_but_is_refused_the_moves(client, world):
    disclosure = collect(world)
    client.force_login(world.people.province_admin)
    page = client.get(f"/workbench/disclosures/items/{disclosure.pk}/").content.decode()
    assert "审核通过" not in page and "采集新版本" not in page
    response = client.post(f"/workbench/disclosures/items/{disclosure.pk}/review", {"version": disclosure.version})
    assert response.status_code == 403
    client.force_login(world.people.outsider)
    response = client.post(f"/workbench/disclosures/items/{disclosure.pk}/review", {"version": disclosure.version})
    assert response.status_code == 404


def test_the_demo_publishes_two_bureaus_items_with_a_correction_and_keeps_its_draft_off_the_portal(client, db):
    today = timezone.localdate()
    load_staff(agencies=load_agencies(today=today), today=today)
    assert load_disclosures(today=today) == 12 and load_disclosures(today=today) == 0
    versions = DisclosureVersion.objects.filter(published_at__isnull=False)
    assert versions.count() == 12 and not versions.filter(reviewed_by=F("collected_by")).exists()
    draft = Disclosure.objects.get(status=Disclosure.Status.UNPUBLISHED)
    harbin = client.get("/disclosures/230100/").content.decode()
    assert draft.title not in harbin and "排污许可证核发办事指南" in harbin and "哈尔滨北方精细化工有限公司" in harbin
    assert "向哈尔滨市人民政府申请行政复议" in harbin and "黑龙江省生态环境厅或者哈尔滨市人民政府" not in harbin
    corrected = Disclosure.objects.get(agency__code="230100", title="监督方式和救济渠道")
    history = client.get(f"/disclosures/230100/{corrected.pk}/").content.decode()
    assert "第2版" in history and "更正行政复议机关" in history and "黑龙江省生态环境厅或者哈尔滨市人民政府" in history
    assert "齐齐哈尔市生态环境局龙沙分局" in client.get("/disclosures/230200/").content.decode()


def test_the_api_lists_an_agencys_published_items_and_never_a_draft(world):
    from rest_framework.test import APIClient

    item = published(world)
    correct(world, item, body=GUIDE + "\n办理时限：20个工作日。", review=False)  # a second text, not yet published
    collect(world, title="2027年度双随机抽查计划", category="random")
    body = APIClient().get(f"/api/v1/public/agencies/{world.harbin.code}/disclosures").json()
    assert [(row["title"], row["version"], row["category"]) for row in body] == [
        ("排污许可证核发办事指南", 1, "procedures")
    ]
    assert "20个工作日" not in body[0]["body"] and body[0]["ledger_index"] is not None
    assert APIClient().get("/api/v1/public/agencies/999999/disclosures").status_code == 404


def test_the_powers_in_force_are_counted_by_kind_in_one_query(world, django_assert_num_queries):
    for kind in (PowerKind.PENALTY, PowerKind.PENALTY, PowerKind.INSPECTION, PowerKind.LICENSING):
        make_power(world.harbin, kind)
    powers.power_withdraw(actor=None, power=make_power(world.harbin, PowerKind.COERCION), reason="所依据的条例已修订")
    make_power(world.harbin, PowerKind.COERCION, published_on=dt.date(2099, 1, 1))
    make_power(world.qiqihar, PowerKind.COERCION)
    with django_assert_num_queries(1):
        counts = powers_by_kind(world.harbin)
    assert counts == [("行政处罚", 2), ("行政强制", 0), ("行政检查", 1), ("行政许可", 1)]
    sections = auto_sections(world.harbin, today=timezone.localdate())
    assert [(str(label), n) for label, n in sections["power_kinds"]] == counts
