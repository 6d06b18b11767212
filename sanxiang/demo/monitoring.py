"""Demo 非现场执法 of 哈尔滨: five enterprise outlets with their automatic monitoring devices, registered through the
services (locations published, four devices reviewed under 《行政处罚法》第四十一条, one not yet), their permits'
hourly limits, and a maintenance mark; then a simulated fleet (seeded, so every run sends the same bytes) connects
to a real HJ 212-2017 listener and sends yesterday's 08:00–14:00 minute data — the history its loggers kept (补传).

Three things happened in that history, and the platform treats each as the law says:
- 松江热电's SO2 ran at about 2.5 times its level from 10:00 to 12:00: two hours over the limit, found as
  exceedances, made one inspection task; the officers inspected, opened a case, and its first evidence items are
  the sealed packet segments and their manifest; the art-41 check is under way (records reviewed, the party told,
  the statement not yet invited), so the case cannot yet be decided on this data alone.
- 兴达危废's incinerator was under maintenance 11:00–12:00: its logger flagged the values M and the enterprise's
  mark covers the hour, so the high values are shown but not counted.
- 新阳建材's kiln device has not passed its review: its values over the limit 09:00–11:00 are withheld, not found.
- 金鼎电镀's logger sends once with a mistyped password, and one packet arrives damaged: both are quarantined raw
  and answered with the reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
from decimal import Decimal

import time_machine
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from sanxiang.agencies.models import Agency, User
from sanxiang.cases import services as cases
from sanxiang.cases.models import Party, Violation
from sanxiang.inspections import approvals, task_services
from sanxiang.inspections.approval_selectors import items_for_approval
from sanxiang.monitoring import checklist, protocol, registry, services
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.listener import Listener
from sanxiang.monitoring.models import EvidenceCheck, Exceedance, Point
from sanxiang.monitoring.simulate import Episode, Fleet, Measured, SimulatedDevice, deliver

SEED = 2026
PASSWORD = "hlj212"
# enterprise, outlet, name, medium, address suffix, latitude, longitude, reviewed, measured (code, level, unit),
# hourly limits (code, value, source)
OUTLETS = [
    (
        "哈尔滨松江热电有限责任公司",
        "DA001",
        "1号锅炉烟囱",
        "air",
        "1号锅炉烟囱（高 120 米）",
        "45.775310",
        "126.689420",
        True,
        [("a21026", 18.0), ("a21002", 30.0), ("a34013", 4.0)],
        [("a21026", "35"), ("a21002", "50"), ("a34013", "10")],
        "《火电厂大气污染物排放标准》（GB 13223-2011）及超低排放改造要求，许可排放浓度",
    ),
    (
        "哈尔滨兴达危废处置有限公司",
        "DA001",
        "焚烧炉排气筒",
        "air",
        "焚烧车间排气筒（高 50 米）",
        "45.493120",
        "126.318870",
        True,
        [("a21026", 45.0), ("a21002", 160.0), ("a34013", 12.0)],
        [("a21026", "100"), ("a21002", "300"), ("a34013", "30")],
        "《危险废物焚烧污染控制标准》（GB 18484-2020）表3 1小时均值",
    ),
    (
        "哈尔滨市新阳建材有限公司",
        "DA001",
        "窑尾排气筒",
        "air",
        "窑尾排气筒（高 45 米）",
        "45.680050",
        "126.801330",
        False,
        [("a34013", 14.0), ("a21026", 60.0)],
        [("a34013", "20"), ("a21026", "100")],
        "《砖瓦工业大气污染物排放标准》（GB 29620-2013）表2",
    ),
    (
        "哈尔滨北方精细化工有限公司",
        "DA002",
        "导热油炉排气筒",
        "air",
        "导热油炉排气筒（高 30 米）",
        "45.867400",
        "126.551820",
        True,
        [("a21026", 22.0), ("a21002", 70.0)],
        [("a21026", "50"), ("a21002", "150")],
        "《锅炉大气污染物排放标准》（GB 13271-2014）表3",
    ),
    (
        "哈尔滨市呼兰区金鼎电镀厂",
        "DW001",
        "废水总排口",
        "water",
        "厂区东侧废水总排口",
        "45.893710",
        "126.588190",
        True,
        [("w01018", 36.0), ("w21003", 4.0)],
        [("w01018", "80"), ("w21003", "15")],
        "《电镀污染物排放标准》（GB 21900-2008）表2",
    ),
]


def _mn(index: int) -> str:
    return f"23010020260{index:02d}0001"


def load_monitoring(*, today: dt.date) -> int:
    """The demo's monitoring, unless 哈尔滨 has points already; the number of exceedances found."""
    harbin = Agency.objects.get(code="230100")
    if Point.objects.filter(agency=harbin).exists():
        return 0
    staff = {user.username: user for user in User.objects.filter(agency=harbin)}
    head, officer1, officer2 = staff["hrb.head"], staff["hrb.officer1"], staff["hrb.officer2"]
    yesterday = today - dt.timedelta(days=1)
    zone = timezone.get_default_timezone()

    def at(hour: int, day: dt.date = yesterday) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)

    devices, points = [], {}
    for index, (name, outlet, label, medium, where, lat, lon, reviewed, measured, limits, source) in enumerate(
        OUTLETS, start=1
    ):
        party = Party.objects.get(agency=harbin, name=name)
        point = registry.point_register(
            actor=officer1,
            agency=harbin,
            party=party,
            outlet_code=outlet,
            name=label,
            medium=medium,
            address=f"{party.address} {where}",
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )
        registry.point_publish_location(actor=officer1, point=point, published_on=today - dt.timedelta(days=200))
        device = registry.device_register(
            actor=officer1,
            point=point,
            mn=_mn(index),
            password=PASSWORD,
            installed_on=today - dt.timedelta(days=240),
            maker="北京雪迪龙科技股份有限公司" if medium == "air" else "哈希水质分析仪器（上海）有限公司",
            model="SCS-900" if medium == "air" else "CODmax II",
        )
        if reviewed:
            registry.device_review(
                actor=head,
                device=device,
                passed_on=today - dt.timedelta(days=210),
                reference=f"哈环监审〔{today.year}〕{index + 10}号",
            )
        for code, value in limits:
            registry.limit_set(
                actor=officer1,
                point=point,
                pollutant=code,
                averaging="hour",
                value=Decimal(value),
                source=f"排污许可证 {party.permit_number or '（未载）'}；{source}",
                valid_from=today - dt.timedelta(days=365),
            )
        unit = "mg/L" if medium == "water" else "mg/m³"
        devices.append(
            SimulatedDevice(
                _mn(index),
                PASSWORD,
                tuple(Measured(code, level, unit) for code, level in measured),
                st="32" if medium == "water" else "31",
            )
        )
        points[name] = point
    registry.mark_record(
        actor=officer1,
        point=points["哈尔滨兴达危废处置有限公司"],
        kind="maintenance",
        starts_at=at(11),
        ends_at=at(12),
        reason="企业报告：焚烧炉烟气 CEMS 二氧化硫分析仪例行维护（运维单位现场作业记录编号 YW-0613）",
    )
    fleet = Fleet(
        devices,
        seed=SEED,
        episodes=[
            Episode.exceedance(_mn(1), at(10), hours=2, factor=2.5, codes=("a21026",)),
            Episode.maintenance(_mn(2), at(11), hours=1, factor=3.0, codes=("a21026",)),
            Episode.exceedance(_mn(3), at(9), hours=2, factor=2.0, codes=("a34013",)),
        ],
    )
    _send(fleet, start=at(8), end=at(14), sent_at=at(14) + dt.timedelta(minutes=30))
    services.segments_seal()
    found = exceedances_find(day=yesterday)
    _inspect_and_open(points["哈尔滨松江热电有限责任公司"], head, officer1, officer2, yesterday)
    return found.findings


