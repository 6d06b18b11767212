"""Server time of every page the demo's roles reach, and what a phone downloads to show the case page.

On the demo's data, each role (hrb.officer1, hrb.head, hrb.reviewer, hrb.clerk, hrb.admin, and an anonymous visitor
of the portal) logs in through the real two steps and follows, breadth first, every link its pages offer (the rules
of sanxiang.testing.crawl, but every address rather than one per URL pattern), with the fragments a page loads as it
opens. Each page is then requested three more times through the full Django stack in process; its time is the median.
Target: no page over 1 s.

Page weight: the HTML as served plus every file it makes the browser fetch (styles, scripts, icons, the manifest
and its icons, the service worker script, the fragments loaded on open, and what the styles reference), each
as the server sends it to a browser that accepts gzip and brotli (static files are the ones WhiteNoise precompressed
at collectstatic; pages are sent uncompressed). Nothing the server sends depends on the device: the phone layout
is site.css's media queries. Target: the richest case page under 100 kB (100,000 bytes) on a first visit.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.common import installation, write_result

ROLES = ["hrb.officer1", "hrb.head", "hrb.reviewer", "hrb.clerk", "hrb.admin"]
PUBLIC = "public"
SAMPLES = 3
LIMIT = 2000  # pages per role: a guard against a crawl that never ends, far above the demo's some 450
BUDGET_MS = 1000
WEIGHT_BUDGET = 100_000
HOST = "testserver"  # Django's test client
ACCEPT_ENCODING = "gzip, deflate, br"  # what a phone's browser sends
SHOWN = 10


def run() -> dict:
    with installation() as env:
        output = subprocess.run(
            [sys.executable, "-m", "bench.pages"], env=env, check=True, capture_output=True, text=True
        ).stdout
    result = json.loads(output.splitlines()[-1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    case_pages = [result["weight"][name] for name in ("case_page_officer", "case_page_head")]
    result = {
        "commit": commit,
        **result,
        "targets": {"pages_over_1s": 0, "case_page_bytes": WEIGHT_BUDGET},
        "passed": {
            "server_time": result["server_time"]["over_budget"] == 0,
            "case_page_weight": all(page["bytes"] < WEIGHT_BUDGET for page in case_pages),
        },
    }
    write_result("pages", result)
    return result


class _Page(HTMLParser):
    """The addresses an HTML page links to (what a crawl follows) and those its browser fetches to show it."""

    FETCHED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.fetched: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "link" and attrs.get("href") and self.FETCHED_LINKS & set(attrs.get("rel", "").split()):
            self.fetched.append(attrs["href"])
        elif tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.fetched.append(attrs["src"])
        if attrs.get("hx-get") and "load" in attrs.get("hx-trigger", ""):
            self.fetched.append(attrs["hx-get"])  # htmx asks for it as soon as the page has loaded
        if tag == "body" and attrs.get("data-service-worker"):
            self.fetched.append(attrs["data-service-worker"])  # web/pwa.js registers it


def _get(client, path: str) -> tuple:
    """The response, its body as sent and the milliseconds the whole request took."""
    started = time.perf_counter()
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = (time.perf_counter() - started) * 1000
    response.close()
    return response, body, elapsed


def _is_html(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def _client(username: str):
    """A test client signed in as `username` through the login page and the authenticator code (anonymous for
    PUBLIC)."""
    from django.test import Client

    from sanxiang.demo.agencies import DEMO_PASSWORD, demo_code

    client = Client(HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)
    if username == PUBLIC:
        return client
    password = client.post("/workbench/login/", {"username": username, "password": DEMO_PASSWORD})
    code = client.post("/workbench/login/code/", {"code": demo_code()})
    if password.get("Location") != "/workbench/login/code/" or code.get("Location") != "/workbench/":
        raise RuntimeError(f"{username} could not log in: {password.status_code}, {code.status_code}")
    return client


def _crawl(client, start: str, within: str) -> dict[str, dict]:
    """Every address `client` reaches from `start`: its status, size and number of database queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.testing.crawl import link_to_follow

    pages: dict[str, dict] = {}
    queue, queued = [start], {start}
    while queue and len(pages) < LIMIT:
        path = queue.pop(0)
        with CaptureQueriesContext(connection) as queries:
            response, body, _ = _get(client, path)
        pages[path] = {"status": response.status_code, "bytes": len(body), "queries": len(queries)}
        if not _is_html(response):
            continue
        page = _Page(body.decode())
        for link in page.links + page.fetched:
            target = link_to_follow(urljoin(f"http://{HOST}{path}", link), netloc=HOST, within=within)
            if target and target not in queued:
                queued.add(target)
                queue.append(target)
    return pages


def _server_time(clients: dict) -> tuple[dict, dict]:
    """Each role's pages with their median time over SAMPLES requests (the crawl's own request warmed them up)."""
    crawls, rows = {}, []
    for role, client in clients.items():
        start = "/" if role == PUBLIC else "/workbench/"
        pages = crawls[role] = _crawl(client, start, within=start)
        times: dict[str, list[float]] = {path: [] for path in pages}
        for _ in range(SAMPLES):  # whole passes, so a busy moment of the machine spreads over many pages
            for path in pages:
                times[path].append(_get(client, path)[2])
        for path, page in pages.items():
            rows.append({"role": role, "path": path, "ms": round(statistics.median(times[path]), 1), **page})
    summary = {
        "pages": len(rows),
        "pages_by_role": {role: len(pages) for role, pages in crawls.items()},
        "over_budget": sum(row["ms"] > BUDGET_MS for row in rows),
        "median_ms": round(statistics.median(row["ms"] for row in rows), 1),
        "slowest": sorted(rows, key=lambda row: -row["ms"])[:SHOWN],
        "most_queries": sorted(rows, key=lambda row: -row["queries"])[:SHOWN],
        "statuses": dict(Counter(str(row["status"]) for row in rows)),
        "not_found": sorted({row["path"] for row in rows if row["status"] == 404}),
    }
    return summary, crawls


