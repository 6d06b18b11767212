"""On a phone, in a real browser: a capture is hashed on the device, kept in IndexedDB, sent by tus with the
connection cut three times (once by going offline), and registered once with the hash taken at capture."""

import hashlib
import os

import pytest

from sanxiang.evidence.models import EvidenceItem
from sanxiang.testing.browser import fits, login
from sanxiang.testing.cases import open_case

pytestmark = pytest.mark.browser

SIZE = 7 * 1024 * 1024 + 4321  # four pieces of 2 MiB


def test_a_capture_survives_going_offline_and_is_registered_once(live_data, browser, live_server, world):
    case = open_case(world)
    data = os.urandom(SIZE)
    page = login(browser, live_server, "officer", viewport={"width": 390, "height": 844})
    context = page.context
    patches, cuts = [], []

    def cut_some(route, request):
        if request.method == "PATCH":
            patches.append(request.headers.get("upload-offset"))
            if len(patches) in (2, 4, 6):
                cuts.append(len(patches))
                if len(cuts) == 1:
                    context.set_offline(True)  # the phone loses its network in the middle of a piece
                route.abort("internetdisconnected")
                return
        route.continue_()

    page.route("**/api/v1/uploads/*", cut_some)
    page.goto(f"{live_server.url}/workbench/evidence/cases/{case.pk}/")
    assert fits(page)
    page.set_input_files(
        "[data-capture-queue] input[type=file]", files=[{"name": "现场.mp4", "mimeType": "video/mp4", "buffer": data}]
    )
    assert "请先在下方表单填写摄录内容" in page.inner_text(".capture-error")
    page.fill("#id_description", "现场检查全过程录像")
    page.select_option("#id_kind", "video")
    page.set_input_files(
        "[data-capture-queue] input[type=file]", files=[{"name": "现场.mp4", "mimeType": "video/mp4", "buffer": data}]
    )
    page.wait_for_selector('ol.queue li[data-state="waiting"]')
    assert "网络中断" in page.inner_text("ol.queue") and fits(page)
    kept = page.evaluate(
        """() => new Promise((resolve) => { const open = indexedDB.open("sanxiang-captures", 1);
        open.onsuccess = () => { const get = open.result.transaction("captures").objectStore("captures").getAll();
        get.onsuccess = () => resolve(get.result.map((record) => [record.sha256, record.size])); }; })"""
    )
    assert kept == [[hashlib.sha256(data).hexdigest(), SIZE]]
    assert not EvidenceItem.objects.exists()
    context.set_offline(False)
    page.wait_for_selector('ol.queue li[data-state="done"]', timeout=60_000)
    assert len(cuts) == 3
    item = EvidenceItem.objects.get()
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == SIZE
    assert "已登记为证据" in page.inner_text("ol.queue")


@pytest.mark.parametrize(
    ("text", "digest"),
    [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ],
)
def test_the_incremental_sha256_gives_the_nist_digests(live_data, browser, live_server, world, text, digest):
    page = login(browser, live_server, "officer")
    page.goto(f"{live_server.url}/workbench/evidence/cases/{open_case(world).pk}/")
    found = page.evaluate(
        "(text) => new window.SanxiangSha256.Sha256().update(new TextEncoder().encode(text)).hex()", text
    )
    assert found == digest
    # a million "a" fed in uneven pieces; a file hashed slice by slice (forced below the WebCrypto limit) agrees
    million = page.evaluate(
        """() => { const state = new window.SanxiangSha256.Sha256(); const piece = new TextEncoder().encode("a".repeat(997));
        let left = 1000000; while (left > 0) { const n = Math.min(997, left); state.update(piece.subarray(0, n)); left -= n; }
        return state.hex(); }"""
    )
    assert million == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    sliced = page.evaluate(
        """async () => { const bytes = new Uint8Array(9 * 1024 * 1024 + 5); for (let i = 0; i < bytes.length; i++) bytes[i] = i % 251;
        return window.SanxiangSha256.hashBlob(new Blob([bytes]), { threshold: 0 }); }"""
    )
    assert sliced == hashlib.sha256(bytes(i % 251 for i in range(9 * 1024 * 1024 + 5))).hexdigest()


def test_the_workbench_installs_its_shell_and_opens_offline(live_data, browser, live_server, world):
    page = login(browser, live_server, "officer", viewport={"width": 390, "height": 844})
    manifest = page.request.get(f"{live_server.url}/workbench/manifest.webmanifest").json()
    assert manifest["scope"] == "/workbench/" and {icon["sizes"] for icon in manifest["icons"]} == {
        "192x192",
        "512x512",
    }
    assert page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)") == (
        f"{live_server.url}/workbench/"
    )
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/workbench/cases/")
    assert "当前没有网络" in page.content() and fits(page)
    cached = page.evaluate(
        """caches.keys().then((names) => caches.open(names[0])).then((cache) => cache.keys())
        .then((requests) => requests.map((request) => new URL(request.url).pathname))"""
    )
    assert "/workbench/offline/" in cached and any(path.endswith(".css") for path in cached)
    assert any("capture" in path for path in cached) and not any("/cases/" in path for path in cached)
    page.context.set_offline(False)
