"""The workbench of 行政许可 as each persona meets it: the window's list with its filters and coloured deadlines, an
application registered at the window, the application's page with the steps offered to whom the machine accepts
(查审分离: reviewers and clerks take none, only heads decide or extend), refusals shown again with what was typed
and the article, the licences, the licence types kept only by their keepers, the home page's line and the command."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from sanxiang.demo.codes import demo_uscc
from sanxiang.ledger.models import Entry
from sanxiang.licensing import services
from sanxiang.licensing.models import Application, Licence, LicenceType
from sanxiang.licensing.services.types import TYPE_FIELDS
from sanxiang.testing.licensing import APPLICANT, accepted, make_type, submit

MONDAY = "2026-11-23 09:00 +0800"
APPLY = {"kind": "new", **APPLICANT}


def application_url(application, action=""):
    if action:
        return reverse("licensing:application-action", args=[application.pk, action])
    return reverse("licensing:application", args=[application.pk])


def entries(record, action):
    subject = "licensing.application" if isinstance(record, Application) else "licensing.licence"
    return Entry.objects.filter(subject_type=subject, subject_id=str(record.pk), action=action).count()


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def kind(world):
    return make_type(world.harbin)


def test_an_officer_of_another_city_gets_404_and_does_not_see_it_listed(client, world, kind):
    application = submit(world.people.officer, kind)
    client.force_login(world.people.outsider)
    assert client.get(application_url(application)).status_code == 404
    assert client.post(application_url(application, "accept"), {"version": application.version}).status_code == 404
    assert application.number not in text(client.get(reverse("licensing:window")))
    assert client.get(reverse("licensing:new-for-type", args=[kind.pk])).status_code == 404
    assert Application.objects.get(pk=application.pk).status == Application.Status.RECEIVED


@pytest.mark.parametrize("persona", ["reviewer", "clerk"])
def test_reviewers_and_clerks_are_neither_offered_nor_allowed_the_officers_steps(client, world, kind, persona):
    application = submit(world.people.officer, kind, materials=["M1"])
    client.force_login(getattr(world.people, persona))
    page = text(client.get(application_url(application)))
    for step in ("supplement_request", "accept", "reject", "withdraw"):
        assert application_url(application, step) not in page
    assert "等待他人办理" in page and "受理许可申请" in page
    for step, data in (("accept", {}), ("supplement_request", {"items": ["M2"]})):
        response = client.post(application_url(application, step), {"version": application.version, **data})
        assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Application.Status.RECEIVED
    assert entries(application, "licence_application.accept") == 0
    # nor do they register an application at the window
    assert reverse("licensing:new") not in text(client.get(reverse("licensing:window")))
    assert client.get(reverse("licensing:new")).status_code == 403


def test_only_heads_are_offered_and_allowed_the_decision_and_the_extension(client, world, kind):
    application = accepted(world.people.officer, kind)
    decisions = ("grant", "refuse", "extend")
    client.force_login(world.people.officer)
    page = text(client.get(application_url(application)))
    assert application_url(application, "examine") in page
    assert not [step for step in decisions if application_url(application, step) in page]
    response = client.post(application_url(application, "grant"), {"version": application.version, "content": "准予"})
    assert response.status_code == 403
    client.force_login(world.people.head)
    page = text(client.get(application_url(application)))
    assert all(application_url(application, step) in page for step in decisions)
    assert Application.objects.get(pk=application.pk).status == Application.Status.ACCEPTED


def test_what_stands_in_the_way_of_the_decision_is_shown_beside_it(client, world):
    application = accepted(world.people.officer, make_type(world.harbin, site_check=True))
    for persona in ("head", "officer"):
        client.force_login(getattr(world.people, persona))
        page = text(client.get(application_url(application)))
        assert "本事项需要现场核查" in page and "第三十四条" in page, persona
    response = client.post(
        application_url(application, "examine"),
        {"version": application.version, "kind": "materials", "findings": "材料齐全"},
    )
    assert response.status_code == 302
    client.force_login(world.people.head)
    response = client.post(
        application_url(application, "grant"), {"version": application.version + 1, "content": "同意"}
    )
    assert response.status_code == 400 and "本事项需要现场核查" in text(response)
    assert Application.objects.get(pk=application.pk).status == Application.Status.ACCEPTED


def test_accepting_with_a_required_material_missing_is_refused_with_article_32(client, world, kind):
    application = submit(world.people.officer, kind, materials=["M1"])
    client.force_login(world.people.officer)
    page = text(client.get(application_url(application)))
    assert "尚缺的必须材料" in page and "建设项目环境影响报告表（全本）" in page
    response = client.post(application_url(application, "accept"), {"version": application.version})
    assert response.status_code == 400
    page = text(response)
    assert "申请材料不齐全" in page and "第三十二条" in page and "《中华人民共和国行政许可法》" in page
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED and application.accepted_on is None
    assert entries(application, "licence_application.accept") == 0


def test_a_second_extension_is_refused_and_the_reason_typed_is_kept(client, world, kind):
    application = accepted(world.people.officer, kind)
    client.force_login(world.people.head)
    response = client.post(
        application_url(application, "extend"), {"version": application.version, "reason": "需要补充专家论证"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    before = application.decision_due_on
    response = client.post(
        application_url(application, "extend"), {"version": application.version, "reason": "再次延长的理由"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "只能延长一次" in page and "第四十二条" in page and "再次延长的理由" in page
    application.refresh_from_db()
    assert application.extended and application.decision_due_on == before
    assert application.extension_reason == "需要补充专家论证"
    assert entries(application, "licence_application.extend") == 1


def test_the_window_registers_an_application_and_shows_its_page(client, world, kind):
    other = make_type(world.qiqihar, code="HP-QQ", name="齐齐哈尔的许可事项")
    withdrawn = make_type(world.harbin, code="HP-OLD", name="已停止办理的事项")
    LicenceType.objects.filter(pk=withdrawn.pk).update(withdrawn_on=dt.date(2026, 1, 1))
    client.force_login(world.people.officer)
    page = text(client.get(reverse("licensing:new")))
    assert reverse("licensing:new-for-type", args=[kind.pk]) in page
    assert other.name not in page and withdrawn.name not in page
    page = text(client.get(reverse("licensing:new-for-type", args=[kind.pk])))
    assert "M3 删除涉及国家秘密、商业秘密内容的说明（视情形提交）" in page
    response = client.post(reverse("licensing:new-for-type", args=[kind.pk]), APPLY | {"materials": ["M1"]})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application_url(application)
    assert application.channel == Application.Channel.WINDOW and application.materials == ["M1"]
    assert entries(application, "licence_application.submit") == 1
    page = text(client.get(application_url(application)))
    assert application.number in page and "13800000000" in page and "受理期限" in page
    assert "接收许可申请" in page and "短信" in page  # the notice told to the applicant, not where it went
    assert reverse("audit:history", args=["licensing.application", application.pk]) in page


def test_a_refused_registration_keeps_what_was_typed_and_writes_nothing(client, world, kind):
    client.force_login(world.people.officer)
    before = Entry.objects.count()
    response = client.post(
        reverse("licensing:new-for-type", args=[kind.pk]),
        APPLY | {"applicant_uscc": "91230100XXXXXXXX", "materials": ["M1"]},
    )
    assert response.status_code == 400
    page = text(response)
    assert "统一社会信用代码" in page and "年产5000吨涂料扩建项目" in page
    assert not Application.objects.exists() and Entry.objects.count() == before


def test_personal_data_of_the_applicant_is_shown_only_to_those_who_handle_it(client, world, kind):
    application = submit(world.people.officer, kind, email="wang@example.cn")
    for persona, shown in (("officer", True), ("head", True), ("reviewer", False), ("clerk", False)):
        client.force_login(getattr(world.people, persona))
        page = text(client.get(application_url(application)))
        assert application.applicant_name in page
        assert ("13800000000" in page) is shown and ("wang@example.cn" in page) is shown, persona


def test_the_window_filters_and_colours_the_deadline_running_now(client, world, kind):
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        waiting = submit(world.people.officer, kind)  # 受理期限 2026-11-09, long past
    with time_machine.travel("2026-11-16 09:00 +0800", tick=False):
        deciding = accepted(world.people.officer, kind)  # 决定期限 2026-12-14, 2 working days left
    with time_machine.travel("2026-12-09 09:00 +0800", tick=False):
        fresh = submit(
            world.people.officer,
            kind,
            applicant_name="哈尔滨市道里区洗衣店",
            applicant_uscc=demo_uscc("92", "230102", 7),
        )  # 受理期限 2026-12-16, 4 working days left
    window = reverse("licensing:window")

    def listed(**query) -> set:
        page = text(client.get(window, query))
        return {a.number for a in (waiting, deciding, fresh) if a.number in page}

    with time_machine.travel("2026-12-10 09:00 +0800", tick=False):
        client.force_login(world.people.officer)  # a session opened the day it is used
        page = text(client.get(window))
        for application, colour in ((waiting, "overdue"), (deciding, "close"), (fresh, "running")):
            row = re.search(rf"{application.number}.*?</tr>", page, re.S).group(0)
            assert f'data-due="{colour}"' in row, (application.number, row)
        assert "已超期 23 个工作日" in page and "剩 2 个工作日" in page
        assert listed(status="overdue") == {waiting.number}
        assert listed(status="deciding_soon") == {deciding.number}
        assert listed(status="accepted") == {deciding.number}
        assert listed(status="open") == {waiting.number, deciding.number, fresh.number}
        assert listed(q=fresh.number.lower()) == {fresh.number}
        assert listed(q="洗衣店") == {fresh.number}
        assert listed(status="nonsense") == {waiting.number, deciding.number, fresh.number}


def test_the_window_shows_fifty_a_page(client, world, kind):
    for _ in range(51):
        submit(world.people.officer, kind)
    client.force_login(world.people.officer)
    first = text(client.get(reverse("licensing:window")))
    assert first.count('data-due="') == 50 and "第 1 / 2 页" in first
    assert text(client.get(reverse("licensing:window"), {"page": 2})).count('data-due="') == 1


def test_the_application_page_lists_its_documents_and_those_of_its_licence(client, world, kind):
    application = accepted(world.people.officer, kind)
    licence = services.application_grant(actor=world.people.head, application=application, content="同意建设")
    assert licence.publications.count() == 1  # opened by publicity with the decision
    client.force_login(world.people.officer)
    page = text(client.get(application_url(application)))
    assert "行政许可受理通知书" in page and "准予行政许可决定书" in page
    assert licence.number in page and reverse("licensing:licence", args=[licence.pk]) in page
    assert "送达期限" in page and application_url(application, "serve") in page


def test_the_licence_list_highlights_licences_ending_within_sixty_days(client, world):
    kind = make_type(world.harbin, validity_years=1)
    with time_machine.travel("2026-01-05 09:00 +0800", tick=False):
        ending = services.application_grant(
            actor=world.people.head, application=accepted(world.people.officer, kind), content="同意"
        )
    with time_machine.travel("2026-12-09 09:00 +0800", tick=False):
        lasting = services.application_grant(
            actor=world.people.head, application=accepted(world.people.officer, kind), content="同意"
        )
    with time_machine.travel("2026-12-10 09:00 +0800", tick=False):
        client.force_login(world.people.officer)
        page = text(client.get(reverse("licensing:licences")))
    rows = {
        licence.number: re.search(rf"{licence.number}.*?</tr>", page, re.S).group(0) for licence in (ending, lasting)
    }
    assert "data-expiring" in rows[ending.number] and "data-expiring" not in rows[lasting.number]
    assert ending.number not in text(client.get(reverse("licensing:licences"), {"status": "expired"}))


def test_only_heads_end_a_licence_from_its_page(client, world, kind):
    licence = services.application_grant(
        actor=world.people.head, application=accepted(world.people.officer, kind), content="同意"
    )
    url = reverse("licensing:licence-action", args=[licence.pk, "cancel"])
    data = {"version": licence.version, "ground": "terminated", "reason": "该公司已注销"}
    client.force_login(world.people.officer)
    assert url not in text(client.get(reverse("licensing:licence", args=[licence.pk])))
    assert client.post(url, data).status_code == 403
    client.force_login(world.people.head)
    assert url in text(client.get(reverse("licensing:licence", args=[licence.pk])))
    assert client.post(url, data).status_code == 302
    licence.refresh_from_db()
    assert licence.status == Licence.Status.CANCELLED and licence.end_reason == "该公司已注销"
    assert entries(licence, "licence.cancel") == 1
    page = text(client.get(reverse("licensing:licence", args=[licence.pk])))
    assert licence.end_document.number in page and licence.application.number in page


def _type_data(licence_type, **changes) -> dict:
    data = {name: getattr(licence_type, name) for name in TYPE_FIELDS} | changes
    data["power"] = data["power"].pk if data["power"] else ""
    return {name: value for name, value in data.items() if value not in (None, False)}


def _materials_data(rows) -> dict:
    data = {"materials-TOTAL_FORMS": len(rows), "materials-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data |= {f"materials-{index}-{key}": value for key, value in row.items()}
    return data


def test_only_the_catalogue_keepers_change_a_licence_type(client, world, kind):
    urls = [reverse(f"licensing:type-{page}", args=[kind.pk]) for page in ("edit", "materials")]
    client.force_login(world.people.officer)
    page = text(client.get(reverse("licensing:type", args=[kind.pk])))
    assert "建设项目环境影响报告表审批申请书" in page and not [url for url in urls if url in page]
    assert reverse("licensing:type-new") not in text(client.get(reverse("licensing:types")))
    for url in [*urls, reverse("licensing:type-new")]:
        assert client.get(url).status_code == 403
    assert client.post(urls[0], _type_data(kind, name="改名")).status_code == 403
    assert client.post(reverse("licensing:type-withdraw", args=[kind.pk]), {"reason": "下放"}).status_code == 403
    kind.refresh_from_db()
    assert kind.name == "建设项目环境影响报告表审批" and kind.withdrawn_on is None

    client.force_login(world.people.admin)
    assert all(url in text(client.get(reverse("licensing:type", args=[kind.pk]))) for url in urls)
    response = client.post(urls[0], _type_data(kind, name="建设项目环境影响报告表审批（告知承诺）", promised_days=10))
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.name.endswith("（告知承诺）") and kind.promised_days == 10
    assert Entry.objects.filter(action="licence_type.update", subject_id=str(kind.pk)).count() == 1


def test_the_materials_list_is_published_whole_and_refused_whole(client, world, kind):
    submit(world.people.officer, kind)  # an open application holding M1 and M2
    client.force_login(world.people.admin)
    url = reverse("licensing:type-materials", args=[kind.pk])
    assert "建设项目环境影响报告表（全本）" in text(client.get(url))
    keep = [{"code": "M1", "name": "审批申请书", "required": "on", "copies": "原件1份"}]
    response = client.post(url, _materials_data(keep))
    assert response.status_code == 400 and "不能从目录中删除：M2" in text(response)
    assert list(kind.materials.values_list("code", flat=True)) == ["M1", "M2", "M3"]
    rows = [
        *keep,
        {"code": "M2", "name": "报告表全本", "required": "on", "copies": "纸质版2份"},
        {"code": "M4", "name": "公众参与说明", "copies": "原件1份", "sample": "一、公众参与情况……"},
    ]
    assert client.post(url, _materials_data(rows)).status_code == 302
    assert [(m.code, m.required) for m in kind.materials.all()] == [("M1", True), ("M2", True), ("M4", False)]
    assert Entry.objects.filter(action="licence_type.materials", subject_id=str(kind.pk)).count() == 1


def test_a_keeper_adds_a_type_then_withdraws_it(client, world):
    client.force_login(world.people.admin)
    data = {
        "agency": world.harbin.pk,
        "code": "FS-ZY",
        "name": "辐射安全许可证核发",
        "category": "普通",
        "basis": "《中华人民共和国放射性污染防治法》第二十八条",
        "decision_days": 20,
        "decision_unit": "working_days",
        "decision_citation": "《中华人民共和国行政许可法》第四十二条",
        "hearing": "none",
        "fee": "不收费",
        "online": "on",
    }
    response = client.post(reverse("licensing:type-new"), data | {"promised_days": 30})
    assert response.status_code == 400 and "承诺时限不能长于法定时限" in text(response)
    assert not LicenceType.objects.filter(code="FS-ZY").exists()
    response = client.post(reverse("licensing:type-new"), data)
    created = LicenceType.objects.get(code="FS-ZY")
    assert response["Location"] == reverse("licensing:type-materials", args=[created.pk])
    withdraw = reverse("licensing:type-withdraw", args=[created.pk])
    assert client.post(withdraw, {"reason": ""}).status_code == 400
    assert client.post(withdraw, {"reason": "该事项已下放至区县"}).status_code == 302
    created.refresh_from_db()
    assert created.withdrawn_on is not None
    assert "已停止办理" in text(client.get(reverse("licensing:type", args=[created.pk])))


def test_the_home_page_counts_the_applications_to_accept_and_to_decide(client, world, kind):
    with time_machine.travel("2026-11-16 09:00 +0800", tick=False):
        accepted(world.people.officer, kind)  # to decide by 2026-12-14
    with time_machine.travel(MONDAY, tick=False):
        submit(world.people.officer, kind)
    with time_machine.travel("2026-12-10 09:00 +0800", tick=False):
        client.force_login(world.people.officer)
        page = text(client.get(reverse("web:home")))
        assert "1 件待受理" in page and "1 件须在3个工作日内作出决定" in page
        client.force_login(world.people.clerk)
        assert "licensing-today" not in text(client.get(reverse("web:home")))
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        client.force_login(world.people.officer)
        page = text(client.get(reverse("web:home")))
        assert "1 件待受理" in page and "件须在3个工作日内作出决定" not in page


def test_the_clocks_command_deems_acceptance_and_expires_licences(world, kind):
    yearly = make_type(world.harbin, code="HP-1Y", validity_years=1)
    with time_machine.travel("2026-11-02 09:00 +0800", tick=False):
        waiting = submit(world.people.officer, kind)
        licence = services.application_grant(
            actor=world.people.head, application=accepted(world.people.officer, yearly), content="同意"
        )
    out = io.StringIO()
    call_command("licensing", "clocks", "--on", "2026-11-09", stdout=out)
    assert "视为受理 0 件，视为准予延续 0 件，有效期届满 0 件" in out.getvalue()
    call_command("licensing", "clocks", "--on", "2027-11-02", stdout=out)
    assert "视为受理 1 件，视为准予延续 0 件，有效期届满 1 件" in out.getvalue()
    waiting.refresh_from_db()
    licence.refresh_from_db()
    assert waiting.status == Application.Status.ACCEPTED and waiting.deemed_accepted
    assert waiting.accepted_on == waiting.received_on
    assert licence.status == Licence.Status.EXPIRED
    assert entries(waiting, "licence_application.deem_accept") == 1 and entries(licence, "licence.expire") == 1
