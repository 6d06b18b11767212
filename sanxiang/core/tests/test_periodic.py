"""Periodic work runs once each time it is due, however many workers' schedulers queue it (core/periodic.py)."""

import datetime as dt
import os
import threading

import pytest
import redis
import time_machine
from django.core.cache import caches
from huey import crontab

from sanxiang.core import periodic

REDIS = "redis://127.0.0.1:6379/8"  # a database of its own, emptied first


RUNS = []


@periodic.periodic_task(crontab(minute="*/10"))
def counted():
    RUNS.append(1)
    return len(RUNS)


@pytest.fixture
def runs():
    RUNS.clear()
    return RUNS


def test_a_second_copy_within_the_guard_does_nothing_and_the_next_time_it_is_due_runs(settings, runs):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p1"}}
    with time_machine.travel(dt.datetime(2026, 12, 7, 0, 10, tzinfo=dt.UTC), tick=False) as traveller:
        assert counted.call_local() == 1
        assert counted.call_local() is None  # the other worker's copy, queued at the same time
        traveller.shift(dt.timedelta(seconds=periodic.GUARD_SECONDS + 1))
        assert counted.call_local() == 2
    assert runs == [1, 1]


def test_copies_started_at_once_on_two_workers_sharing_redis_run_one_body(settings, runs):
    try:
        redis.Redis.from_url(REDIS).flushdb()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis does not answer on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    start = threading.Barrier(8)

    def worker():
        start.wait()
        counted.call_local()
        caches["default"].close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs == [1]