def _send(fleet: Fleet, *, start: dt.datetime, end: dt.datetime, sent_at: dt.datetime) -> None:
    """The loggers reconnect at `sent_at` and send their history to a listener of this process, which stores it in
    that hour's segment (sealed once the demo is back in the present)."""
    with time_machine.travel(sent_at, tick=True):
        database = connections[DEFAULT_DB_ALIAS]
        database.inc_thread_sharing()  # the writer stores in the demo's own transaction while the demo waits
        listener = Listener("127.0.0.1", 0, database=database)
        thread = threading.Thread(target=listener.run, daemon=True)
        thread.start()
        if not listener.ready.wait(30):
            raise RuntimeError("the monitoring listener did not start")
        try:
            streams = fleet.streams(start, end, sent_at=sent_at)
            delivery = asyncio.run(deliver("127.0.0.1", listener.port, streams, window=16))
            _misfire(listener.port, streams[-1][-1].raw)
        finally:
            listener.stop()
            thread.join(60)
            database.dec_thread_sharing()
    if listener.failure is not None:
        raise listener.failure
    if delivery.unanswered:
        raise RuntimeError(f"{delivery.unanswered} demo packets were not acknowledged")


def _misfire(port: int, packet: bytes) -> None:
    """What the quarantine shows: 金鼎电镀's logger, after its operator re-entered the password wrongly, and a packet
    damaged on the line — each refused, kept raw and answered with why (QnRtn 3 and 9)."""
    segment = packet[6:-6].decode("ascii")
    wrong = protocol.frame(segment.replace(f"PW={PASSWORD}", "PW=hlj2l2"))
    damaged = packet[:-6] + b"0000\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(wrong + damaged)
        splitter, answers = protocol.Splitter(), []
        while len(answers) < 2 and (data := connection.recv(4096)):
            answers += [piece for piece in splitter.feed(data) if isinstance(piece, bytes)]


