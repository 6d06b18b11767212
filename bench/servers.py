"""Two app servers against one (issue 19, item 2): the same installation on PostgreSQL and Redis, served by one
`sanxiang serve` process, then by two on their own ports, each with one worker.

Measures requests/s under wrk of a public decision page (kept as rendered, portal.pages) and of an authenticated
case page (a head's session, past the second factor): one server with 8 connections, then two servers at once with
4 connections each (what a reverse proxy spreading the same 8 would give them), summed. The scaling ratio is the
two servers' total over the one's. On this machine both servers and wrk share 2 cores, so the ratio says how much
of a second core a second server puts to work, not what a second machine would add.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from bench.common import installation, postgres_database, sanxiang, server, write_result, wrk

SECONDS = 10
CONNECTIONS = 8
REDIS = "redis://127.0.0.1:6379/9"

# run inside the installation: a published decision, a case of Harbin and a Harbin head's verified session
SETUP = """
import json
from django.test import Client
from sanxiang.agencies.models import User
from sanxiang.cases.models import Case
from sanxiang.publicity.models import Publication
from sanxiang.testing.otp import mark_verified
head = User.objects.get(username="hrb.head")
client = Client()
client.force_login(head)
mark_verified(client, head)
print(json.dumps({
    "decision": Publication.objects.filter(status="published").order_by("pk").first().pk,
    "case": Case.objects.filter(agency=head.agency).order_by("pk").first().pk,
    "session": client.cookies["sessionid"].value,
}))
"""


def run() -> dict:
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    with postgres_database("sanxiang_bench_servers") as url:
        if url is None:
            result = {"postgresql": None}
        else:
            with installation(SANXIANG_DATABASE_URL=url, SANXIANG_REDIS_URL=REDIS) as env:
                result = _measure(env)
    write_result("servers", result)
    return result


def _measure(env: dict) -> dict:
    found = json.loads(sanxiang(env, "shell", "--no-imports", "-c", SETUP).splitlines()[-1])
    pages = {
        "decision page": (f"/decisions/{found['decision']}/", {}),
        "case page": (f"/workbench/cases/{found['case']}/", {"Cookie": f"sessionid={found['session']}"}),
    }
    result = {}
    for label, (path, headers) in pages.items():
        before = _one(env, path, headers)
        with server(env) as first, server(env) as second:
            for base in (first, second):
                wrk(base + path, seconds=2, headers=headers)
            both = _together([first + path, second + path], headers)
        after = _one(env, path, headers)  # the database warms up as the run goes on: the better one is the baseline
        one = max(before, after, key=lambda figures: figures["requests_per_second"])
        total = sum(figures["requests_per_second"] for figures in both)
        result[label] = {
            "one_server": one,
            "one_server_before_and_after": [before["requests_per_second"], after["requests_per_second"]],
            "two_servers": both,
            "two_servers_requests_per_second": round(total, 1),
            "scaling_ratio": round(total / one["requests_per_second"], 2),
        }
    return result


def _one(env: dict, path: str, headers: dict) -> dict:
    with server(env) as base:
        wrk(base + path, seconds=2, headers=headers)  # warm-up
        return wrk(base + path, seconds=SECONDS, connections=CONNECTIONS, headers=headers)


def _together(urls: list[str], headers: dict) -> list[dict]:
    """wrk on every url at once, the connections shared among them."""
    with ThreadPoolExecutor(len(urls)) as pool:
        return list(
            pool.map(lambda url: wrk(url, seconds=SECONDS, connections=CONNECTIONS // len(urls), headers=headers), urls)
        )
