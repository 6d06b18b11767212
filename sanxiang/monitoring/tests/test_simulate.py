"""The simulated fleet: the same seed gives the same bytes; every packet is one the standard allows and the listener
takes; scripted episodes show in the values and flags; the client retransmits an unanswered packet with its QN."""

import asyncio
import datetime as dt

from sanxiang.monitoring import protocol
from sanxiang.monitoring.simulate import Episode, Fleet, Measured, SimulatedDevice, deliver

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing
BOILER = SimulatedDevice("23010000000000000001", "123456", (Measured("a21026", 35.0, "mg/m³"),))
WATER = SimulatedDevice("23010000000000000002", "654321", (Measured("w01018", 40.0, "mg/L"),), st="32")


def _fleet(seed=7, episodes=()):
    return Fleet([BOILER, WATER], seed=seed, episodes=list(episodes))


def _values(upload):
    message = protocol.parse(protocol.unframe(upload.raw))
    return message, protocol.values(message)


def test_the_same_seed_gives_the_same_packets_and_another_seed_other_values():
    end = START + dt.timedelta(hours=2)
    first, again, other = _fleet().streams(START, end), _fleet().streams(START, end), _fleet(seed=8).streams(START, end)
    assert first == again
    assert [len(stream) for stream in first] == [120, 120]
    assert [u.raw for u in first[0]] != [u.raw for u in other[0]]


def test_every_packet_is_a_minute_upload_that_parses_and_asks_for_an_answer():
    for stream, device in zip(_fleet().streams(START, START + dt.timedelta(minutes=30)), (BOILER, WATER), strict=True):
        qns = set()
        for minute, upload in enumerate(stream):
            message, values = _values(upload)
            assert (message.cn, message.flag, message.mn, message.pw, message.st) == (
                "2051",
                5,
                device.mn,
                device.password,
                device.st,
            )
            assert message.wants_response and message.qn == upload.qn
            assert values.data_time.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))) == START + dt.timedelta(
                minutes=minute
            )
            code = device.measured[0].code
            fields = values.pollutants[code]
            assert fields["Flag"] == "N"
            assert float(fields["Min"]) <= float(fields["Avg"]) <= float(fields["Max"])
            assert 0.6 * device.measured[0].base < float(fields["Avg"]) < 1.4 * device.measured[0].base
            qns.add(message.qn)
            # sent after its minute, by the device's clock (Beijing time)
            assert message.sent_at > values.data_time + dt.timedelta(minutes=1)
        assert len(qns) == 30


def test_an_exceedance_raises_the_values_and_maintenance_flags_them_m():
    episodes = [
        Episode.exceedance(BOILER.mn, START + dt.timedelta(hours=1), hours=1, factor=3),
        Episode.maintenance(WATER.mn, START + dt.timedelta(minutes=30), hours=0.5, factor=3),
    ]
    boiler, water = _fleet(episodes=episodes).streams(START, START + dt.timedelta(hours=3))
    plain_boiler, _ = _fleet().streams(START, START + dt.timedelta(hours=3))

    def averages(stream, code):
        return [float(_values(upload)[1].pollutants[code]["Avg"]) for upload in stream]

    def flags(stream, code):
        return [_values(upload)[1].pollutants[code]["Flag"] for upload in stream]

    raised, plain = averages(boiler, "a21026"), averages(plain_boiler, "a21026")
    assert all(raised[m] > 2.9 * plain[m] for m in range(60, 120))
    assert raised[:60] == plain[:60] and raised[120:] == plain[120:]
    assert set(flags(boiler, "a21026")) == {"N"}
    water_flags = flags(water, "w01018")
    assert water_flags[30:60] == ["M"] * 30 and set(water_flags[:30] + water_flags[60:]) == {"N"}


def test_the_client_sends_again_with_the_same_qn_when_no_answer_comes():
    uploads = _fleet().uploads(BOILER, START, START + dt.timedelta(minutes=3))
    received = []

    async def scenario():
        async def device_link(reader, writer):
            splitter, silent_once = protocol.Splitter(), True
            while data := await reader.read(4096):
                for piece in splitter.feed(data):
                    message = protocol.parse(protocol.unframe(piece))
                    received.append(message.qn)
                    if message.qn == uploads[1].qn and silent_once:
                        silent_once = False  # the first answer is lost
                        continue
                    writer.write(protocol.data_response(message))
            writer.close()

        server = await asyncio.start_server(device_link, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await deliver("127.0.0.1", port, [uploads], timeout=0.2)

    delivery = asyncio.run(scenario())
    assert received == [uploads[0].qn, uploads[1].qn, uploads[1].qn, uploads[2].qn]
    assert (delivery.sent, delivery.acknowledged, delivery.retransmissions, delivery.unanswered) == (3, 3, 1, 0)
    assert len(delivery.latencies_ms) == 3 and max(delivery.latencies_ms) >= 200
