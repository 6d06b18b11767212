"""Every page each role can reach, and every public page, on a 390 px phone in a real browser: none wider than the
screen, none with a raw Python value or an untranslated English label, no link that answers 403 to its user and no
server error (sanxiang.testing.crawl)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.agencies.models import Role
from sanxiang.cases import services
from sanxiang.cases.models import Violation
from sanxiang.core.calendar import earlier_today, halfway_to_now
from sanxiang.inspections import approvals, feedback, task_services
from sanxiang.inspections.draw_results import recusal_declare
from sanxiang.inspections.services import rules_set
from sanxiang.licensing.models import Material
from sanxiang.powers.models import PowerKind
from sanxiang.supervision import services as supervision
from sanxiang.testing.approvals import EMERGENCY, approved
from sanxiang.testing.browser import login
from sanxiang.testing.cases import DECIDED, at, make_party, open_case, walk
from sanxiang.testing.catalogues import make_item, make_power
from sanxiang.testing.crawl import crawl
from sanxiang.testing.draws import drawn, make_enterprises, make_plan
from sanxiang.testing.factories import make_staff
from sanxiang.testing.licensing import accepted, make_type
from sanxiang.testing.licensing import submit as submit_application
from sanxiang.testing.monitoring import monitored_point
from sanxiang.testing.publicity import published
from sanxiang.testing.reviews import submit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PERSONAS = ["officer", "reviewer", "head", "clerk", "admin", "security", "auditor", "supervisor"]


@pytest.fixture
def busy_agency(live_data, world):
    """One of everything a bureau's pages show: a published decision, a case under legal review, a clue, a
    completed inspection, an on-the-spot penalty waiting to be filed; powers with a violation hung on one, an
    inspection item with its frequencies, the working rules; a 双随机 plan drawn and a draft, a recusal; licence
    type in the 办事指南 with a sample text, applications at the window, under examination and online."""
    people = world.people
    penalty = make_power(world.harbin, PowerKind.PENALTY, name="对超标排放大气污染物的处罚")
    services.power_violations_set(actor=None, power=penalty, violations=[Violation.objects.get(code="DQ-99")])
    make_item(make_power(world.harbin), frequencies={"key": ("100", 4), "general": ("10", 2), "positive": ("3", 1)})
    rules_set(
        actor=None,
        agency=world.harbin,
        title="“双随机、一公开”抽查工作细则",
        document_number="哈环发〔2026〕3号",
        adopted_on=dt.date(2026, 1, 5),
        text="第一条 检查对象和执法检查人员均随机抽取。",
    )
    published(world)
    reviewed = walk(world, open_case(world, title="某公司超标排放大气污染物案"), "reconsidered", fine=Decimal("200000"))
    with at(DECIDED):
        submit(world, reviewed)
    open_case(world, title="群众举报某洗车店污水直排")
    party = make_party(world.harbin, name="哈尔滨市某化工有限公司")
    start = earlier_today(dt.timedelta(hours=2))  # on its local day, even just after midnight
    inspection = services.inspection_start(
        actor=people.officer,
        agency=world.harbin,
        party=party,
        place="道里区新阳路 8 号",
        started_at=start,
        officers=[people.officer, people.partner],
        **EMERGENCY,
    )
    services.inspection_complete(
        actor=people.officer,
        inspection=inspection,
        ended_at=halfway_to_now(start),
        findings="废气处理设施正常运行，在线监测数据无异常。",
        violation_found=False,
        signature="signed",
    )
    services.onsite_penalty_decide(
        actor=people.officer,
        agency=world.harbin,
        party=make_party(world.harbin),
        officers=[people.officer, people.partner],
        decided_at=earlier_today(dt.timedelta(hours=3)),
        place="道里区新阳路",
        facts="露天焚烧废弃包装物",
        basis="《大气污染防治法》第一百一十九条",
        kind="fine",
        fine=Decimal("500"),
    )
    enterprises = make_enterprises(world.harbin, {"key": 2, "general": 3})
    recusal_declare(actor=people.officer, party=enterprises[2], reason="其配偶在该企业任职")
    drawn(world, make_plan(world, percents={"key": "100"}))
    make_plan(world, title="下半年抽查计划（草稿）")
    # an inspection begun on its approval and rated by the enterprise, a request waiting, a task dispatched
    pair = [people.officer, people.partner]
    rated = make_party(world.harbin, name="哈尔滨市某印染有限公司")
    approval = approved(head=people.head, officers=pair, party=rated)
    visited = services.inspection_start(
        actor=people.officer,
        agency=world.harbin,
        party=rated,
        place=rated.address,
        started_at=start,
        officers=pair,
        approval=approval,
    )
    services.inspection_complete(
        actor=people.officer,
        inspection=visited,
        ended_at=halfway_to_now(start),
        findings="污水处理设施运行正常。",
        violation_found=False,
        signature="signed",
    )
    feedback.rating_submit(approval=approval, uscc=rated.uscc, stars=5, comment="检查人员出示证件，程序规范。")
    task = task_services.task_create(
        actor=people.head, agency=world.harbin, party=party, source="complaint", description="群众举报夜间异味"
    )
    task_services.task_dispatch(actor=people.head, task=task, officers=pair, due_on=timezone.localdate())
    approvals.approval_request(
        actor=people.officer,
        agency=world.harbin,
        party=party,
        items=list(approval.items.all()),
        officers=pair,
        source="complaint",
        reason="群众举报夜间异味",
        planned_from=timezone.localdate(),
        planned_to=timezone.localdate(),
        task=task,
    )
    # 行政许可: an application waiting for a material at the window, another under examination
    licence_type = make_type(world.harbin)
    submit_application(people.officer, licence_type, materials=["M1"])
    accepted(people.officer, licence_type)
    supervisor = make_staff(agency=world.province, roles=[Role.SUPERVISOR], username="supervisor", full_name="林静")
    # 行政执法监督: a 整改通知书 to 哈尔滨, signed for and answered by its head
    notice = supervision.notice_issue(
        actor=supervisor,
        agency=world.harbin,
        kind="rectification",
        subject="行政处罚决定公示迟延",
        findings="部分决定超过期限公示。",
        requirement="限期整改并报送整改情况。",
    )
    supervision.notice_acknowledge(actor=people.head, notice=notice)
    supervision.notice_respond(actor=people.head, notice=notice, response="已补充公示。")
    # a licence type in the 办事指南, with a sample text, and an application to follow on the progress page
    submit_application(None, make_type(world.harbin, code="WF-JY", validity_years=5, renewable=True))
    Material.objects.filter(code="M1").update(sample="建设项目环境影响报告表审批申请书（示范文本）")
    # an online-monitoring point with an hour of data, a limit and a mark; its location on the portal
    monitored_point(world.harbin)
    return world


# each role is its own test, so the workers share the crawl (one crawl of all took six minutes in one worker)
@pytest.mark.parametrize("persona", [*PERSONAS, "public"])
def test_every_page_a_role_reaches_fits_a_phone_and_reads_in_chinese(busy_agency, browser, live_server, persona):
    if persona == "public":
        page = browser.new_context(viewport=PHONE).new_page()
        result = crawl(page, live_server.url, "public", "/")
    else:
        page = login(browser, live_server, persona, viewport=PHONE)
        result = crawl(page, live_server.url, persona, within="/workbench/")
    page.context.close()
    assert not result.problems, "\n".join(map(str, result.problems))
    # the crawl itself went somewhere: each role's own pages, and the portal's
    least = {"officer": 25, "head": 25, "public": 10}.get(persona, 0)
    assert len(result.visited) > least, (persona, len(result.visited))
