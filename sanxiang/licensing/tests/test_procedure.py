"""The procedure of 《行政许可法》 as the services enforce it, and the bad input each step refuses with its article,
changing nothing and ledgering nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.documents.models import Document
from sanxiang.ledger.models import Entry
from sanxiang.licensing import selectors, services
from sanxiang.licensing.models import Application, Licence, Notification
from sanxiang.testing.checks import refused
from sanxiang.testing.factories import make_staff
from sanxiang.testing.licensing import USCC, accepted, make_type, submit

D = dt.date


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


class Unchanged:
    """Asserts that a refused step left the application, the ledger and the documents as they were."""

    def __init__(self, application):
        self.application = application
        self.before = (application.version, application.status, Entry.objects.count(), Document.objects.count())

    def check(self):
        fresh = Application.objects.get(pk=self.application.pk)
        assert (fresh.version, fresh.status, Entry.objects.count(), Document.objects.count()) == self.before


def test_acceptance_with_a_material_missing_is_refused_with_article_32(world):
    officer = world.people.officer
    application = submit(officer, make_type(world.harbin), materials=["M1"])
    unchanged = Unchanged(application)
    error = refused("materials_missing", lambda: services.application_accept(actor=officer, application=application))
    assert "建设项目环境影响报告表（全本）" in error.messages[0] and "第三十二条" in error.messages[0]
    unchanged.check()


def test_supplement_is_told_once_and_lists_every_missing_material(world):
    officer = world.people.officer
    kind = make_type(
        world.harbin,
        materials=[
            {"code": "M1", "name": "申请书"},
            {"code": "M2", "name": "报告表"},
            {"code": "M3", "name": "公参说明"},
        ],
    )
    application = submit(officer, kind, materials=["M1"])
    unchanged = Unchanged(application)
    refused(
        "supplement_incomplete",
        lambda: services.application_request_supplement(actor=officer, application=application, items=["M2"]),
    )
    unchanged.check()
    application = services.application_request_supplement(actor=officer, application=application, items=["M2", "M3"])
    document = Document.objects.get(doc_type="licence_supplement")
    assert "报告表" in document.values["items"] and "公参说明" in document.values["items"]
    with pytest.raises(Exception) as still:
        services.application_supplement(actor=officer, application=application, materials=["M2"])
    assert "公参说明" not in str(still.value) and "M3" in str(still.value)
    application = services.application_supplement(actor=officer, application=application, materials=["M2", "M3"])
    assert application.status == Application.Status.RECEIVED
    refused(
        "supplement_twice",
        lambda: services.application_request_supplement(actor=officer, application=application, items=["M2"]),
    )


def test_supplement_restarts_the_five_working_days_from_the_materials(world):
    officer = world.people.officer
    with at("2026-09-21"):
        application = submit(officer, make_type(world.harbin), materials=["M1"])
        application = services.application_request_supplement(actor=officer, application=application, items=["M2"])
    with at("2026-09-30"):
        application = services.application_supplement(actor=officer, application=application, materials=["M2"])
    assert application.received_on == D(2026, 9, 30) and application.accept_due_on == D(2026, 10, 13)


def test_past_five_working_days_no_supplement_or_rejection_only_acceptance_from_receipt(world):
    officer = world.people.officer
    with at("2026-09-30"):
        application = submit(officer, make_type(world.harbin), materials=["M1"])
        late = submit(officer, make_type(world.harbin, code="HP-2"), materials=["M1", "M2"])
    with at("2026-10-14"):
        unchanged = Unchanged(application)
        refused(
            "acceptance_period_over",
            lambda: services.application_request_supplement(actor=officer, application=application, items=["M2"]),
        )
        refused(
            "acceptance_period_over",
            lambda: services.application_reject(
                actor=officer, application=application, ground="not_competent", reason="不属于本机关"
            ),
        )
        unchanged.check()
        late = services.application_accept(actor=officer, application=late)
    assert late.deemed_accepted and late.accepted_on == D(2026, 9, 30)
    assert late.decision_due_on == D(2026, 11, 3)


def test_the_nightly_sweep_deems_an_application_accepted_on_receipt(world):
    officer = world.people.officer
    with at("2026-09-30"):
        application = submit(officer, make_type(world.harbin), materials=["M1", "M2"])
    assert services.applications_deem_accepted(on=D(2026, 10, 13)) == 0
    assert services.applications_deem_accepted(on=D(2026, 10, 14)) == 1
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED and application.deemed_accepted
    assert application.accepted_on == D(2026, 9, 30) and application.decision_due_on == D(2026, 11, 3)
    entry = Entry.objects.filter(action="licence_application.deem_accept").get()
    assert entry.actor == "system"
    assert selectors.progress(application.number).deemed_accepted


def test_a_decision_after_the_period_without_an_extension_is_refused(world, published):
    officer, head = world.people.officer, world.people.head
    with at("2026-09-24"):
        application = accepted(officer, make_type(world.harbin))
    with at("2026-10-30"):
        unchanged = Unchanged(application)
        error = refused(
            "period_over", lambda: services.application_grant(actor=head, application=application, content="同意")
        )
        assert "2026-10-29" in error.messages[0] and "第四十二条" in error.messages[0]
        refused(
            "period_over", lambda: services.application_refuse(actor=head, application=application, reason="不符合")
        )
        refused("period_over", lambda: services.application_extend(actor=head, application=application, reason="复杂"))
        unchanged.check()
    assert not published


def test_one_extension_by_a_head_before_the_period_ends(world, published):
    officer, head = world.people.officer, world.people.head
    with at("2026-09-24"):
        application = accepted(officer, make_type(world.harbin))
    with at("2026-10-28"):
        with pytest.raises(PermissionDenied):
            services.application_extend(actor=officer, application=application, reason="复杂")
        application = services.application_extend(actor=head, application=application, reason="需补充专家意见")
        assert application.decision_due_on == D(2026, 11, 12)
        unchanged = Unchanged(application)
        refused(
            "extension_twice", lambda: services.application_extend(actor=head, application=application, reason="再延")
        )
        unchanged.check()
    assert Document.objects.get(doc_type="licence_extension").values["reason"] == "需补充专家意见"
    with at("2026-11-12"):
        licence = services.application_grant(actor=head, application=application, content="同意建设")
    assert licence.status == Licence.Status.VALID and published[0][1]["licence"] == licence


def test_a_step_by_an_officer_without_a_valid_certificate_is_refused(world):
    kind = make_type(world.harbin)
    uncertified = make_staff(agency=world.harbin, roles=["officer"], username="nocert", full_name="赵无证")
    before = Entry.objects.count()
    error = refused("officer_not_certified", lambda: submit(uncertified, kind))
    assert "赵无证" in error.messages[0]
    assert Application.objects.count() == 0 and Entry.objects.count() == before
    application = submit(world.people.officer, kind)
    unchanged = Unchanged(application)
    refused("officer_not_certified", lambda: services.application_accept(actor=uncertified, application=application))
    unchanged.check()


def test_roles_outside_the_move_and_agencies_outside_the_scope_are_refused(world):
    application = submit(world.people.officer, make_type(world.harbin))
    for person in (world.people.reviewer, world.people.clerk, world.people.outsider):
        with pytest.raises(PermissionDenied):
            services.application_accept(actor=person, application=application)
    assert Application.objects.get(pk=application.pk).status == Application.Status.RECEIVED


def test_site_check_by_two_officers_before_a_type_that_requires_it_is_decided(world, published):
    officer, partner, head = world.people.officer, world.people.partner, world.people.head
    application = accepted(officer, make_type(world.harbin, site_check=True))
    refused(
        "site_check_missing", lambda: services.application_grant(actor=head, application=application, content="同意")
    )
    refused(
        "too_few_officers",
        lambda: services.application_examine(
            actor=officer, application=application, kind="site", findings="现场核查", officers=[officer]
        ),
    )
    services.application_examine(
        actor=officer, application=application, kind="site", findings="与报告表一致", officers=[officer, partner]
    )
    assert services.application_grant(actor=head, application=application, content="同意").number


def test_a_type_with_significant_interests_is_not_decided_before_the_hearing_right_is_told(world, published):
    officer, head = world.people.officer, world.people.head
    application = accepted(officer, make_type(world.harbin, hearing="art47"))
    error = refused(
        "hearing_right_untold", lambda: services.application_refuse(actor=head, application=application, reason="不符")
    )
    assert "第四十七条" in error.messages[0]


def test_refusal_gives_reasons_and_remedies_and_is_served_on_time(world):
    officer, head = world.people.officer, world.people.head
    application = accepted(officer, make_type(world.harbin))
    application = services.application_refuse(actor=head, application=application, reason="项目选址位于饮用水源保护区")
    document = Document.objects.get(doc_type="licence_refusal")
    assert "饮用水源保护区" in document.values["reason"] and "行政复议" in document.values["rights_text"]
    application = services.application_serve(actor=officer, application=application, method="direct")
    assert application.served_on and application.closed_on == application.served_on
    refused("served", lambda: services.application_serve(actor=officer, application=application, method="direct"))


def test_rejection_within_five_days_is_a_written_decision(world):
    officer = world.people.officer
    application = submit(officer, make_type(world.harbin))
    application = services.application_reject(
        actor=officer, application=application, ground="not_licensable", reason="该项目依法填报环境影响登记表备案"
    )
    assert application.status == Application.Status.REJECTED
    assert Document.objects.get(doc_type="licence_rejection").number


def test_online_applications_have_no_actor_and_window_ones_have_one(world):
    kind = make_type(world.harbin)
    online = submit(None, kind)
    assert online.channel == Application.Channel.ONLINE and online.number.startswith("XK")
    with pytest.raises(Exception) as error:
        submit(None, kind, channel=Application.Channel.WINDOW)
    assert "窗口申请" in str(error.value)


def test_a_change_rewrites_the_licence_and_a_renewal_not_decided_in_time_is_deemed_granted(world, published):
    officer, head = world.people.officer, world.people.head
    kind = make_type(world.harbin, validity_years=5, renewable=True)
    with at("2026-01-05"):
        licence = services.application_grant(actor=head, application=accepted(officer, kind), content="年经营3000吨")
        change = accepted(officer, kind, kind="change", licence=licence)
        services.application_grant(actor=head, application=change, content="年经营5000吨")
    licence.refresh_from_db()
    assert licence.content == "年经营5000吨" and Licence.objects.count() == 1
    Licence.objects.filter(pk=licence.pk).update(valid_to=D(2026, 10, 31))
    other = Licence.objects.get(pk=licence.pk)
    with at("2026-09-15"):
        renewal = submit(officer, kind, kind="renewal", licence=other)
    assert services.applications_deem_renewed(on=D(2026, 10, 31)) == 0
    assert services.applications_deem_renewed(on=D(2026, 11, 1)) == 1
    renewal.refresh_from_db()
    other.refresh_from_db()
    assert renewal.status == Application.Status.GRANTED and renewal.deemed_granted
    assert other.valid_to == D(2031, 10, 31) and other.status == Licence.Status.VALID
    assert other.valid_from == D(2026, 11, 1)  # the new term, not the first grant's
    assert published[-1][1]["actor"] is None and "第五十条" in published[-1][1]["document"].values["decision_text"]
    assert selectors.progress(renewal.number).deemed_granted


def test_a_licence_past_its_term_without_renewal_expires_and_may_then_be_cancelled(world, published):
    officer, head = world.people.officer, world.people.head
    kind = make_type(world.harbin, validity_years=3)
    licence = services.application_grant(actor=head, application=accepted(officer, kind), content="辐射安全")
    Licence.objects.filter(pk=licence.pk).update(valid_to=D(2026, 1, 31))
    assert services.licences_expire(on=D(2026, 2, 1)) == 1
    licence.refresh_from_db()
    assert licence.status == Licence.Status.EXPIRED
    licence = services.licence_cancel(actor=head, licence=licence, ground="expired", reason="有效期届满未申请延续")
    assert licence.status == Licence.Status.CANCELLED and licence.end_document.number


def test_recall_and_revocation_end_the_licence_and_tell_publicity(world, published):
    officer, head = world.people.officer, world.people.head
    kind = make_type(world.harbin)
    first = services.application_grant(actor=head, application=accepted(officer, kind), content="甲")
    second = services.application_grant(actor=head, application=accepted(officer, kind), content="乙")
    with pytest.raises(PermissionDenied):
        services.licence_revoke(actor=officer, licence=first, ground="fraud", reason="提供虚假材料")
    with pytest.raises(Exception) as error:
        services.licence_cancel(actor=head, licence=first, ground="ended", reason="已撤销")
    assert "尚未被撤销" in str(error.value)
    first = services.licence_revoke(actor=head, licence=first, ground="fraud", reason="以提供虚假监测报告取得许可")
    second = services.licence_recall(actor=head, licence=second, ground="law_changed", reason="所依据的规章已废止")
    assert (first.status, second.status) == (Licence.Status.REVOKED, Licence.Status.RECALLED)
    changed = [call[1] for call in published if call[0] == "licensing.decision_changed"]
    assert [c["licence"] for c in changed] == [first, second] and "撤销" in changed[0]["reason"]
    assert services.licence_cancel(actor=head, licence=first, ground="ended", reason="已撤销").status == "cancelled"


def test_the_applicant_is_told_by_sms_and_email_once_the_step_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(world.people.officer, make_type(world.harbin), email="wang@example.com")
    notices = Notification.objects.filter(application=application)
    assert sorted(notices.values_list("channel", flat=True)) == ["email", "sms"]
    assert all(notice.sent_at and not notice.error for notice in notices)
    assert application.number in notices.first().text


def test_the_progress_page_names_no_person(world):
    application = submit(world.people.officer, make_type(world.harbin), email="wang@example.com")
    progress = repr(selectors.progress(application.number.lower()))
    for personal in ("王强", "13800000000", "wang@example.com", application.applicant_uscc):
        assert personal not in progress
    assert "接收许可申请" in progress


def test_a_licence_from_before_the_platform_is_registered_by_a_catalogue_keeper_and_renewed_here(world, published):
    kind = make_type(world.harbin, validity_years=5, renewable=True)
    values = {
        "licence_type": kind,
        "number": "HW-2301-2021-07",
        "holder_name": "哈尔滨兴达危废处置有限公司",
        "holder_uscc": USCC,
        "content": "焚烧处置HW02、HW06类危险废物，年经营规模8000吨",
        "decision_number": "哈环许准〔2021〕7号",
        "decided_on": D(2021, 11, 20),
        "valid_from": D(2021, 11, 20),
        "valid_to": D(2026, 11, 19),
    }
    with pytest.raises(PermissionDenied):
        services.licence_register(actor=world.people.officer, **values)
    with at("2026-09-01"):
        licence = services.licence_register(actor=world.people.admin, **values)
        with pytest.raises(Exception) as twice:
            services.licence_register(actor=world.people.admin, **values)
        assert "HW-2301-2021-07" in str(twice.value)
    assert licence.status == Licence.Status.VALID and licence.application is None
    with at("2026-10-15"):
        renewal = submit(world.people.officer, kind, kind="renewal", licence=licence)
    assert services.applications_deem_renewed(on=D(2026, 11, 20)) == 1
    licence.refresh_from_db()
    assert licence.valid_to == D(2031, 11, 19) and renewal.number in selectors.progress(renewal.number).number
    licence = services.licence_revoke(actor=world.people.head, licence=licence, ground="fraud", reason="提供虚假材料")
    assert licence.end_document.values["party_name"] == "哈尔滨兴达危废处置有限公司"


def test_the_progress_of_a_type_counted_in_days_is_told_in_days(world):
    kind = make_type(world.harbin, decision_days=30, decision_unit="calendar_days")
    with at("2026-09-01"):
        application = accepted(world.people.officer, kind)
    with at("2026-09-11"):
        progress = selectors.progress(application.number)
    # 30 days from 9/1 end on 10/1, a holiday: the last day moves to 10/8
    assert (progress.unit_words, progress.limit_days) == ("日", "30日")
    assert (progress.working_days_used, progress.working_days_left) == (10, 27)


@pytest.mark.parametrize("phone", ["abc", "12345", "138-0000-000a"])
def test_an_application_without_a_phone_the_steps_can_reach_is_refused(world, phone):
    with pytest.raises(ValidationError) as error:
        submit(world.people.officer, make_type(world.harbin), phone=phone)
    assert "phone" in error.value.message_dict and not Application.objects.exists()
    assert submit(world.people.officer, make_type(world.harbin, code="HP-2"), phone="0451-8460 0001").phone
