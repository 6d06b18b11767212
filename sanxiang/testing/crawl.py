"""Every page a user can reach, visited in a real browser on a phone-sized screen and checked for what a user would
see as broken: a page wider than the screen, a raw Python value or an untranslated English label in its text, a
link that answers 403 or 404 to that user, or a server error.

The crawl follows the links each page offers (same site, no downloads, no logout), one page per URL pattern and
query-free path, so a list of a thousand cases costs one visit per kind of page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from sanxiang.testing.browser import page_width

# Links a crawl does not follow: files and streams (their pages are checked by their own tests), leaving the session.
SKIPPED = re.compile(
    r"^/(static|media|api|ledger|admin)/|/logout/|/(download|export|archive)\b|\.(pdf|docx|zip|csv|xlsx|jsonl|json|txt)$"
    r"|/(csv|jsonl|xlsx|pdf|docx|raw|file|bag)/?$"
)
RAW_VALUE = re.compile(r"\{'|\['|\bNone\b|\bTrue\b|\bFalse\b|<[a-z_.]+ object at 0x")
# English words a Chinese page may show: names of standards, formats and protocols.
ALLOWED_WORDS = set(
    """SHA API PDF DOCX CSV JSON Lines URL TOTP HTTP HTTPS ID OpenAPI Swagger BagIt Excel XLSX Word RFC C2SP Ed25519
    GPS EXIF USB SVG PNG JPEG MP4 Google Authenticator FreeOTP read write partner Bearer CF XK WebAuthn passkey Merkle
    GB GA HJ UTC IP QR APP App app Chrome Safari Edge Firefox docx pdf xlsx csv""".split()
)
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
LABEL_SELECTOR = "main label, main th, main button, main summary, main legend, main dt, nav a"
SCRIPT_REQUESTS = {"fetch", "xhr", "eventsource", "websocket"}
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"
LABEL_TEXT = f"() => [...document.querySelectorAll('{LABEL_SELECTOR}')].map(e => e.innerText.trim()).filter(Boolean)"


@dataclass
class Problem:
    user: str
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.user} {self.path}: {self.what}"


@dataclass
class Crawl:
    """The pages one user reached and what was wrong on them."""

    user: str
    visited: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def pattern_of(path: str) -> str:
    """The URL pattern a path belongs to (so /cases/7/ and /cases/8/ count as one page)."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return f"{match.namespace}:{match.url_name}" if match.url_name else match.route


def crawl(
    page, base: str, user: str, start: str = "/workbench/", *, within: str = "/", limit: int = 150, width: int = 390
) -> Crawl:
    """Visit, breadth first, every page under `within` that `user`'s pages link to (one per pattern), checking
    each (the workbench's crawls stay in the workbench: the portal, the same for everyone, is crawled once)."""
    result = Crawl(user)
    seen_patterns: set[str] = set()
    queue = [start]
    queued = {start}
    while queue and len(result.visited) < limit:
        path = queue.pop(0)
        pattern = pattern_of(path)
        if pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        try:
            response = _open(page, base + path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file offered for download: not a page
            raise
        status = response.status if response else 0
        result.visited.append(path)
        if status in (403, 404):  # offered to this user, then refused or hidden from them: a link not to show
            result.problems.append(Problem(user, path, f"a link to a page this user may not open ({status})"))
            continue
        if status >= 500 or status == 0:
            result.problems.append(Problem(user, path, f"answered {status}"))
            continue
        if status >= 400:
            continue
        result.problems.extend(Problem(user, path, what) for what in check_page(page, width))
        for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target = link_to_follow(link, netloc=urlsplit(base).netloc, within=within)
            if target and urlsplit(target).path not in queued:
                queued.add(urlsplit(target).path)
                queue.append(target)
    return result


def _open(page, url: str):
    """Go to `url` and wait for its load; where the page's scripts asked the server for more (histories, in-browser
    proofs), also for the network to fall quiet, since what they add must fit too. Waiting for quiet on every page
    costs half a second a page (Playwright's idle window) for the many that ask nothing."""
    asked = []

    def note(request):
        if request.resource_type in SCRIPT_REQUESTS:
            asked.append(request)

    page.on("request", note)
    try:
        response = page.goto(url, wait_until="load")
        page.evaluate(NEXT_FRAME)  # a fetch started by the load event itself is reported before this answer
        if asked:
            page.wait_for_load_state("networkidle")
    finally:
        page.remove_listener("request", note)
    return response


def link_to_follow(link: str, *, netloc: str, within: str) -> str | None:
    """What a crawl visits for an absolute `link`: its path and query (without a query that turns a list's page, so a
    long list is one visit), or None for another site, a path outside `within` or a SKIPPED one."""
    parts = urlsplit(link)
    if parts.netloc != netloc or not parts.path.startswith(within) or SKIPPED.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")


def check_page(page, width: int) -> list[str]:
    problems = []
    wide = page_width(page)
    if wide > width:
        problems.append(f"{wide} px wide on a {width} px screen")
    text = page.inner_text("body")
    raw = RAW_VALUE.search(text)
    if raw:
        start = max(raw.start() - 30, 0)
        problems.append(f"a raw value in the text: …{text[start : raw.end() + 30]!r}…")
    for label in page.evaluate(LABEL_TEXT):
        words = [word for word in ENGLISH_WORD.findall(label) if word not in ALLOWED_WORDS]
        if words:
            problems.append(f"an English label: {label[:60]!r}")
    return problems
