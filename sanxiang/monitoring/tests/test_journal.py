"""Answered before stored: a batch is written to the hour's segment and receipts (and may then be answered), and
stored in the database later. What a writer answered and did not store is stored by the next writer before anything
else, once; a receipt torn by the crash is not; a retransmission of a packet waiting to be stored is not written
again; and an hour is sealed only once everything answered in it is stored."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.monitoring import segments, services
from sanxiang.monitoring.intake import Intake, password_digest
from sanxiang.monitoring.models import Packet, Quarantined, Reading, Segment
from sanxiang.monitoring.written import Written
from sanxiang.testing.monitoring import make_device, make_point, upload

pytestmark = pytest.mark.django_db


def _write(files, packets, *, written=None, received_at=None):
    """Judge and write `packets` as the listener's journal thread does, without storing them."""
    intake = Intake()
    judged = [intake.judge(raw, received_at=received_at, peer="10.0.0.7:4001") for raw in packets]
    return services.packets_journal(items=judged, files=files, written=written or Written())


def _uploads(device, count, *, first=0):
    now = timezone.now().replace(second=0, microsecond=0)
    return [
        upload(device.mn, now - dt.timedelta(minutes=n), {"a21026": (float(n), "N")}, serial=n)
        for n in range(first, first + count)
    ]


def test_what_was_answered_and_not_stored_is_stored_by_the_next_writer_once(files, device):
    packets = _uploads(device, 3)
    wrong = upload(device.mn, timezone.now(), {"a21026": (1.0, "N")}, password="000000", serial=7)
    journaled, result = _write(files, [*packets, wrong, packets[0]], received_at=timezone.now())
    assert result.duplicates == 1 and all(result.responses)  # every one answered, the repeat too
    assert not Packet.objects.exists() and not Quarantined.objects.exists()  # on disk only
    replayed = services.journal_replay(intake=Intake())
    assert (replayed.stored, replayed.quarantined, replayed.readings) == (3, 1, 3)
    assert sorted(Reading.objects.values_list("value", flat=True)) == [0.0, 1.0, 2.0]
    refusal = Quarantined.objects.get()
    assert (refusal.reason, refusal.peer, bytes(refusal.raw)) == ("password", "10.0.0.7:4001", wrong)
    segment = Segment.objects.get()
    assert segment.applied == journaled.end == segments.receipts_path_of(segment.hour).stat().st_size
    data = segments.path_of(segment.hour).read_bytes()
    assert sorted(data[p.offset : p.offset + p.length] for p in Packet.objects.all()) == sorted(packets)
    again = services.journal_replay(intake=Intake())
    assert (again.stored, again.quarantined, Packet.objects.count()) == (0, 0, 3)


def test_a_torn_last_receipt_is_cut_off_and_the_hours_next_ones_follow_the_good_ones(files, device):
    _write(files, _uploads(device, 2), received_at=timezone.now())
    hour = segments.hour_of(timezone.now())
    receipts = segments.receipts_path_of(hour)
    whole = receipts.read_bytes()
    half = _write(files, _uploads(device, 1, first=5))[0]
    torn = receipts.read_bytes()[: half.end - 5]
    receipts.write_bytes(torn)  # the crash came while the third record was written: it was never answered
    assert services.journal_replay(intake=Intake()).stored == 2
    assert Segment.objects.get().applied == len(whole) == receipts.stat().st_size  # the torn record cut off
    _write(files, _uploads(device, 1, first=7))  # the next start's first packet, answered, then a crash again
    assert services.journal_replay(intake=Intake()).stored == 1


def test_a_damaged_receipt_stops_the_reading_and_is_kept_to_be_examined(files, device, caplog):
    _write(files, _uploads(device, 2), received_at=timezone.now())
    receipts = segments.receipts_path_of(segments.hour_of(timezone.now()))
    damaged = bytearray(receipts.read_bytes())
    damaged[10] ^= 0xFF  # the first record's body no longer matches its CRC
    receipts.write_bytes(bytes(damaged))
    assert services.journal_replay(intake=Intake()).stored == 0
    assert receipts.read_bytes() == bytes(damaged) and "damaged" in caplog.text


