"""Judged packets stored in one transaction: values read into readings, raw bytes in the hour's segment at the offset
the packet row names, a retransmission stored once and answered again, every refusal quarantined with its bytes and
its reason, a device with a skewed clock flagged — and an hour, once over, sealed with its hash in the ledger."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from sanxiang.core.blobs import blob_read
from sanxiang.ledger.models import Entry
from sanxiang.ledger.selectors import entry_json as entry_body
from sanxiang.monitoring import protocol, segments, services
from sanxiang.monitoring.intake import Intake
from sanxiang.monitoring.models import Packet, Quarantined, Reading, Segment
from sanxiang.testing.monitoring import make_device, make_point, upload

pytestmark = pytest.mark.django_db


def _store(files, packets, *, received_at=None, intake=None):
    intake = intake or Intake()
    judged = [intake.judge(raw, received_at=received_at or timezone.now(), peer="127.0.0.1:5000") for raw in packets]
    return services.packets_store(items=judged, files=files)


def test_a_minute_upload_is_stored_with_its_values_and_its_bytes_and_answered(files, device):
    minute = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=1)
    raw = upload(device.mn, minute, {"a21026": (35.5, "N"), "a21002": (120.25, "M")})
    result = _store(files, [raw])
    assert result.stored == 1 and result.readings == 2
    assert protocol.parse(protocol.unframe(result.responses[0])).cn == "9014"
    packet = Packet.objects.get()
    assert (packet.device, packet.cn, packet.data_time, packet.skewed) == (device, "2051", minute, False)
    assert segments.path_of(packet.segment.hour).read_bytes()[packet.offset : packet.offset + packet.length] == raw
    readings = {reading.pollutant: reading for reading in Reading.objects.filter(point=device.point)}
    assert readings["a21026"].value == 35.5 and readings["a21026"].flag == "N"
    assert readings["a21002"].flag == "M" and readings["a21002"].averaging == "minute"
    assert readings["a21002"].data_time == minute and readings["a21002"].device_id == device.pk


def test_an_upload_that_does_not_ask_is_stored_and_not_answered(files, device):
    raw = upload(device.mn, timezone.now(), {"a21026": (1.0, "N")}, flag=4)
    result = _store(files, [raw])
    assert result.stored == 1 and result.responses == [None]


def test_a_retransmission_is_stored_once_and_answered_each_time(files, device):
    raw = upload(device.mn, timezone.now(), {"a21026": (1.0, "N")})
    first = _store(files, [raw, raw])  # the same QN twice in one batch
    again = _store(files, [raw])  # and once more after the commit
    assert (first.stored, first.duplicates, again.stored, again.duplicates) == (1, 1, 0, 1)
    assert all(first.responses) and again.responses[0] == first.responses[0]
    assert Packet.objects.count() == 1 and Reading.objects.count() == 1
    packet = Packet.objects.get()
    assert segments.path_of(packet.segment.hour).stat().st_size == len(raw)  # the bytes once too


def test_a_later_packet_for_the_same_minute_keeps_the_first_value(files, device):
    minute = timezone.now().replace(second=0, microsecond=0)
    _store(files, [upload(device.mn, minute, {"a21026": (1.0, "N")})])
    _store(files, [upload(device.mn, minute, {"a21026": (9.0, "N")}, serial=5)])
    assert Packet.objects.count() == 2  # both packets are kept as received
    assert list(Reading.objects.values_list("value", flat=True)) == [1.0]


@pytest.mark.parametrize(
    ("mutate", "reason", "qnrtn"),
    [
        (lambda raw, mn: raw[:-6] + b"0000\r\n", "crc", "9"),
        (lambda raw, mn: upload("99999999999999", timezone.now(), {"a21026": (1.0, "N")}), "mn", "4"),
        (lambda raw, mn: upload(mn, timezone.now(), {"a21026": (1.0, "N")}, password="654321"), "password", "3"),
        (lambda raw, mn: upload(mn, timezone.now(), {"a21026": (1.0, "N")}, cn="3020"), "command", "8"),
        (lambda raw, mn: upload(mn, timezone.now() + dt.timedelta(days=2), {"a21026": (1.0, "N")}), "fields", "100"),
        (lambda raw, mn: protocol.frame(raw[6:-6].decode().replace("Avg=1.000", "Avg=abc")), "fields", "100"),
    ],
)
def test_a_refused_packet_is_quarantined_raw_with_its_reason_and_answered_when_it_can_be(
    files, device, mutate, reason, qnrtn
):
    raw = mutate(upload(device.mn, timezone.now(), {"a21026": (1.0, "N")}), device.mn)
    result = _store(files, [raw])
    assert result.stored == 0 and result.quarantined == 1
    kept = Quarantined.objects.get()
    assert (kept.reason, bytes(kept.raw), kept.peer) == (reason, raw, "127.0.0.1:5000")
    assert not Packet.objects.exists() and not Reading.objects.exists()
    assert protocol.parse(protocol.unframe(result.responses[0])).cp == f"QnRtn={qnrtn}"


def test_a_retired_device_is_refused(files, device):
    device.retired_on = timezone.localdate()
    device.save()
    result = _store(files, [upload(device.mn, timezone.now(), {"a21026": (1.0, "N")})])
    assert Quarantined.objects.get().reason == "retired" and result.stored == 0


def test_a_device_registered_while_listening_is_known_after_its_first_packet(files, world):
    intake = Intake()
    late = make_device(make_point(world.harbin))
    intake.devices._loaded -= 10  # the devices were read more than RELOAD_SECONDS ago
    assert _store(files, [upload(late.mn, timezone.now(), {"a21026": (1.0, "N")})], intake=intake).stored == 1


def test_a_device_whose_clock_is_off_is_flagged_and_an_old_datatime_is_lawful_backfill(files, device):
    now = timezone.now()
    skewed = upload(
        device.mn, now - dt.timedelta(minutes=1), {"a21026": (1.0, "N")}, sent_at=now - dt.timedelta(minutes=11)
    )
    backfill = upload(device.mn, now - dt.timedelta(days=30), {"a21026": (2.0, "N")}, serial=1)
    _store(files, [skewed, backfill], received_at=now)
    flags = dict(Packet.objects.values_list("data_time", "skewed"))
    assert flags == {
        (now - dt.timedelta(minutes=1)).replace(microsecond=0): True,
        (now - dt.timedelta(days=30)).replace(microsecond=0): False,
    }
    assert set(Reading.objects.values_list("value", "skewed")) == {(1.0, True), (2.0, False)}


def test_a_failed_batch_leaves_nothing_behind(files, device, monkeypatch):
    raw = upload(device.mn, timezone.now(), {"a21026": (1.0, "N")})

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(services.Quarantined.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        _store(files, [raw, b"junk"])
    assert not Packet.objects.exists() and not Reading.objects.exists() and not Segment.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only")
def test_on_postgresql_readings_go_to_the_partition_of_their_month(files, device):
    now = timezone.now()
    _store(
        files,
        [
            upload(device.mn, now - dt.timedelta(days=40), {"a21026": (1.0, "N")}),
            upload(device.mn, now, {"a21026": (2.0, "N")}, serial=1),
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text, value FROM monitoring_reading ORDER BY data_time")
        rows = cursor.fetchall()
    months = [(now - dt.timedelta(days=40)).astimezone(dt.UTC), now.astimezone(dt.UTC)]
    assert rows == [
        (f"monitoring_reading_p{month:%Y%m}", value) for month, value in zip(months, (1.0, 2.0), strict=True)
    ]


def test_an_hour_that_is_over_is_sealed_its_file_kept_by_hash_and_the_hash_ledgered(
    files, device, django_capture_on_commit_callbacks
):
    now = timezone.now()
    raws = [upload(device.mn, now, {"a21026": (float(n), "N")}, serial=n) for n in range(3)]
    _store(files, raws, received_at=now)
    segment = Segment.objects.get()
    with pytest.raises(ValueError):
        services.segment_seal(segment=segment)  # its hour is not over
    assert services.segments_seal() == []
    with time_machine.travel(segment.hour + dt.timedelta(hours=1, minutes=3)):
        _store(files, [upload(device.mn, now, {"a21026": (9.0, "N")}, serial=9)])  # the next hour's file
        with django_capture_on_commit_callbacks(execute=True):
            sealed = services.segments_seal()
    assert [s.pk for s in sealed] == [segment.pk]
    segment.refresh_from_db()
    assert (segment.packets, segment.size) == (3, sum(map(len, raws)))
    assert blob_read(segment.sha256) == b"".join(raws)
    assert not segments.path_of(segment.hour).exists()  # the open file is gone once the store holds it
    entry = entry_body(Entry.objects.get(action="monitoring.segment_seal"))
    assert entry["data"]["sha256"] == segment.sha256 and entry["data"]["packets"] == 3
    with time_machine.travel(segment.hour + dt.timedelta(hours=1, minutes=3)):
        assert services.segments_seal() == []  # sealed once; the next hour is still open


def test_an_import_of_old_packets_writes_into_the_open_hour_never_a_sealed_one(files, device):
    old = timezone.now() - dt.timedelta(days=3)
    _store(files, [upload(device.mn, old, {"a21026": (1.0, "N")}, sent_at=old)], received_at=old)
    assert Segment.objects.get().hour == segments.hour_of(timezone.now())
