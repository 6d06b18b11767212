"""HJ 212-2017 《污染物在线监控（监测）系统数据传输标准》: the packet frame, its CRC, the data segment's fields and
the responses an upper machine (上位机) sends. Pure functions, no database: the listener and the importer share them.

A packet is `##` + the data segment's length as 4 decimal digits + the data segment + its CRC16 as 4 hex digits +
CR LF. The data segment is `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]CP=&&…&&`. The CRC is the standard's
own (register 0xFFFF; for each byte the register's high byte is dropped and the byte folded in, then eight
reflected shifts by 0xA001), which no CRC library implements under a name, so it is written here (see crc16).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

HEAD = b"##"
TAIL = b"\r\n"
MAX_SEGMENT = 9999  # four decimal digits
FRAME_OVERHEAD = len(HEAD) + 4 + 4 + len(TAIL)

# Flag bits (HJ 212-2017 6.3.3): V5…V0 the version (000001 for 2017), D packets split (PNUM/PNO follow), A the
# sender asks for a response.
FLAG_ACK = 0b1
FLAG_SPLIT = 0b10
VERSION_2017 = 0b1

# QnRtn of CN=9011 (请求应答): why a request was refused.
QN_READY, QN_REFUSED, QN_BAD_PW, QN_BAD_MN, QN_BAD_ST, QN_BAD_FLAG, QN_BAD_QN, QN_BAD_CN, QN_BAD_CRC = range(1, 10)
QN_UNKNOWN = 100

# The upload commands whose values are stored, and the averaging each carries.
UPLOADS = {"2011": "rtd", "2051": "minute", "2061": "hour", "2031": "day"}


def _table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        value = byte
        for _ in range(8):
            value = (value >> 1) ^ 0xA001 if value & 1 else value >> 1
        table.append(value)
    return tuple(table)


_TABLE = _table()
# One step of the standard's loop is `register = _TABLE[(register >> 8) ^ byte]`: only the register's high byte
# carries over, and it moves by _STEP below, a linear map of bytes (the table is a CRC's, linear over GF(2)) whose
# eighth power is the identity. So the high byte after many steps is the XOR, over positions, of each byte moved by
# _STEP as many times (mod 8) as steps follow it — bytes eight positions apart move alike, and can be XORed together
# first: eight lanes, folded by big-integer XOR in C, then eight look-ups. A packet's CRC costs a few operations
# instead of a Python step per byte (about 3× faster on a 300-byte packet; the listener computes two per packet).
_STEP = tuple(value >> 8 for value in _TABLE)


def _powers() -> tuple[tuple[int, ...], ...]:
    powers, current = [], tuple(range(256))
    for _ in range(8):
        powers.append(current)
        current = tuple(_STEP[value] for value in current)
    return tuple(powers)


_POWERS = _powers()
# lane i of the folded 8-byte word (big-endian) holds the bytes 8 - i (mod 8) steps before the end
_LANE_POWER = tuple(_POWERS[(8 - lane) % 8] for lane in range(8))
_WORD = (1 << 64) - 1


def crc16(data: bytes) -> int:
    """The CRC the standard defines over the data segment (its Appendix A)."""
    if not data:
        return 0xFFFF
    body, last = data[:-1], data[-1]
    # zeros in front make whole 8-byte words without changing the XOR, and put the last byte of `body` in lane 7
    words = int.from_bytes(bytes(-len(body) % 8) + body, "big")
    size = (len(body) + 7) // 8
    while size > 1:
        half = size // 2
        words = (words >> (64 * half)) ^ (words & ((1 << (64 * half)) - 1))
        size -= half
    folded = (words & _WORD).to_bytes(8, "big")
    high = _POWERS[len(body) % 8][0xFF]  # the register's first high byte, moved by every step
    for lane, byte in enumerate(folded):
        high ^= _LANE_POWER[lane][byte]
    return _TABLE[high ^ last]


def frame(segment: str) -> bytes:
    """The whole packet around a data segment."""
    data = segment.encode("ascii")
    return b"%s%04d%s%04X%s" % (HEAD, len(data), data, crc16(data), TAIL)


class PacketError(ValueError):
    """A packet the standard does not allow. `reason` is one of QUARANTINE_REASONS; `code` the QnRtn to answer
    with (None: nothing addressable to answer); `message` the fields read so far, to address the answer."""

    def __init__(self, reason: str, detail: str, *, code: int | None = QN_UNKNOWN, message: Message | None = None):
        super().__init__(detail)
        self.reason, self.detail, self.code, self.message = reason, detail, code, message


@dataclass(frozen=True)
class Message:
    """The header fields of a data segment and its command parameters (CP) as text."""

    qn: str = ""
    st: str = ""
    cn: str = ""
    pw: str = ""
    mn: str = ""
    flag: int = 0
    pnum: int = 1
    pno: int = 1
    cp: str = ""

    @property
    def wants_response(self) -> bool:
        return bool(self.flag & FLAG_ACK)

    @cached_property  # read when the packet is parsed and again when its clock is judged
    def sent_at(self) -> dt.datetime | None:
        """The device's clock when it sent the packet (QN = yyyyMMddHHmmssZZZ, local time), or None."""
        try:
            return moment(self.qn[:14]).replace(microsecond=int(self.qn[14:17]) * 1000)
        except ValueError:
            return None


