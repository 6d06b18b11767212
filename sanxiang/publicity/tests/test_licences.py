"""Licence decisions made here (行政许可): each grant, change and renewal — deemed ones too — opens its own 双公示
publication in the decision's transaction, due 7 working days later; a recall or revocation withdraws what was
published and withholds what was not; the on-time rates count licences apart from penalties."""

import datetime as dt

import pytest

from sanxiang.agencies.models import Agency
from sanxiang.core.rules import deadline
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import SYSTEM
from sanxiang.licensing import services as licensing
from sanxiang.licensing.models import Application, Licence
from sanxiang.publicity import layouts, selectors, texts
from sanxiang.publicity.models import Publication
from sanxiang.testing.cases import at
from sanxiang.testing.checks import refused
from sanxiang.testing.licensing import GRANT, USCC, accepted, granted, make_type
from sanxiang.testing.opendata import ADULT, MINOR
from sanxiang.testing.publicity import decided, publish

ACCEPTED_ON, GRANTED_ON = dt.date(2026, 9, 28), dt.date(2026, 9, 30)
PERSON = {
    "applicant_uscc": "",
    "applicant_id_number": ADULT,
    "applicant_name": "张建国",
    "applicant_address": "哈尔滨市道里区友谊路108号",
}


def grant(world, licence_type=None, *, accepted_on=ACCEPTED_ON, granted_on=GRANTED_ON, **applicant) -> Licence:
    """A 环评报告表 approval (unless told otherwise) accepted on 28 and granted on 30 September 2026."""
    licence_type = licence_type or make_type(world.harbin)
    return granted(world, licence_type, accepted_on=accepted_on, granted_on=granted_on, **applicant)


def test_a_grant_opens_a_draft_licence_publication_due_seven_working_days_after_the_national_day_holiday(world):
    licence = grant(world)
    publication = Publication.objects.get(licence=licence)
    document = licence.application.decision_document
    assert (publication.kind, publication.source, publication.status) == ("licence", "licence", "draft")
    assert publication.number == document.number and publication.document == document
    # 1–7 October are the holiday and 10 October a worked Saturday: 8, 9, 10, 12, 13, 14, 15 October
    assert publication.decided_on == GRANTED_ON and publication.due_on == dt.date(2026, 10, 15)
    assert publication.due_on == deadline("publication.licence_workdays", GRANTED_ON, world.harbin).date
    assert sorted(publication.summary) == sorted(layouts.LICENCE.fields)  # jsonb keeps no order
    assert {key: value for key, value in publication.summary.items() if value} == {
        "行政相对人名称": "哈尔滨松江化工有限公司",
        "行政相对人类别": "法人及非法人组织",
        "行政相对人代码_1(统一社会信用代码)": USCC,
        "行政许可决定文书名称": "准予行政许可决定书",
        "行政许可决定文书号": document.number,
        "许可类别": "核准",
        "许可证书名称": "环境影响报告表批复",
        "许可编号": licence.number,
        "许可内容": GRANT,
        "许可决定日期": "2026-09-30",
        "有效期自": "2026-09-30",
        "有效期至": "2099-12-31",  # no term: long-term, as the layout writes it
        "许可机关": "哈尔滨市生态环境局",
        "许可机关统一社会信用代码": world.harbin.uscc,
        "当前状态": "有效",
        "数据来源单位": "哈尔滨市生态环境局",
        "数据来源单位统一社会信用代码": world.harbin.uscc,
    }
    first = publication.versions.get()
    assert document.number in first.original and licence.number in first.original and first.published_at is None
    entry = Entry.objects.get(action="publication.open", subject_id=str(publication.pk))
    assert not entry.public and '"source":"licence"' in bytes(entry.body).decode()
    # published, a licence without a term stays on the portal
    with at(dt.date(2026, 10, 9)):
        publish(world, publication)
    publication.refresh_from_db()
    assert publication.status == "published" and publication.display_until is None


def test_a_licence_with_a_term_is_shown_until_it_ends(world):
    licence = grant(world, make_type(world.harbin, validity_years=5, renewable=True))
    publication = Publication.objects.get(licence=licence)
    assert licence.valid_to == dt.date(2031, 9, 29) and publication.summary["有效期至"] == "2031-09-29"
    with at(dt.date(2026, 10, 9)):
        publish(world, publication)
    publication.refresh_from_db()
    assert publication.display_until == dt.date(2031, 9, 29)


