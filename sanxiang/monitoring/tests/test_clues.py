"""A clue in a case: the case opened from the inspection of a monitoring task takes the sealed hours of raw packets
and a hash manifest as its first evidence items (电子数据), anyone can verify each packet against its segment and
each segment against the ledger, and an hour not sealed yet is added once sealed. The clue list and the API show
the exceedances and what the runs left out; other agencies see none of it."""

import datetime as dt
import hashlib
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.core.blobs import blob_read
from sanxiang.evidence.models import EvidenceItem
from sanxiang.ledger.models import Entry
from sanxiang.monitoring import services
from sanxiang.monitoring.clue_evidence import case_segments_add, pending_segments_add
from sanxiang.monitoring.clue_evidence import manifest as manifest_of
from sanxiang.monitoring.clues import exceedances_find
from sanxiang.monitoring.intake import Intake
from sanxiang.monitoring.models import CaseSegment, EvidenceCheck, Exceedance, Segment
from sanxiang.testing.clues import DATA_DAY, SO2, SOURCE, clue_case, local_hour, monitored, send
from sanxiang.testing.monitoring import upload

pytestmark = pytest.mark.django_db


def _manifest(case) -> dict:
    check = EvidenceCheck.objects.get(case=case)
    return json.loads(blob_read(check.manifest.sha256))


def test_a_case_opened_from_a_clue_takes_the_packets_and_a_verifiable_manifest_as_its_first_evidence(world, files):
    case, device = clue_case(world, files)
    exceedance = Exceedance.objects.get()
    assert (exceedance.status, exceedance.case) == ("in_case", case)
    items = list(EvidenceItem.objects.filter(case=case).order_by("number"))
    assert [item.number for item in items] == list(range(1, len(items) + 1)) and len(items) >= 2
    assert {item.kind for item in items} == {"electronic"} and items[0].recorded_by == world.people.officer
    check = EvidenceCheck.objects.get(case=case)
    assert check.status == "open" and check.manifest == items[-1]

    manifest = _manifest(case)
    [finding] = manifest["findings"]
    assert finding["pollutant"] == SO2 and finding["pollutant_name"] == "二氧化硫"
    assert finding["limit"]["source"] == SOURCE and finding["averaging"] == "hour"
    counted = [value for _time, value, flag, skewed, _device in finding["values"] if flag == "N" and not skewed]
    assert len(counted) == 60 and sum(counted) / len(counted) == float(finding["average"])
    assert len(manifest["packets"]) == 60
    segments = {row["sha256"]: row for row in manifest["segments"]}
    for packet in manifest["packets"]:  # every packet against its segment's bytes
        blob = blob_read(packet["segment_sha256"])
        piece = blob[packet["offset"] : packet["offset"] + packet["length"]]
        assert hashlib.sha256(piece).hexdigest() == packet["sha256"]
        assert piece.startswith(b"##") and f"MN={device.mn}".encode() in piece
    for sha, row in segments.items():  # every segment against its evidence item and its ledger entry
        assert hashlib.sha256(blob_read(sha)).hexdigest() == sha
        assert EvidenceItem.objects.get(case=case, number=row["evidence_number"]).sha256 == sha
        entry = Entry.objects.get(index=row["ledger_index"])
        assert entry.action == "monitoring.segment_seal" and json.loads(entry.body)["data"]["sha256"] == sha
    assert Entry.objects.filter(action="exceedance.evidence").count() == 1


def test_an_hour_not_sealed_when_the_case_opens_is_added_once_it_is(world, files):
    case, _device = clue_case(world, files)
    link = CaseSegment.objects.filter(case=case, segment__isnull=False).first()
    segment = link.segment
    # the same case, as if the hour had been open: its item and seal undone in a copy of the link
    CaseSegment.objects.filter(pk=link.pk).update(item=None)
    assert pending_segments_add() == 1
    link.refresh_from_db()
    assert link.item is not None and link.item.sha256 == segment.sha256
    assert EvidenceCheck.objects.get(case=case).manifest.number == EvidenceItem.objects.filter(case=case).count()