def moment(text: str) -> dt.datetime:
    """yyyyMMddHHmmss as a naive datetime; ValueError otherwise. (strptime does the same several times slower, and
    the listener reads two of these in every packet.)"""
    if len(text) != 14 or not text.isdigit():
        raise ValueError(text)
    return dt.datetime(
        int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:14])
    )


@dataclass
class Values:
    """The command parameters of an upload: the time the data is for, and per pollutant code its fields
    (Rtd, Avg, Min, Max, Cou, Flag, …) as text."""

    data_time: dt.datetime
    pollutants: dict[str, dict[str, str]] = field(default_factory=dict)


_HEADER_KEYS = {
    "QN": "qn",
    "ST": "st",
    "CN": "cn",
    "PW": "pw",
    "MN": "mn",
    "Flag": "flag",
    "PNUM": "pnum",
    "PNO": "pno",
}


def unframe(packet: bytes) -> str:
    """The data segment of one whole packet (HEAD … TAIL), after checking its length and CRC."""
    if not packet.startswith(HEAD) or not packet.endswith(TAIL):
        raise PacketError("frame", "包头或包尾错误", code=None)
    digits = packet[2:6]
    if not digits.isdigit():
        raise PacketError("length", "数据段长度不是 4 位十进制数", code=None)
    data = packet[6:-6]
    if int(digits) != len(data):
        raise PacketError("length", f"数据段长度为 {len(data)}，包头写的是 {int(digits)}", code=None)
    try:
        segment = data.decode("ascii")
    except UnicodeDecodeError:
        raise PacketError("fields", "数据段含有非 ASCII 字符", code=None) from None
    crc = packet[-6:-2]
    try:
        sent = int(crc, 16)
    except ValueError:
        sent = -1
    if sent != crc16(data):
        raise PacketError(
            "crc",
            f"CRC 校验错误（收到 {crc.decode('ascii', 'replace')}，应为 {crc16(data):04X}）",
            code=QN_BAD_CRC,
            message=_loose(segment),
        )
    return segment


def _loose(segment: str) -> Message | None:
    """What header fields a damaged segment still shows, to address the refusal; None when it shows none."""
    try:
        return parse(segment)
    except PacketError as error:
        return error.message


def parse(segment: str) -> Message:
    """The header and CP of a data segment; PacketError names the first field the standard does not allow."""
    head, marker, rest = segment.partition("CP=&&")
    if not marker or not rest.endswith("&&"):
        raise PacketError("fields", "缺少 CP=&&…&& 指令参数")
    fields: dict = {}
    for part in head.split(";"):
        if not part:
            continue
        key, equals, value = part.partition("=")
        if not equals or key not in _HEADER_KEYS:
            raise PacketError("fields", f"无法识别的字段 {part[:20]!r}", message=Message(**fields))
        fields[_HEADER_KEYS[key]] = value
    try:
        for key in ("flag", "pnum", "pno"):
            if key in fields:
                fields[key] = int(fields[key])
    except ValueError:
        raise PacketError(
            "fields", "Flag、PNUM 或 PNO 不是整数", code=QN_BAD_FLAG, message=_addressed(fields)
        ) from None
    message = Message(**fields, cp=rest[:-2])
    if len(message.qn) != 17 or not message.qn.isdigit() or message.sent_at is None:
        raise PacketError("fields", "QN 应为 yyyyMMddHHmmssZZZ", code=QN_BAD_QN, message=message)
    if not message.cn.isdigit() or len(message.cn) != 4:
        raise PacketError("fields", "CN 应为 4 位数字", code=QN_BAD_CN, message=message)
    if not message.st.isdigit() or len(message.st) != 2:
        raise PacketError("fields", "ST 应为 2 位数字", code=QN_BAD_ST, message=message)
    if not message.mn or len(message.mn) > 24:
        raise PacketError("fields", "MN 缺失或超过 24 位", code=QN_BAD_MN, message=message)
    if not message.pw or len(message.pw) > 24:
        raise PacketError("fields", "PW 缺失或超过 24 位", code=QN_BAD_PW, message=message)
    if message.flag >> 2 != VERSION_2017:
        raise PacketError("fields", "Flag 的版本号不是 HJ 212-2017", code=QN_BAD_FLAG, message=message)
    if message.flag & FLAG_SPLIT and not 1 <= message.pno <= message.pnum:
        raise PacketError("fields", "PNO 不在 1…PNUM 之间", code=QN_BAD_FLAG, message=message)
    return message