def test_the_grant_and_its_publication_stand_or_fall_together(world, monkeypatch):
    licence_type = make_type(world.harbin)
    with at(ACCEPTED_ON):
        application = accepted(world.people.officer, licence_type)

    def broken(*args, **kwargs):
        raise RuntimeError("summary failed")

    monkeypatch.setattr(texts, "licence_summary", broken)
    with at(GRANTED_ON), pytest.raises(RuntimeError):
        licensing.application_grant(actor=world.people.head, application=application, content=GRANT)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED and application.decision_document is None
    assert not Licence.objects.exists() and not Publication.objects.exists()
    assert not Entry.objects.filter(action__in=["licence_application.grant", "licence.issue"]).exists()


def test_an_individual_applicants_id_number_and_address_never_reach_the_public(client, world):
    licence = grant(world, **PERSON)
    publication = Publication.objects.get(licence=licence)
    summary = publication.summary
    assert (summary["行政相对人类别"], summary["证件类型"], summary["证件号码"]) == ("自然人", "身份证", "")
    assert summary["行政相对人代码_1(统一社会信用代码)"] == "" and publication.party_kind == "自然人"
    draft = publication.versions.get()
    assert ADULT in draft.original and PERSON["applicant_address"] in draft.original  # the staff side keeps them
    assert ADULT not in draft.public_text and PERSON["applicant_address"] not in draft.public_text
    assert {span["kind"] for span in draft.masks} == {"id_number", "address"}
    assert "张建国" in draft.public_text  # the licensee is named, as a punished person is
    with at(dt.date(2026, 10, 9)):
        publish(world, publication)
        page = client.get(f"/decisions/{publication.pk}/").content.decode()
        text = client.get(f"/decisions/{publication.pk}/v1.txt").content.decode()
        api = client.get(f"/api/v1/public/decisions/{publication.pk}").content.decode()
    assert publication.number in page and "张建国" in page
    for shown in (page, text, api):
        assert ADULT not in shown and PERSON["applicant_address"] not in shown


def test_a_minors_licence_is_withheld_from_the_internet(world):
    licence = grant(world, **(PERSON | {"applicant_id_number": MINOR, "applicant_name": "王小明"}))
    publication = Publication.objects.get(licence=licence)
    assert publication.status == "withheld" and "未成年人" in publication.withheld_reason


def _changed(world, licence: Licence) -> Publication:
    """A change of `licence` granted three weeks after it: a new decision, with its own number and publication."""
    with at(dt.date(2026, 10, 19)):
        application = accepted(
            world.people.officer, licence.licence_type, kind=Application.Kind.CHANGE, licence=licence
        )
    with at(dt.date(2026, 10, 21)):
        licensing.application_grant(actor=world.people.head, application=application, content="变更建设地点。")
    application.refresh_from_db()
    return Publication.objects.get(document=application.decision_document)


@pytest.mark.parametrize(
    ("end", "ground", "words"),
    [(licensing.licence_recall, "facts_changed", "撤回"), (licensing.licence_revoke, "fraud", "撤销")],
)
def test_a_recall_or_revocation_withdraws_the_published_decisions_and_withholds_the_drafts(
    client, world, end, ground, words
):
    licence = grant(world)
    first = Publication.objects.get(licence=licence)
    with at(dt.date(2026, 10, 9)):
        publish(world, first)
    change = _changed(world, licence)
    assert change.number != first.number and change.licence == licence and change.status == "draft"
    assert change.summary["许可内容"] == "变更建设地点。" and change.summary["备注"] == "行政许可变更"
    reason = "经核查，被许可人提交的监测报告系伪造，区域规划亦已调整。" * 12  # longer than a withheld reason holds
    with at(dt.date(2026, 11, 2)):
        end(actor=world.people.head, licence=licence, ground=ground, reason=reason)
    first.refresh_from_db()
    change.refresh_from_db()
    assert first.status == "withdrawn" and first.changed_on == dt.date(2026, 11, 2)
    assert first.withdrawal_reason.startswith(f"该行政许可已依法{words}：经核查")
    assert first.withdraw_due_on == dt.date(2026, 11, 5)  # three working days (《行政处罚法》第四十八条)
    assert Entry.objects.get(action="publication.withdraw", subject_id=str(first.pk)).public
    assert selectors.public_get(first.pk) == first and selectors.public_search(text="松江") == []
    assert change.status == "withheld" and change.withheld_reason.startswith(f"该行政许可已依法{words}")
    client.force_login(world.people.clerk)
    staff = client.get(f"/workbench/publicity/{change.pk}/").content.decode()
    assert licence.number in staff and f"已{words}" in staff and "依法不予网上公开" in staff
    assert len(change.withheld_reason) == 300  # the whole reason stays on the licence and its decision
    with at(dt.date(2026, 11, 3)):
        refused("invalid_transition", lambda: publish(world, change))
    client.logout()
    notice = client.get(f"/decisions/{first.pk}/").content.decode()
    assert f"作出的行政许可决定（{first.number}）已被撤回或者撤销" in notice and "第六十九条" in notice
    assert f"{first.number} 号" not in notice and "第四十八条" not in notice