def test_a_packet_of_the_period_sent_late_waits_for_its_hour_and_the_manifest_still_verifies(world, files):
    case, device = clue_case(world, files)
    # the logger sends again (补传) one minute of the exceedance's hour with another QN: it lands in an hour the case
    # has not taken yet
    late = upload(device.mn, local_hour(DATA_DAY, 10) + dt.timedelta(minutes=59), {SO2: (180.0, "N")})
    assert services.packets_store(items=[Intake().judge(late, received_at=timezone.now())], files=files).stored == 1
    manifest = manifest_of(case)
    linked = {row["hour"] for row in manifest["segments"]}
    assert len(manifest["packets"]) == 60 and {row["segment_hour"] for row in manifest["packets"]} <= linked
    assert all(row["ledger_index"] is not None for row in manifest["segments"])


def test_an_hour_still_open_waits_unsealed_and_unadded(world, files):
    case, _device = clue_case(world, files)
    open_hour = Segment.objects.create(hour=timezone.now().replace(minute=0, second=0, microsecond=0))
    CaseSegment.objects.create(case=case, segment=open_hour)  # a late packet of the period received this hour
    assert case_segments_add(case=case) == 0  # not sealed early, not added
    assert CaseSegment.objects.filter(case=case, segment=open_hour, item__isnull=True).exists()
    assert Segment.objects.get(pk=open_hour.pk).sealed_at is None


def test_the_clue_list_shows_the_findings_and_what_was_left_out_to_its_agency_only(world, files, client):
    day = timezone.localdate() - dt.timedelta(days=2)
    found, hidden = monitored(world.harbin), monitored(world.harbin)
    send(files, found, local_hour(day, 10), {SO2: 180.0})
    send(files, hidden, local_hour(day, 10), {SO2: 300.0}, flag="M")
    exceedances_find(day=day)
    client.force_login(world.people.officer)
    page = client.get(reverse("monitoring-clues:list")).content.decode()
    assert "二氧化硫" in page and "180" in page and SOURCE in page and "已转检查任务" in page
    assert "数据标志无效（非 N）" in page and "依规不计入" in page and hidden.point.party.name in page
    client.force_login(world.people.outsider)
    page = client.get(reverse("monitoring-clues:list")).content.decode()
    assert found.point.party.name not in page and hidden.point.party.name not in page

    client.force_login(world.people.officer)
    body = client.get("/api/v1/monitoring/clues/").json()
    [row] = body["results"]
    assert row["pollutant_name"] == "二氧化硫" and row["limit_source"] == SOURCE and row["status"] == "tasked"
    clue = Exceedance.objects.get()
    assert client.get(f"/api/v1/monitoring/clues/{clue.pk}/").status_code == 200
    runs = client.get("/api/v1/monitoring/runs/").json()
    assert runs[0]["withheld"][0]["cause"] == "flag"
    client.force_login(world.people.outsider)
    assert client.get("/api/v1/monitoring/clues/").json()["results"] == []
    assert client.get(f"/api/v1/monitoring/clues/{clue.pk}/").status_code == 404
    assert client.get("/api/v1/monitoring/runs/").json()[0]["withheld"] == []


def test_the_clue_list_is_paged_fifty_at_a_time_and_keeps_its_filter(world, files, client):
    day = timezone.localdate() - dt.timedelta(days=2)
    site = monitored(world.harbin)
    send(files, site, local_hour(day, 10), {SO2: 180.0})
    exceedances_find(day=day)
    clue = Exceedance.objects.get()
    copies = []
    for hours in range(1, 55):
        copy = Exceedance.objects.get(pk=clue.pk)
        copy.pk = None
        copy.period_start -= dt.timedelta(hours=hours)
        copy.period_end -= dt.timedelta(hours=hours)
        copies.append(copy)
    Exceedance.objects.bulk_create(copies)
    client.force_login(world.people.officer)
    first = client.get(reverse("monitoring-clues:list"), {"status": "tasked"})
    assert len(first.context["clues"]) == 50 and "第 1 / 2 页" in first.content.decode()
    assert "status=tasked&page=2" in first.content.decode()
    second = client.get(reverse("monitoring-clues:list"), {"status": "tasked", "page": 2})
    assert len(second.context["clues"]) == 5


def test_an_exceedance_is_visible_to_its_agency_and_not_to_another(world, files):
    day = timezone.localdate() - dt.timedelta(days=2)
    send(files, monitored(world.harbin), local_hour(day, 10), {SO2: 180.0})
    exceedances_find(day=day)
    clue = Exceedance.objects.get()
    assert list(Exceedance.objects.visible_to(world.people.officer)) == [clue]
    assert not Exceedance.objects.visible_to(world.people.outsider).exists()
