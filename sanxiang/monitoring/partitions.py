"""The readings table on PostgreSQL: partitioned by month of data_time (UTC months), with a BRIN index on the time,
so that a year of minute data of a province stays cheap to append to, to query by point and to drop by month. On
SQLite the same table is one plain table (the embedded default holds far less).

No DEFAULT partition: a row for a month without its partition would make that partition impossible to create later,
so the writer creates a month's partition before the first row for it (`ensure_months`)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

TABLE = "monitoring_reading"

_COLUMNS = """
    "point_id" bigint NOT NULL,
    "pollutant" varchar(8) NOT NULL,
    "averaging" varchar(8) NOT NULL,
    "data_time" timestamp with time zone NOT NULL,
    "device_id" bigint NOT NULL,
    "value" double precision NULL,
    "minimum" double precision NULL,
    "maximum" double precision NULL,
    "flag" varchar(2) NOT NULL,
    "skewed" boolean NOT NULL,
    PRIMARY KEY ("point_id", "pollutant", "averaging", "data_time")
"""


def partition_readings(apps, schema_editor) -> None:
    """Migration step: replace the plain table Django created by the partitioned one (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP TABLE "{TABLE}"')
    schema_editor.execute(f'CREATE TABLE "{TABLE}" ({_COLUMNS}) PARTITION BY RANGE ("data_time")')
    schema_editor.execute(f'CREATE INDEX "monitoring_reading_time_brin" ON "{TABLE}" USING brin ("data_time")')


def unpartition_readings(apps, schema_editor) -> None:
    """Migration step back: the plain table again (its partitions go with it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP TABLE "{TABLE}" CASCADE')
    schema_editor.create_model(apps.get_model("monitoring", "Reading"))


def month_of(moment: dt.datetime) -> dt.date:
    moment = moment.astimezone(dt.UTC)
    return dt.date(moment.year, moment.month, 1)


def _next(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def ensure_months(months) -> None:
    """Create the partitions of `months` (first days, UTC) that do not exist yet, in the caller's transaction (a
    look-up by name per month, which takes no lock; only a missing month's creation locks the table)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for month in sorted(set(months)):
            name = f"{TABLE}_p{month:%Y%m}"
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                cursor.execute(
                    f'CREATE TABLE "{name}" PARTITION OF "{TABLE}" FOR VALUES FROM '
                    f"('{month.isoformat()} 00:00:00+00') TO ('{_next(month).isoformat()} 00:00:00+00')"
                )