def test_a_withdrawal_is_refused_with_the_recall_when_a_publication_cannot_be_taken_down(world, monkeypatch):
    from sanxiang.publicity.services import lifecycle

    licence = grant(world)
    with at(dt.date(2026, 10, 9)):
        publish(world, Publication.objects.get(licence=licence))

    def broken(*args, **kwargs):
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(lifecycle.search, "unindex", broken)
    with at(dt.date(2026, 11, 2)), pytest.raises(RuntimeError):
        licensing.licence_recall(actor=world.people.head, licence=licence, ground="law_changed", reason="条例已废止")
    licence.refresh_from_db()
    assert licence.status == Licence.Status.VALID and licence.end_document is None
    assert Publication.objects.get(licence=licence).status == "published"


def test_a_renewal_deemed_granted_is_published_as_a_decision_of_its_own(world):
    licence = grant(
        world,
        make_type(world.harbin, validity_years=1, renewable=True),
        accepted_on=dt.date(2026, 1, 5),
        granted_on=dt.date(2026, 1, 6),
    )
    assert licence.valid_to == dt.date(2027, 1, 5)
    with at(dt.date(2026, 11, 20)):
        accepted(world.people.officer, licence.licence_type, kind=Application.Kind.RENEWAL, licence=licence)
    with at(dt.date(2027, 1, 6)):
        assert licensing.applications_deem_renewed(on=dt.date(2027, 1, 6)) == 1
    renewal = Publication.objects.exclude(number=Publication.objects.get(decided_on=dt.date(2026, 1, 6)).number).get()
    assert renewal.licence_id == licence.pk and renewal.source == "licence" and renewal.status == "draft"
    assert renewal.decided_on == dt.date(2027, 1, 6)
    assert renewal.due_on == deadline("publication.licence_workdays", dt.date(2027, 1, 6), world.harbin).date
    assert renewal.due_on == dt.date(2027, 1, 15)
    assert renewal.summary["有效期至"] == "2028-01-05" and "视为准予延续" in renewal.summary["备注"]
    assert "第五十条第二款" in renewal.summary["备注"]
    assert Entry.objects.get(action="publication.open", subject_id=str(renewal.pk)).actor == SYSTEM


def test_licence_decisions_count_in_the_on_time_rates_apart_from_penalties(client, world):
    licence_type = make_type(world.harbin)
    on_time = Publication.objects.get(licence=grant(world, licence_type))
    late = Publication.objects.get(
        licence=grant(world, licence_type, accepted_on=dt.date(2026, 10, 9), granted_on=dt.date(2026, 10, 12))
    )
    assert late.due_on == dt.date(2026, 10, 21)
    with at(dt.date(2026, 10, 15)):  # the last day
        publish(world, on_time)
    with at(dt.date(2026, 10, 22)):  # a day late
        publish(world, late)
    decided(world)  # a penalty decision of 12 October, due 21 October, never published
    day = dt.date(2026, 11, 2)
    with at(day):
        rows = selectors.compliance(Agency.objects.filter(pk=world.harbin.pk), today=day, year=2026)
        statistics = client.get("/statistics/", {"year": "2026"}).content.decode()
        api = client.get("/api/v1/public/compliance", {"year": 2026}).json()
        client.force_login(world.people.clerk)
        desk = client.get("/workbench/publicity/").content.decode()
    row = rows[0]
    assert (row["due"], row["on_time"], row["late"], row["missing"], row["rate"]) == (3, 1, 1, 1, 0.333)
    assert [(kind["kind"], kind["due"], kind["on_time"], kind["late"], kind["missing"]) for kind in row["kinds"]] == [
        ("penalty", 1, 0, 0, 1),
        ("licence", 2, 1, 1, 0),
    ]
    assert [kind["rate"] for kind in row["kinds"]] == [0.0, 0.5]
    harbin = next(entry for entry in api if entry["code"] == world.harbin.code)
    assert [(kind["kind"], kind["label"], kind["rate"]) for kind in harbin["kinds"]] == [
        ("penalty", "行政处罚", 0.0),
        ("licence", "行政许可", 0.5),
    ]
    for page in (statistics, desk):
        assert "行政许可按时率" in page and "行政处罚按时率" in page
        assert "50%（1 / 2）" in page and "0%（0 / 1）" in page
