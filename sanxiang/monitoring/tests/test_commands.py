"""`sanxiang monitoring import` reads a captured log the way the listener reads a connection; `seal` seals; a bad
listener address stops start-up with the variable named."""

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxiang.monitoring.models import Packet, Quarantined, Segment
from sanxiang.testing.monitoring import make_device, make_point, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path


def test_a_captured_log_is_imported_with_its_times_of_receipt_and_its_junk_quarantined(world, data_dir):
    device = make_device(make_point(world.harbin))
    now = timezone.now().replace(microsecond=0)
    on_time = upload(device.mn, now - dt.timedelta(minutes=1), {"a21026": (1.0, "N")}, sent_at=now)
    skewed = upload(device.mn, now - dt.timedelta(minutes=2), {"a21026": (2.0, "N")}, sent_at=now, serial=1)
    unknown = upload(device.mn, now - dt.timedelta(minutes=3), {"a21026": (3.0, "N")}, sent_at=now, serial=2)
    log = data_dir / "capture.log"
    log.write_bytes(
        now.isoformat().encode()
        + b" "
        + on_time
        + (now + dt.timedelta(minutes=30)).isoformat().encode()
        + b" "
        + skewed
        + unknown  # no time of receipt: its clock cannot be checked
        + b"garbage line\r\n"
        + on_time  # captured twice
    )
    out = io.StringIO()
    call_command("monitoring", "import", str(log), stdout=out)
    assert "入库 3，重复 1" in out.getvalue() and "frame 1" in out.getvalue()
    assert dict(Packet.objects.values_list("qn", "skewed")) == {
        qn: flag
        for qn, flag in zip(
            [f"{timezone.localtime(now):%Y%m%d%H%M%S}{n:03d}" for n in range(3)], (False, True, False), strict=True
        )
    }
    assert Quarantined.objects.get().reason == "frame"
    assert Packet.objects.get(skewed=False, qn__endswith="000").received_at == now


def test_importing_a_missing_file_is_refused(data_dir):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("monitoring", "import", str(data_dir / "nothing.log"))


def test_seal_reports_the_segments_it_sealed(world, data_dir):
    device = make_device(make_point(world.harbin))
    earlier = timezone.now() - dt.timedelta(hours=2)
    log = data_dir / "capture.log"
    log.write_bytes(
        earlier.isoformat().encode() + b" " + upload(device.mn, earlier, {"a21026": (1.0, "N")}, sent_at=earlier)
    )
    call_command("monitoring", "import", str(log), stdout=io.StringIO())
    out = io.StringIO()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=3)):
        call_command("monitoring", "seal", stdout=out)
    assert Segment.objects.get().sha256 in out.getvalue() and "封存 1 个分段" in out.getvalue()


@pytest.mark.parametrize("value", ["2120", "host:port", "0.0.0.0:70000"])
def test_a_bad_listener_address_stops_start_up(tmp_path, value):
    env = {"SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_MONITORING_BIND": value, "PATH": os.environ["PATH"]}
    result = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "SANXIANG_MONITORING_BIND" in result.stderr and "Traceback" not in result.stderr