def _addressed(fields: dict) -> Message:
    return Message(**{key: value for key, value in fields.items() if key in ("qn", "st", "cn", "pw", "mn")})


def values(message: Message) -> Values:
    """The data of an upload (CN 2011/2051/2061/2031): `DataTime=…;code-Field=value,code-Field=value;…`."""
    data_time = None
    pollutants: dict[str, dict[str, str]] = {}
    for group in message.cp.split(";"):
        for item in group.split(","):
            if not item:
                continue
            key, equals, value = item.partition("=")
            if not equals:
                raise PacketError("fields", f"指令参数 {item[:20]!r} 缺少 =", message=message)
            if key == "DataTime":
                try:
                    data_time = moment(value)
                except ValueError:
                    raise PacketError("fields", "DataTime 应为 yyyyMMddHHmmss", message=message) from None
                continue
            code, dash, name = key.partition("-")
            if not dash or not code or not name:
                raise PacketError("fields", f"指令参数 {key[:20]!r} 应为 编码-字段", message=message)
            pollutants.setdefault(code, {})[name] = value
    if data_time is None:
        raise PacketError("fields", "上传数据缺少 DataTime", message=message)
    return Values(data_time, pollutants)


def _reply(message: Message, cn: str, cp: str) -> bytes:
    return frame(f"QN={message.qn};ST=91;CN={cn};PW={message.pw};MN={message.mn};Flag=4;CP=&&{cp}&&")


def data_response(message: Message) -> bytes:
    """数据应答 (CN=9014): the upload with this QN was received."""
    return _reply(message, "9014", "")


def request_response(message: Message, code: int) -> bytes:
    """请求应答 (CN=9011) with QnRtn `code`: how a packet that could not be taken was refused."""
    return _reply(message, "9011", f"QnRtn={code}")


class Splitter:
    """Cuts a byte stream into packets. `feed` returns whole packets and, for bytes that are not a packet (noise
    before `##`, a length field that is not a number, a packet whose tail is not where its length says), the bytes
    to quarantine as PacketError — nothing is skipped unseen."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes | tuple[bytes, PacketError]]:
        self.buffer += data
        out: list[bytes | tuple[bytes, PacketError]] = []
        buffer = self.buffer
        while buffer:
            start = buffer.find(HEAD)
            if start != 0:
                end = len(buffer) if start < 0 else start
                if start < 0 and buffer.endswith(b"#"):
                    end -= 1  # the first half of a head still to come
                if end == 0:
                    break
                out.append((bytes(buffer[:end]), PacketError("frame", "包头 ## 之前的多余字节", code=None)))
                del buffer[:end]
                continue
            if len(buffer) < 6:
                break
            digits = bytes(buffer[2:6])
            if not digits.isdigit():
                cut = _next_head(buffer)
                out.append((bytes(buffer[:cut]), PacketError("length", "数据段长度不是 4 位十进制数", code=None)))
                del buffer[:cut]
                continue
            total = FRAME_OVERHEAD + int(digits)
            if len(buffer) < total:
                if buffer.find(TAIL) >= 0 and buffer.find(HEAD, 2) >= 0:
                    cut = buffer.find(TAIL) + 2  # a short packet already followed by the next one
                    out.append((bytes(buffer[:cut]), PacketError("length", "数据段长度与实际不符", code=None)))
                    del buffer[:cut]
                    continue
                break
            if buffer[total - 2 : total] != TAIL:
                tail = buffer.find(TAIL)
                cut = tail + 2 if tail >= 0 else total
                out.append((bytes(buffer[:cut]), PacketError("length", "数据段长度与实际不符", code=None)))
                del buffer[:cut]
                continue
            out.append(bytes(buffer[:total]))
            del buffer[:total]
        return out

    def rest(self) -> bytes:
        """Bytes left over when the connection closes: a packet cut short."""
        return bytes(self.buffer)


def _next_head(buffer: bytearray) -> int:
    following = buffer.find(HEAD, 2)
    return following if following > 0 else len(buffer)
