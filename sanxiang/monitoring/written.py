"""Which packets are written already — stored, or on disk and waiting to be stored — so that a retransmission (the
same device, QN and part) is answered again and written no second time.

A device's QN is the time it sent the packet, so nearly every new packet's QN is greater than every QN that device
sent before: such a packet cannot be a repeat, and needs no look-up. Only a packet whose QN is not greater than the
device's greatest yet — a retransmission, a part of a split packet, a device whose clock went back — is looked for
among the waiting ones and in the database."""

from __future__ import annotations

from django.db import connection

Key = tuple[int, str, int]  # device, QN, part


def stored_keys(keys: set[Key]) -> set[Key]:
    """Which of these are stored: one probe of the unique index per key (an IN list of devices and another of QNs
    made SQLite scan every packet of those devices)."""
    found: set[Key] = set()
    keys = list(keys)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 1000):  # SQLite's limit on parameters
            chunk = keys[start : start + 1000]
            if connection.vendor == "postgresql":
                wanted = "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::integer[])"
                params = [list(column) for column in zip(*chunk)]
            else:
                wanted = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(chunk))
                params = [value for key in chunk for value in key]
            cursor.execute(
                f"SELECT device_id, qn, part FROM monitoring_packet WHERE (device_id, qn, part) IN ({wanted})", params
            )
            found.update(cursor.fetchall())
    return found


class Written:
    """For the one writer: the keys written and not yet stored (`waiting`), and each device's greatest QN written
    (learnt from the database the first time the device is seen). Keys leave `waiting` only once committed, so a key
    found neither there nor in the database was never written."""

    def __init__(self) -> None:
        self.waiting: set[Key] = set()
        self._greatest: dict[int, str] = {}

    def known(self, keys: set[Key]) -> set[Key]:
        """Which of `keys` are written already."""
        found = keys & self.waiting
        rest = keys - found
        self.learn({device for device, _qn, _part in rest if device not in self._greatest})
        doubtful = {key for key in rest if key[1] <= self._greatest[key[0]]}
        return found | (stored_keys(doubtful) if doubtful else set())

    def add(self, key: Key) -> None:
        self.waiting.add(key)
        device, qn, _part = key
        if qn > self._greatest.get(device, ""):
            self._greatest[device] = qn

    def stored(self, keys: set[Key]) -> None:
        self.waiting.difference_update(keys)

    def learn(self, devices) -> None:
        """Read the greatest QN stored of each of `devices` in one statement (the listener reads all of them before
        it opens its port, so that the first minute's packets wait for no look-up)."""
        devices = list(devices)
        with connection.cursor() as cursor:
            for start in range(0, len(devices), 1000):  # SQLite's limit on parameters
                chunk = devices[start : start + 1000]
                if connection.vendor == "postgresql":
                    wanted, params = "unnest(%s::bigint[]) AS wanted (device)", [chunk]
                else:
                    marks = ", ".join(["(%s)"] * len(chunk))
                    wanted, params = f"(SELECT column1 AS device FROM (VALUES {marks})) AS wanted", chunk
                # a sub-select per device: each is one step to the end of that device's part of the unique index
                cursor.execute(
                    f"SELECT device, (SELECT MAX(qn) FROM monitoring_packet WHERE device_id = device) FROM {wanted}",
                    params,
                )
                self._greatest.update((device, qn or "") for device, qn in cursor.fetchall())