def _weight(client, path: str) -> dict:
    """What a first visit to `path` downloads: the page and everything it makes the browser fetch, each once."""
    files, seen = [], set()
    todo = [f"http://{HOST}{path}"]
    sw_shell: list[str] = []
    while todo:
        url = todo.pop(0)
        if url.startswith("data:"):
            continue  # inside the file that names it
        parts = urlsplit(url)
        if parts.netloc != HOST:
            raise RuntimeError(f"{path} loads {url} from another site")
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        if address in seen:
            continue
        seen.add(address)
        response, body, _ = _get(client, address)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {address} answered {response.status_code}")
        kind, referenced = _references(response, body)
        if kind == "html" and files:
            kind = "fragment"
        if kind == "service worker":
            sw_shell = referenced  # fetched when the worker installs, not for this page
            referenced = []
        files.append(_file_entry(address, kind, response, body))
        todo += [urljoin(url, reference) for reference in referenced]
    return {
        "path": path,
        "requests": len(files),
        "bytes": sum(file["bytes"] for file in files),
        "by_kind": _totals(files),
        # hashed static files are cached for good: a second visit fetches only the rest
        "repeat_visit": _totals([file for file in files if not file["immutable"]], by_kind=False),
        "service_worker_install": _shell(client, sw_shell, seen),
        "files": files,
    }


def _references(response, body: bytes) -> tuple[str, list[str]]:
    """What a downloaded file is, and the addresses it makes the browser fetch in turn."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/html"):
        return "html", _Page(body.decode()).fetched
    text = _decoded(response, body).decode(errors="replace")
    if "css" in content_type:
        return "css", re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
    if "manifest" in content_type:
        return "manifest", [icon["src"] for icon in json.loads(text).get("icons", [])]
    if "javascript" in content_type and response.get("Service-Worker-Allowed"):
        # web/sw.js: `const SHELL = [...];`, a JSON array (its strings escaped by escapejs, so no bare `;`)
        return "service worker", json.loads(text.split("const SHELL = ", 1)[1].split(";", 1)[0])
    if "javascript" in content_type:
        return "js", []
    return ("image" if content_type.startswith("image/") else "other"), []


def _decoded(response, body: bytes) -> bytes:
    return gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body


def _file_entry(address: str, kind: str, response, body: bytes) -> dict:
    entry = {
        "url": address,
        "kind": kind,
        "bytes": len(body),
        "encoding": response.get("Content-Encoding", ""),
        "immutable": "immutable" in response.get("Cache-Control", ""),
    }
    if not entry["encoding"] and kind in ("html", "fragment", "css", "js", "service worker", "manifest"):
        entry["gzip_bytes"] = len(gzip.compress(body))  # what it would be if it were compressed on the way
    return entry


def _totals(files: list[dict], *, by_kind: bool = True) -> dict:
    if not by_kind:
        return {"requests": len(files), "bytes": sum(file["bytes"] for file in files)}
    totals: dict[str, dict] = {}
    for file in files:
        kind = totals.setdefault(file["kind"], {"requests": 0, "bytes": 0})
        kind["requests"] += 1
        kind["bytes"] += file["bytes"]
    return totals


def _shell(client, shell: list[str], loaded: set[str]) -> dict | None:
    """Once per release the service worker caches the app shell: the files the page had not already loaded."""
    if not shell:
        return None
    extra = [address for address in shell if address not in loaded]
    return _totals([{"bytes": len(_get(client, address)[1])} for address in extra], by_kind=False)


def _richest(crawl: dict, pattern: str) -> str:
    """The largest page of a URL pattern among those a crawl reached."""
    from sanxiang.testing.crawl import pattern_of

    pages = [(page["bytes"], path) for path, page in crawl.items() if page["status"] == 200]
    return max(page for page in pages if pattern_of(urlsplit(page[1]).path) == pattern)[1]


def _inner() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    from django.conf import settings

    from sanxiang.cases.models import Case
    from sanxiang.publicity.models import Publication

    settings.ALLOWED_HOSTS = [HOST]
    clients = {role: _client(role) for role in [*ROLES, PUBLIC]}
    server_time, crawls = _server_time(clients)
    officer, head, public = clients["hrb.officer1"], clients["hrb.head"], clients[PUBLIC]
    weight = {
        "case_page_officer": _weight(officer, _richest(crawls["hrb.officer1"], "cases:case-detail")),
        "case_page_head": _weight(head, _richest(crawls["hrb.head"], "cases:case-detail")),
        "workbench_home": _weight(officer, "/workbench/"),
        "portal_home": _weight(public, "/"),
        "decision_page": _weight(public, _richest(crawls[PUBLIC], "public:decision")),
    }
    return {
        "demo": {"cases": Case.objects.count(), "publications": Publication.objects.count()},
        "server_time": server_time,
        "weight": weight,
    }


if __name__ == "__main__":
    print(json.dumps(_inner(), ensure_ascii=False))
