"""Periodic background work that runs once each time it is due, however many workers share the queue.

Every huey consumer runs a scheduler that enqueues each periodic task when it is due, so with two workers on one
Redis every nightly job would be queued twice and run twice (issue 19: "jobs run once"). The first copy to start
claims the task's name in the cache for GUARD_SECONDS — `cache.add`, one atomic SET NX on Redis — and runs; a copy
that finds the claim taken does nothing. The guard is shorter than any schedule here (the shortest is every minute),
so the next run is never the one skipped. On the embedded installation there is one worker and a cache of its own
process; the claim then costs a dictionary look-up.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache import cache
from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

GUARD_SECONDS = 50
logger = logging.getLogger(__name__)


def periodic_task(schedule):
    """`db_periodic_task(schedule)` whose body runs once for each time it is due (see above)."""

    def decorate(function):
        claim = f"periodic:{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def once():
            if not cache.add(claim, timezone.now().isoformat(), timeout=GUARD_SECONDS):
                logger.info("%s already run by another worker since %s", claim, cache.get(claim))
                return None
            return function()

        return db_periodic_task(schedule)(once)

    return decorate
