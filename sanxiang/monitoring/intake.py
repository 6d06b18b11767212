"""Judging one received packet before anything is stored: is it a packet the standard allows, from a device we
know, with its password, carrying a command whose values we keep, at a time we can believe? The answer is an
`Accepted` (what to store and the response to send once it is stored) or a `Refused` (what to quarantine and the
response, if the sender can be addressed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.core.rules import rule
from sanxiang.monitoring import protocol
from sanxiang.monitoring.models import Device, Quarantined

# A DataTime further than this from the time of receipt is refused: no device holds more than a year of data to
# send later (补发), and data dated ahead of its receipt cannot be a measurement.
BACKFILL_LIMIT = dt.timedelta(days=366)
AHEAD_LIMIT = dt.timedelta(days=1)
RELOAD_SECONDS = 5.0  # an unknown MN reloads the devices at most this often (a new device starts sending)
REFRESH_SECONDS = 60.0  # and every device is read again this often: a retirement or a new password takes effect


@dataclass(frozen=True)
class DeviceInfo:
    id: int
    point_id: int
    password_sha256: str
    retired: bool


@dataclass
class Accepted:
    raw: bytes
    received_at: dt.datetime
    device: DeviceInfo
    message: protocol.Message
    averaging: str
    data_time: dt.datetime
    skewed: bool
    # (pollutant, value, minimum, maximum, flag) for each pollutant the packet carries
    rows: list[tuple[str, float | None, float | None, float | None, str]]
    timed: bool = True  # received at a known time (a captured log may not say)

    @property
    def response(self) -> bytes | None:
        return protocol.data_response(self.message) if self.message.wants_response else None


@dataclass
class Refused:
    raw: bytes
    received_at: dt.datetime
    peer: str
    reason: str
    detail: str
    message: protocol.Message | None
    code: int | None

    @property
    def response(self) -> bytes | None:
        if self.code is None or self.message is None or not (self.message.qn and self.message.mn):
            return None  # nothing to address an answer to
        return protocol.request_response(self.message, self.code)


class Devices:
    """The devices by MN, read again every REFRESH_SECONDS and when an unknown MN arrives (at most every
    RELOAD_SECONDS)."""

    def __init__(self) -> None:
        self._by_mn: dict[str, DeviceInfo] = {}
        self._loaded = -math.inf

    def load(self) -> None:
        today = timezone.localdate()
        self._by_mn = {
            mn: DeviceInfo(pk, point_id, digest, retired is not None and retired <= today)
            for pk, mn, point_id, digest, retired in Device.objects.values_list(
                "pk", "mn", "point_id", "password_sha256", "retired_on"
            )
        }
        self._loaded = time.monotonic()

    def ids(self) -> list[int]:
        return [device.id for device in self._by_mn.values()]

    def get(self, mn: str) -> DeviceInfo | None:
        if time.monotonic() - self._loaded > REFRESH_SECONDS:
            self.load()
        found = self._by_mn.get(mn)
        if found is None and time.monotonic() - self._loaded > RELOAD_SECONDS:
            self.load()
            found = self._by_mn.get(mn)
        return found


def password_digest(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def _number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


class Intake:
    """Judges packets for one listener or import run."""

    def __init__(self) -> None:
        self.devices = Devices()
        self.devices.load()
        self.skew = dt.timedelta(minutes=rule("monitoring.clock_skew_minutes").number)
        self.zone = timezone.get_current_timezone()  # the standard's times are the device's local (Beijing) time

    def judge(
        self, raw: bytes, *, received_at: dt.datetime | None, peer: str = "", accepted_for: int | None = None
    ) -> Accepted | Refused:
        """`received_at` None: a packet from a captured log without the time it was received (its clock cannot be
        checked, and it is not flagged). `accepted_for`: the device a packet was accepted for when it was answered
        (a replay): its password and the device's retirement are not judged again — it was answered as accepted."""
        when = received_at or timezone.now()
        try:
            return self._accept(raw, received_at, when, accepted_for)
        except protocol.PacketError as error:
            return Refused(raw, when, peer, error.reason, error.detail, error.message, error.code)

    def refuse(self, raw: bytes, error: protocol.PacketError, *, received_at: dt.datetime, peer: str) -> Refused:
        return Refused(raw, received_at, peer, error.reason, error.detail, error.message, error.code)

    def take(self, piece, *, received_at: dt.datetime | None, peer: str) -> Accepted | Refused:
        """A piece of a stream as the splitter gave it: a packet to judge, or (bytes, error) already refused."""
        if isinstance(piece, tuple):
            return self.refuse(piece[0], piece[1], received_at=received_at or timezone.now(), peer=peer)
        return self.judge(piece, received_at=received_at, peer=peer)

    def _accept(self, raw: bytes, received_at: dt.datetime | None, when: dt.datetime, accepted_for) -> Accepted:
        message = protocol.parse(protocol.unframe(raw))
        device = self.devices.get(message.mn)
        if device is None:
            raise protocol.PacketError(
                Quarantined.Reason.UNKNOWN_MN, "MN 未登记", code=protocol.QN_BAD_MN, message=message
            )
        # answered as accepted for this device when it was received: its password and retirement not judged again
        trusted = accepted_for is not None and device.id == accepted_for
        if not trusted and not hmac.compare_digest(device.password_sha256, password_digest(message.pw)):
            raise protocol.PacketError(
                Quarantined.Reason.PASSWORD, "访问密码错误", code=protocol.QN_BAD_PW, message=message
            )
        if not trusted and device.retired:
            raise protocol.PacketError(
                Quarantined.Reason.RETIRED, "设备已停用", code=protocol.QN_REFUSED, message=message
            )
        averaging = protocol.UPLOADS.get(message.cn)
        if averaging is None:
            raise protocol.PacketError(
                Quarantined.Reason.COMMAND, f"不接收 CN={message.cn} 的报文", code=protocol.QN_BAD_CN, message=message
            )
        values = protocol.values(message)
        zone = self.zone
        data_time = values.data_time.replace(tzinfo=zone)
        if not when - BACKFILL_LIMIT <= data_time <= when + AHEAD_LIMIT:
            raise protocol.PacketError("fields", "DataTime 超出可接收的时间范围", message=message)
        sent_at = message.sent_at.replace(tzinfo=zone)
        skewed = received_at is not None and abs(sent_at - received_at) > self.skew
        rows = []
        for code, fields in values.pollutants.items():
            if len(code) > 8:
                raise protocol.PacketError("fields", f"污染物编码 {code[:12]!r} 过长", message=message)
            try:
                if averaging == "rtd":
                    row = (code, _number(fields.get("Rtd")), None, None, fields.get("Flag", "N")[:2])
                else:
                    row = (
                        code,
                        _number(fields.get("Avg")),
                        _number(fields.get("Min")),
                        _number(fields.get("Max")),
                        fields.get("Flag", "N")[:2],
                    )
            except ValueError:
                raise protocol.PacketError("fields", f"{code} 的数值格式错误", message=message) from None
            rows.append(row)
        return Accepted(raw, when, device, message, averaging, data_time, skewed, rows, received_at is not None)