def _inspect_and_open(point: Point, head: User, officer1: User, officer2: User, day: dt.date) -> None:
    """The clue of 松江热电 inspected today, a case opened from the inspection, the art-41 check begun."""
    exceedance = Exceedance.objects.filter(point=point, task__isnull=False).select_related("task").first()
    if exceedance is None:
        return
    harbin, today = point.agency, timezone.localdate()
    task = task_services.task_dispatch(actor=head, task=exceedance.task, officers=[officer1, officer2], due_on=today)
    request = approvals.approval_request(
        actor=officer1,
        agency=harbin,
        party=point.party,
        items=items_for_approval(harbin, today)[:1],
        officers=[officer1, officer2],
        source="monitoring",
        reason="在线监测数据显示 1 号锅炉二氧化硫小时均值超过许可排放浓度",
        task=task,
        planned_from=today,
        planned_to=today,
    )
    task = task_services.task_start(
        actor=officer1, task=task, approval=approvals.approval_approve(actor=head, approval=request, note="同意")
    )
    inspection = cases.inspection_complete(
        actor=officer1,
        inspection=task.inspection,
        ended_at=timezone.now(),
        findings="1 号锅炉脱硫系统浆液循环泵故障停运两小时，期间二氧化硫排放浓度超过许可排放浓度，企业未按规定报告。",
        violation_found=True,
        signature="signed",
    )
    case = cases.case_open(
        actor=officer1,
        agency=harbin,
        party=point.party,
        title="超过许可排放浓度排放大气污染物案",
        source="monitoring",
        act_date=day,
        discovered_on=today,
        summary="在线监控数据显示，当事人 1 号锅炉二氧化硫小时均值连续两小时超过许可排放浓度。",
        inspection=inspection,
        violation=Violation.objects.get(code="DQ-99"),
        act_place=point.address,
        act_division=harbin.code,
    )
    check = EvidenceCheck.objects.get(case=case)
    check = checklist.check_review_records(
        actor=officer1,
        check=check,
        reviewed_on=today,
        conform=True,
        opinion="数据真实、清晰、完整、准确：设备经审核，报文 CRC 与分段哈希核验一致，当时段无标记。",
    )
    checklist.check_tell_party(actor=officer1, check=check, told_on=today, how="电话告知并送达《在线监控数据告知书》")