def test_a_retransmission_of_a_packet_waiting_to_be_stored_is_answered_and_not_written_again(files, device):
    written = Written()
    packet = _uploads(device, 1)
    first, _ = _write(files, packet, written=written)
    size = segments.path_of(first.hour).stat().st_size
    second, result = _write(files, packet, written=written)
    assert second is None and result.duplicates == 1 and result.responses[0]
    assert segments.path_of(first.hour).stat().st_size == size
    services.packets_apply(batches=[first])
    assert Packet.objects.count() == 1


def test_an_hour_is_sealed_only_once_everything_answered_in_it_is_stored(files, device):
    hour = segments.hour_of(timezone.now())
    services.packets_apply(batches=[_write(files, _uploads(device, 2))[0]])
    _write(files, _uploads(device, 3, first=10))  # answered, and the writer stopped before storing them
    with time_machine.travel(hour + dt.timedelta(hours=1, minutes=3)):
        segment = Segment.objects.get()
        with pytest.raises(ValueError, match="not stored yet"):
            services.segment_seal(segment=segment)
        assert services.segments_seal() == []
        services.journal_replay(intake=Intake())
        sealed = services.segments_seal()
    assert [s.packets for s in sealed] == [5]


def test_packets_answered_before_their_device_was_retired_are_stored_as_they_were_answered(files, device):
    _write(files, _uploads(device, 2), received_at=timezone.now())
    device.retired_on = timezone.localdate()
    device.password_sha256 = password_digest("changed")
    device.save(update_fields=["retired_on", "password_sha256"])
    replayed = services.journal_replay(intake=Intake())
    assert (replayed.stored, replayed.quarantined) == (2, 0)


def test_a_refusal_whose_fields_hold_control_bytes_is_quarantined_with_its_bytes_whole(files, device):
    raw = upload(device.mn, timezone.now(), {"a21026": (1.0, "N")}, password="000000")
    raw = raw.replace(b"QN=", b"QN=\x00\x01", 1)
    services.packets_store(items=[Intake().judge(raw, received_at=timezone.now())], files=files)
    refusal = Quarantined.objects.get()
    assert "\x00" not in refusal.qn + refusal.detail and bytes(refusal.raw) == raw


def test_a_packet_from_a_log_without_times_is_replayed_without_a_clock_check(files, device):
    late = timezone.now() - dt.timedelta(hours=3)
    _write(files, [upload(device.mn, late, {"a21026": (1.0, "N")}, sent_at=late)], received_at=None)
    services.journal_replay(intake=Intake())
    assert Packet.objects.get().skewed is False


def test_only_a_packet_not_newer_than_its_devices_newest_is_looked_up_and_found_when_stored(
    files, device, django_assert_max_num_queries
):
    first, second, third = _uploads(device, 3)  # QNs in the order they were made
    services.packets_store(items=[Intake().judge(first, received_at=None)], files=files)
    written = Written()  # a writer started since: it learns the device's newest QN once
    with django_assert_max_num_queries(1):
        assert written.known({(device.pk, "99999999999999999", 1)}) == set()
    stored_qn = Packet.objects.get().qn
    older = (device.pk, "10000101000000000", 1)  # the device's clock went back: looked up, not there
    repeat = (device.pk, stored_qn, 1)
    assert written.known({older, repeat}) == {repeat}
    journaled, result = _write(files, [second, first, third], written=written)
    assert result.duplicates == 1 and len(journaled.packets) == 2


def test_a_writer_learns_each_devices_newest_in_one_statement_and_an_unknown_device_has_none(files, world, device):
    other = make_device(make_point(world.harbin), mn="230100TEST000777")
    services.packets_store(items=[Intake().judge(_uploads(device, 1)[0], received_at=None)], files=files)
    written = Written()
    with CaptureQueriesContext(connection) as queries:
        written.learn([device.pk, other.pk, 999_999])
    assert len(queries) == 1
    newest = Packet.objects.get().qn
    with CaptureQueriesContext(connection) as queries:  # known now: no look-up for a newer packet of either
        assert written.known({(device.pk, newest + "1", 1), (other.pk, "1", 1)}) == set()
    assert len(queries) == 0
    assert written.known({(device.pk, newest, 1)}) == {(device.pk, newest, 1)}
