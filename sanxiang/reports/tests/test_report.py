"""The annual report: generated only for an ended year, counted from the shared definitions, approved by a head,
published with its data's hash — and refused when the data under it changed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanxiang.agencies.models import Role
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json
from sanxiang.reports import figures, selectors, services
from sanxiang.reports.definitions import BY_KEY, Period
from sanxiang.reports.models import AnnualReport
from sanxiang.testing.cases import at, open_case, walk
from sanxiang.testing.factories import make_staff

JANUARY = dt.date(2027, 1, 5)


def _data(entry) -> dict:
    return entry_json(entry)["data"]


@pytest.fixture
def decided(world):
    return walk(world, open_case(world), "decided")


def generate(world, **options):
    with at(JANUARY):
        return services.report_generate(
            actor=world.people.head, agency=world.harbin, year=2026, today=JANUARY, **options
        )


def test_a_year_not_ended_is_refused_and_nothing_is_written(world, decided):
    with pytest.raises(ValidationError) as refused:
        services.report_generate(actor=world.people.head, agency=world.harbin, year=2026, today=dt.date(2026, 12, 31))
    assert refused.value.code == "year_not_ended"
    assert "2026年度尚未结束" in refused.value.messages[0]
    assert not AnnualReport.objects.exists()
    assert not Entry.objects.filter(action__startswith="annual_report.").exists()


def test_generation_counts_the_decided_case_and_ledgers_the_hash_of_its_data(world, decided):
    report = generate(world)
    assert report.figures["penalty.decided"] == 1
    assert report.figures["penalty.kind.fine"] == 1
    assert report.figures["penalty.kind.warning"] == 0
    assert report.figures["penalty.fine"] == "150000.00"
    assert report.data_sha256 == figures.digest(report.figures)
    entry = Entry.objects.get(action="annual_report.generate")
    assert _data(entry)["data_sha256"] == report.data_sha256
    assert _data(entry)["status"] == "draft"
    assert "150,000.00" not in report.narrative and "15.00万元" in report.narrative


def test_a_branch_case_counts_in_its_city_and_not_in_another(world):
    walk(world, open_case(world, agency=world.daoli), "decided")
    assert figures.compute([world.harbin.path], Period.year(2026))["penalty.decided"] == 1
    assert figures.compute([world.daoli.path], Period.year(2026))["penalty.decided"] == 1
    assert figures.compute([world.qiqihar.path], Period.year(2026))["penalty.decided"] == 0
    assert figures.compute([world.harbin.path], Period.year(2025))["penalty.decided"] == 0


def test_only_a_head_approves_and_only_of_its_own_agency_or_above(world, decided):
    report = generate(world)
    for persona in ("clerk", "officer", "reviewer"):
        with pytest.raises(PermissionDenied):
            services.report_approve(actor=getattr(world.people, persona), report=report, version=report.version)
    qiqihar_head = make_staff(agency=world.qiqihar, roles=[Role.HEAD], username="qqhead")
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=qiqihar_head, report=report, version=report.version)
    branch_head = make_staff(agency=world.daoli, roles=[Role.HEAD], username="dlhead")
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=branch_head, report=report, version=report.version)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT
    approved = services.report_approve(actor=world.people.head, report=report, version=report.version)
    assert approved.status == AnnualReport.Status.APPROVED and approved.approved_by == world.people.head


def test_data_changed_after_approval_refuses_publication_until_a_new_edition_is_approved(world, decided):
    report = generate(world)
    report = services.report_approve(actor=world.people.head, report=report, version=report.version)
    walk(world, open_case(world), "decided")  # a second 2026 decision entered late
    with pytest.raises(ValidationError) as refused:
        services.report_publish(actor=world.people.clerk, report=report, version=report.version, today=JANUARY)
    assert refused.value.code == "data_changed"
    assert "须生成新版本" in refused.value.messages[0]
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED and report.published_at is None

    second = generate(world)
    report.refresh_from_db()
    assert (second.edition, report.status) == (2, AnnualReport.Status.SUPERSEDED)
    assert second.figures["penalty.decided"] == 2 and second.data_sha256 != report.data_sha256
    assert _data(Entry.objects.get(action="annual_report.supersede"))["by_data_sha256"] == second.data_sha256
    second = services.report_approve(actor=world.people.head, report=second, version=second.version)
    second = services.report_publish(actor=world.people.clerk, report=second, version=second.version, today=JANUARY)
    entry = Entry.objects.get(action="annual_report.publish")
    assert entry.public and _data(entry)["data_sha256"] == second.data_sha256 and _data(entry)["on_time"] is True
    assert _data(entry)["due_on"] == "2027-01-31"


def test_approval_of_a_draft_whose_data_changed_is_refused(world, decided):
    report = generate(world)
    walk(world, open_case(world), "decided")
    with pytest.raises(ValidationError) as refused:
        services.report_approve(actor=world.people.head, report=report, version=report.version)
    assert refused.value.code == "data_changed"


def test_generating_again_with_unchanged_data_is_refused(world, decided):
    generate(world)
    with pytest.raises(ValidationError) as refused:
        generate(world)
    assert refused.value.code == "data_unchanged"
    assert AnnualReport.objects.count() == 1


def test_a_county_branch_does_not_report_on_its_own(world):
    head = make_staff(agency=world.daoli, roles=[Role.HEAD], username="dlhead")
    with pytest.raises(ValidationError) as refused:
        services.report_generate(actor=head, agency=world.daoli, year=2026, today=JANUARY)
    assert refused.value.code == "not_reporting_level"


def test_the_due_day_is_31_january_even_on_a_sunday(world):
    assert services.due_on(world.harbin, 2026) == dt.date(2027, 1, 31)  # a Sunday, kept


def test_the_narrative_is_edited_only_while_a_draft(world, decided):
    report = generate(world)
    report = services.report_edit(
        actor=world.people.clerk, report=report, narrative="全年执法概况。", version=report.version
    )
    assert report.narrative == "全年执法概况。"
    with pytest.raises(ValidationError):
        services.report_edit(actor=world.people.clerk, report=report, narrative="  ", version=report.version)
    report = services.report_approve(actor=world.people.head, report=report, version=report.version)
    with pytest.raises(ValidationError) as refused:
        services.report_edit(actor=world.people.head, report=report, narrative="改", version=report.version)
    assert refused.value.code == "invalid_transition"


def test_every_number_drills_down_to_its_records(client, world, decided):
    client.force_login(world.people.head)
    url = reverse("reports:drill", args=[world.harbin.pk, 2026, "penalty.decided"])
    page = client.get(url)
    assert page.status_code == 200
    assert decided.number in page.content.decode()
    assert reverse("cases:case-detail", args=[decided.pk]) in page.content.decode()
    assert client.get(reverse("reports:drill", args=[world.harbin.pk, 2026, "no.such"])).status_code == 404
    client.force_login(world.people.outsider)
    assert client.get(url).status_code == 404


def test_each_measure_drills_down_without_error(client, world, decided):
    client.force_login(world.people.head)
    for key in BY_KEY:
        assert client.get(reverse("reports:drill", args=[world.harbin.pk, 2026, key])).status_code == 200, key


def test_the_preview_of_the_running_year_offers_no_generation(client, world, decided):
    with at(dt.date(2026, 12, 6)):
        client.force_login(world.people.head)
        page = client.get(reverse("reports:agency-year", args=[world.harbin.pk, 2026])).content.decode()
    assert "尚未结束" in page and "生成年报</button>" not in page
    assert f'href="{reverse("reports:drill", args=[world.harbin.pk, 2026, "penalty.decided"])}">1</a>' in page


def test_the_report_page_shows_the_changed_data_and_offers_a_new_edition(client, world, decided):
    report = generate(world)
    walk(world, open_case(world), "decided")
    with at(JANUARY):
        client.force_login(world.people.head)
        page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "执法数据已变化" in page and "生成新版本" in page


def test_the_province_sees_its_cities_not_submitted(client, world, decided):
    province_head = make_staff(agency=world.province, roles=[Role.HEAD], username="provhead")
    report = generate(world)
    services.report_approve(actor=world.people.head, report=report, version=report.version)
    rows, totals = selectors.rollup(world.province, 2026)
    assert {row.agency.code: row.submitted for row in rows} == {"230100": True, "230200": False}
    assert totals["penalty.decided"] == 1 and totals["penalty.fine"] == "150000.00"
    with at(JANUARY):
        client.force_login(province_head)
        page = client.get(reverse("reports:index") + "?year=2026").content.decode()
    assert "已报送 1 / 2" in page and "齐齐哈尔市生态环境局" in page


def test_the_data_files_carry_the_frozen_figures_and_hash(client, world, decided):
    report = generate(world)
    client.force_login(world.people.head)
    body = client.get(reverse("reports:download", args=[report.pk, "csv"])).content.decode("utf-8-sig")
    assert "penalty.fine,150000.00" in body and report.data_sha256 in body
    xlsx = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(world.people.outsider)
    assert client.get(reverse("reports:download", args=[report.pk, "csv"])).status_code == 404


def test_the_desk_warns_from_1_january_until_published(world, decided):
    report = generate(world)
    due = selectors.reports_due_for_user(world.people.head, today=JANUARY)
    assert [(item.agency, item.year, item.due_on) for item in due] == [(world.harbin, 2026, dt.date(2027, 1, 31))]
    assert selectors.reports_due_for_user(world.people.officer, today=JANUARY) == []
    report = services.report_approve(actor=world.people.head, report=report, version=report.version)
    services.report_publish(actor=world.people.head, report=report, version=report.version, today=JANUARY)
    assert selectors.reports_due_for_user(world.people.head, today=JANUARY) == []


def test_the_portal_shows_the_published_edition_with_its_files_and_hash(client, world, decided):
    report = generate(world)
    assert client.get(reverse("portal:annual-report", args=["230100", 2026])).status_code == 404  # a draft
    report = services.report_approve(actor=world.people.head, report=report, version=report.version)
    report = services.report_publish(actor=world.people.head, report=report, version=report.version, today=JANUARY)
    listing = client.get(reverse("portal:annual-reports")).content.decode()
    assert reverse("portal:annual-report", args=["230100", 2026]) in listing
    page = client.get(reverse("portal:annual-report", args=["230100", 2026])).content.decode()
    assert report.data_sha256 in page and "作出行政处罚决定" in page
    assert reverse("reports:drill", args=[world.harbin.pk, 2026, "penalty.decided"]) not in page
    body = client.get(reverse("portal:annual-report-data", args=["230100", 2026, "csv"])).content.decode("utf-8-sig")
    assert "penalty.decided,1," in body
    assert client.get(reverse("portal:annual-report-data", args=["230100", 2026, "docx"])).status_code == 404


def test_the_home_desk_lists_the_report_due(client, world, decided):
    with at(JANUARY):
        client.force_login(world.people.head)
        page = client.get(reverse("web:home")).content.decode()
    assert "2026年度行政执法统计年报（未生成）" in page
    assert reverse("reports:agency-year", args=[world.harbin.pk, 2026]) in page


def test_training_counts_in_the_report(world, decided):
    from decimal import Decimal

    from sanxiang.agencies.services.training import training_record_create

    with at(dt.date(2026, 6, 30)):
        training_record_create(
            actor=world.people.head,
            officer=world.people.officer,
            course="三项制度专题培训",
            organiser="黑龙江省生态环境厅",
            kind="three_systems",
            started_on=dt.date(2026, 6, 28),
            ended_on=dt.date(2026, 6, 29),
            hours=Decimal("16"),
        )
    report = generate(world)
    assert report.figures["staff.training_records"] == 1 and report.figures["staff.training_hours"] == "16.00"
    assert report.figures["staff.trained"] == 1
    assert report.figures["staff.below_requirement"] == report.figures["staff.officers"]  # 16 < 60 hours


def test_the_drill_down_pages_by_date_and_id_without_a_count(client, world, decided, monkeypatch):
    from sanxiang.reports import selectors as reading

    second = walk(world, open_case(world), "decided")  # the same day: ordered by id, newest first
    measure, records = reading.drilldown(agency=world.harbin, year=2026, key="penalty.decided")
    first, after = reading.page_after(measure, records, "", size=1)
    assert [case.pk for case in first] == [second.pk] and after.endswith(f"~{second.pk}")
    rest, end = reading.page_after(measure, records, after, size=1)
    assert [case.pk for case in rest] == [decided.pk] and end == ""
    client.force_login(world.people.head)
    url = reverse("reports:drill", args=[world.harbin.pk, 2026, "penalty.decided"])
    assert client.get(url, {"after": "not-a-cursor"}).status_code == 404
    monkeypatch.setattr("django.core.paginator.Paginator.count", property(lambda self: 1 / 0))
    assert client.get(url).status_code == 200


def test_the_list_opens_on_the_running_year_in_the_platforms_first_year(client, world, decided):
    with at(dt.date(2026, 12, 6)):
        client.force_login(world.people.head)
        first = client.get(reverse("reports:index")).content.decode()
        earlier = client.get(reverse("reports:index"), {"year": 2025}).content.decode()
    assert "2026年度尚未结束" in first
    assert "平台启用前的年度" in earlier and "未生成" not in earlier
    with at(JANUARY):
        client.force_login(world.people.head)
        due = client.get(reverse("reports:index")).content.decode()
    assert '<option value="2026" selected>' in due and "未生成" in due


def test_the_clerk_sees_the_approval_waiting_for_a_head(client, world, decided):
    report = generate(world)
    with at(JANUARY):
        client.force_login(world.people.clerk)
        page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "等待他人办理：审批年报（负责人）" in page and "修改总体情况说明" in page


def test_a_drill_down_line_carries_the_measures_date_and_amount(client, world, decided):
    client.force_login(world.people.head)
    fines = client.get(reverse("reports:drill", args=[world.harbin.pk, 2026, "penalty.fine"])).content.decode()
    assert "罚款金额（元）" in fines and "150000.00" in fines and "2026-10-12" in fines
    confiscated = client.get(reverse("reports:drill", args=[world.harbin.pk, 2026, "penalty.confiscation"]))
    assert "150000.00" not in confiscated.content.decode()
