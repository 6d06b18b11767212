"""The HJ 212-2017 frame: the standard's CRC on its own examples, packets read back, responses framed, and a byte
stream cut into packets with everything that is not a packet handed over for quarantine."""

import pytest

from sanxiang.monitoring import protocol

# Examples quoted from the standard by public parsers (domain.md §27): the CRC is the standard's, not Modbus's.
STANDARD_EXAMPLE = (
    "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&",
    0x1C80,
)
HOURLY = (
    b"##0285QN=20190925181031464;ST=22;CN=2061;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;Flag=5;CP=&&"
    b"DataTime=20190924220000;a34006-Avg=2.69700,a34006-Flag=N;a34007-Avg=7.96600,a34007-Flag=N;a34048-Avg=3.30600,"
    b"a34048-Flag=N;a34047-Avg=7.35700,a34047-Flag=N;a34049-Avg=10.66300,a34049-Flag=N&&C181\r\n"
)


def test_the_crc_is_the_standards_and_gives_its_examples():
    segment, crc = STANDARD_EXAMPLE
    assert len(segment) == 101 and protocol.crc16(segment.encode()) == crc
    assert protocol.unframe(HOURLY).startswith("QN=20190925181031464")
    # the Modbus CRC (crc ^= byte) gives 0759 for the first example: the two must differ
    modbus = 0xFFFF
    for byte in segment.encode():
        modbus ^= byte
        for _ in range(8):
            modbus = (modbus >> 1) ^ 0xA001 if modbus & 1 else modbus >> 1
    assert modbus == 0x0759 != crc


@pytest.mark.parametrize("size", [*range(0, 34), 101, 255, 256, 257, 330, 1024, protocol.MAX_SEGMENT])
def test_the_folded_crc_is_the_standards_loop_byte_by_byte(size):
    """crc16 folds bytes eight apart together (the step's eighth power is the identity): on any length and content
    it must give what the standard's loop gives, bit by bit."""
    import random

    rng = random.Random(size)
    for data in (bytes(rng.randrange(256) for _ in range(size)), b"\xff" * size, bytes(size)):
        register = 0xFFFF
        for byte in data:  # Appendix A: the high byte dropped, the byte folded in, eight reflected shifts
            register = (register >> 8) ^ byte
            for _ in range(8):
                register = (register >> 1) ^ 0xA001 if register & 1 else register >> 1
        assert protocol.crc16(data) == register
    assert tuple(protocol._STEP[protocol._POWERS[7][value]] for value in range(256)) == tuple(range(256))


def test_an_hourly_upload_reads_back_field_by_field():
    message = protocol.parse(protocol.unframe(HOURLY))
    assert (message.qn, message.st, message.cn, message.mn, message.flag) == (
        "20190925181031464",
        "22",
        "2061",
        "Z13401000010301",
        5,
    )
    assert message.wants_response and message.sent_at.isoformat() == "2019-09-25T18:10:31.464000"
    values = protocol.values(message)
    assert values.data_time.isoformat() == "2019-09-24T22:00:00"
    assert values.pollutants["a34049"] == {"Avg": "10.66300", "Flag": "N"} and len(values.pollutants) == 5


def test_the_data_response_echoes_qn_pw_and_mn_with_flag_4_and_an_empty_cp():
    message = protocol.parse(protocol.unframe(HOURLY))
    response = protocol.data_response(message)
    assert response == protocol.frame(
        "QN=20190925181031464;ST=91;CN=9014;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;Flag=4;CP=&&&&"
    )
    assert response.startswith(b"##0096") and response.endswith(b"\r\n")
    assert protocol.unframe(response)  # its own CRC checks
    refusal = protocol.parse(protocol.unframe(protocol.request_response(message, protocol.QN_BAD_PW)))
    assert refusal.cn == "9011" and refusal.cp == "QnRtn=3"


@pytest.mark.parametrize(
    ("packet", "reason"),
    [
        (HOURLY[:-6] + b"C182\r\n", "crc"),
        (HOURLY.replace(b"##0285", b"##0284"), "length"),
        (HOURLY.replace(b"##0285", b"##02x5"), "length"),
        (HOURLY[:-2] + b"\n\n", "frame"),
    ],
)
def test_a_damaged_packet_is_refused_with_its_reason(packet, reason):
    with pytest.raises(protocol.PacketError) as refused:
        protocol.unframe(packet)
    assert refused.value.reason == reason


