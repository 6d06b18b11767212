"""On a phone, in a real browser: the officer has the party's refusal witnessed and signs the 现场检查笔录 by
drawing on the pad with touch and mouse pointer events."""

import pytest

from sanxiang.documents.models import Signature
from sanxiang.testing.browser import fits, login
from sanxiang.testing.signatures import inspection_record

pytestmark = pytest.mark.browser


def _draw(page, pad: str, kind: str) -> None:
    """Two strokes across the pad `pad`, as pointer events of a finger ("touch") or a mouse."""
    page.eval_on_selector(
        f'[data-pad="{pad}"] canvas',
        """(canvas, kind) => {
            const box = canvas.getBoundingClientRect();
            const send = (type, x, y) => canvas.dispatchEvent(new PointerEvent(type, {
                pointerId: 7, pointerType: kind, isPrimary: true, bubbles: true, cancelable: true,
                clientX: box.left + box.width * x, clientY: box.top + box.height * y}));
            for (const [y0, y1] of [[0.3, 0.7], [0.7, 0.2]]) {
                send("pointerdown", 0.1, y0);
                for (let i = 1; i <= 8; i++) send("pointermove", 0.1 + i * 0.1, y0 + (y1 - y0) * i / 8);
                send("pointerup", 0.9, y1);
            }
        }""",
        kind,
    )


def test_a_refusal_witnessed_and_an_officer_signing_on_a_phone(live_data, browser, live_server, world):
    _inspection, document = inspection_record(world)
    page = login(browser, live_server, "officer", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/workbench/documents/{document.pk}/sign/")
    assert document.docx_sha256 in page.locator("#version-sha256").inner_text() and fits(page)
    assert "签名未齐" in page.content()
    page.click("summary:has-text('当事人拒绝签名或不在场')")
    page.fill("#id_note", "法定代表人拒绝签名")
    page.fill("#id_witness_name", "赵见证")
    page.click("form:has(input[value=refuse]) button[type=submit]")
    page.wait_for_selector("text=请先在签名区域内手写签名")  # nothing drawn: refused, nothing stored
    assert not Signature.objects.exists()  # the form stays open with what was typed
    _draw(page, "witness_strokes", "touch")
    page.click("form:has(input[value=refuse]) button[type=submit]")
    page.wait_for_selector("text=已记录签名")
    page.select_option("#id_role", "officer")
    page.select_option("#id_officer", label="李明")
    _draw(page, "strokes", "mouse")
    page.click("[data-pad=strokes] [data-clear]")
    assert page.input_value('input[name="strokes"]') == ""
    _draw(page, "strokes", "mouse")
    page.click("form:has(input[value=sign]) button[type=submit]")
    page.wait_for_selector("text=已记录签名")
    assert page.locator("img.signature-image").count() == 2 and fits(page)
    assert "执法人员签名（还差 1 人）" in page.content()
    witness = Signature.objects.get(role="witness")
    assert witness.document_sha256 == document.docx_sha256 and len(witness.strokes) == 2
    assert [len(stroke) for stroke in Signature.objects.get(role="officer").strokes] == [
        9,
        9,
    ]  # the touch and its eight moves