def test_a_crc_error_still_addresses_its_sender_when_the_fields_are_readable():
    with pytest.raises(protocol.PacketError) as refused:
        protocol.unframe(HOURLY[:-6] + b"0000\r\n")
    assert refused.value.code == protocol.QN_BAD_CRC and refused.value.message.mn == "Z13401000010301"


@pytest.mark.parametrize(
    ("segment", "code"),
    [
        ("QN=2019;ST=22;CN=2061;PW=1;MN=A;Flag=5;CP=&&DataTime=20190924220000&&", protocol.QN_BAD_QN),
        ("QN=20190925181031464;ST=22;CN=20;PW=1;MN=A;Flag=5;CP=&&&&", protocol.QN_BAD_CN),
        ("QN=20190925181031464;ST=22;CN=2061;PW=1;MN=;Flag=5;CP=&&&&", protocol.QN_BAD_MN),
        ("QN=20190925181031464;ST=22;CN=2061;PW=;MN=A;Flag=5;CP=&&&&", protocol.QN_BAD_PW),
        ("QN=20190925181031464;ST=22;CN=2061;PW=1;MN=A;Flag=1;CP=&&&&", protocol.QN_BAD_FLAG),  # HJ/T 212-2005
        ("QN=20190925181031464;ST=22;CN=2061;PW=1;MN=A;Flag=7;PNUM=2;PNO=3;CP=&&&&", protocol.QN_BAD_FLAG),
        ("QN=20190925181031464;ST=22;CN=2061;PW=1;MN=A;Flag=5;CP=&&DataTime=1", protocol.QN_UNKNOWN),
        ("QN=20190925181031464;XX=1;CN=2061;PW=1;MN=A;Flag=5;CP=&&&&", protocol.QN_UNKNOWN),
    ],
)
def test_a_malformed_field_is_refused_with_the_qnrtn_that_names_it(segment, code):
    with pytest.raises(protocol.PacketError) as refused:
        protocol.parse(segment)
    assert refused.value.reason == "fields" and refused.value.code == code


@pytest.mark.parametrize(
    "cp",
    [
        "DataTime=20190924;a21026-Avg=1",
        "a21026-Avg=1",
        "DataTime=20190924220000;a21026Avg=1",
        "DataTime=20190924220000;x",
    ],
)
def test_the_values_of_an_upload_need_a_datatime_and_code_field_pairs(cp):
    message = protocol.parse(f"QN=20190925181031464;ST=31;CN=2051;PW=1;MN=A;Flag=5;CP=&&{cp}&&")
    with pytest.raises(protocol.PacketError):
        protocol.values(message)


def test_a_stream_is_cut_into_packets_whatever_the_chunks_and_noise_is_handed_over():
    second = protocol.frame("QN=20190925181031465;ST=31;CN=2051;PW=1;MN=A;Flag=5;CP=&&DataTime=20190924220000&&")
    stream = b"\x00junk" + HOURLY + second + b"##00x9garbage\r\n" + HOURLY
    for size in (1, 7, 64, len(stream)):
        splitter = protocol.Splitter()
        pieces = []
        for start in range(0, len(stream), size):
            pieces.extend(splitter.feed(stream[start : start + size]))
        packets = [piece for piece in pieces if isinstance(piece, bytes)]
        refused = [piece for piece in pieces if isinstance(piece, tuple)]
        assert packets == [HOURLY, second, HOURLY], size
        assert b"".join(raw for raw, _error in refused) == b"\x00junk##00x9garbage\r\n", size
        assert splitter.rest() == b""
        assert b"".join(piece if isinstance(piece, bytes) else piece[0] for piece in pieces) == stream


def test_a_packet_whose_length_field_lies_is_cut_at_its_tail_and_the_next_one_still_read():
    short = HOURLY.replace(b"##0285", b"##0200")
    long = HOURLY.replace(b"##0285", b"##0290")
    for liar in (short, long):
        pieces = protocol.Splitter().feed(liar + HOURLY + HOURLY)
        assert isinstance(pieces[0], tuple) and pieces[0][0] == liar and pieces[0][1].reason == "length"
        assert pieces[1:] == [HOURLY, HOURLY]


def test_a_packet_cut_short_stays_in_the_buffer_for_the_connection_to_quarantine():
    splitter = protocol.Splitter()
    assert splitter.feed(HOURLY[:100]) == []
    assert splitter.rest() == HOURLY[:100]
