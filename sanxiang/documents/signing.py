"""Hand signatures, with no database and no record: checking the strokes a signature pad sends, drawing them as SVG
and PNG on the server, and adding the signature page to a document's DOCX.

The pad sends strokes only: a list of strokes, each a list of points [x, y, ms] in a 1000 x 400 box, ms counted
from the first touch. Nothing the client draws or marks up is kept, so a signature can never carry script (XSS).
"""

from __future__ import annotations

import hashlib
import io
import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.shared import Mm
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1000, 400
MAX_STROKES = 60
MAX_POINTS = 4000  # in all strokes together: minutes of writing at the rate pointer events arrive
MAX_MILLISECONDS = 10 * 60 * 1000
PNG_SCALE = 0.5  # 500 x 200 pixels: sharp at the 40 mm a signature takes on the printed page


def _invalid(message: str) -> ValidationError:
    return ValidationError({"strokes": [message]}, code="invalid_strokes")


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def clean_strokes(strokes) -> list[list[list[float]]]:
    """The strokes as numbers rounded to a tenth, or ValidationError naming what is wrong: not a list of lists of
    [x, y, ms] numbers, outside the box or the time limit, time running backwards, too many, or too few to be a
    signature."""
    if not isinstance(strokes, list) or not strokes or not all(isinstance(stroke, list) for stroke in strokes):
        raise _invalid(_("签名笔迹应为笔画列表，且不能为空。"))
    if len(strokes) > MAX_STROKES or sum(len(stroke) for stroke in strokes) > MAX_POINTS:
        raise _invalid(
            _("签名笔迹过长（最多 %(strokes)d 笔、%(points)d 个点）。")
            % {
                "strokes": MAX_STROKES,
                "points": MAX_POINTS,
            }
        )
    cleaned, last = [], -1.0
    for stroke in strokes:
        points = []
        for point in stroke:
            if not (isinstance(point, list) and len(point) == 3 and all(_number(value) for value in point)):
                raise _invalid(_("每个笔迹点应为三个数字 [横坐标, 纵坐标, 毫秒]。"))
            x, y, ms = (round(float(value), 1) for value in point)
            if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT and 0 <= ms <= MAX_MILLISECONDS):
                raise _invalid(_("笔迹点超出签名区域或时间范围。"))
            if ms < last:
                raise _invalid(_("笔迹点的时间不能倒退。"))
            last = ms
            points.append([x, y, ms])
        if points:
            cleaned.append(points)
    if sum(len(stroke) for stroke in cleaned) < 2:
        raise _invalid(_("请在签名区域内手写签名。"))
    return cleaned


def strokes_digest(strokes: list) -> str:
    return hashlib.sha256(json.dumps(strokes, separators=(",", ":")).encode()).hexdigest()


def strokes_svg(strokes: list) -> str:
    """The strokes as an SVG drawing; every value in it is a number the server formatted."""
    paths = "".join(
        '<path d="M{}"/>'.format(" L".join(f"{x:g} {y:g}" for x, y, _ms in stroke))
        if len(stroke) > 1
        else f'<circle cx="{stroke[0][0]:g}" cy="{stroke[0][1]:g}" r="3"/>'
        for stroke in strokes
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        '<g fill="none" stroke="#000" stroke-width="6" stroke-linecap="round" stroke-linejoin="round">'
        f"{paths}</g></svg>"
    )


def strokes_png(strokes: list) -> bytes:
    """The strokes drawn black on white (Pillow), for the signature page of the DOCX and PDF."""
    image = Image.new("RGB", (int(WIDTH * PNG_SCALE), int(HEIGHT * PNG_SCALE)), "white")
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        points = [(x * PNG_SCALE, y * PNG_SCALE) for x, y, _ms in stroke]
        if len(points) == 1:
            (x, y), r = points[0], 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill="black")
        else:
            draw.line(points, fill="black", width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def signature_page(docx: bytes, version_sha256: str, rows: list[dict]) -> bytes:
    """The document's DOCX with a page of its signatures added at the end: for each, who signed in what capacity
    and when, the image of the hand signature (or the refusal and the officer's note), and the SHA-256 of the version
    they signed. `rows`: {"role", "name", "time", "png" (bytes or None), "note"}."""
    document = WordDocument(io.BytesIO(docx))
    document.add_page_break()
    document.add_paragraph(_("签名页")).runs[0].bold = True
    document.add_paragraph(_("所签文书版本 SHA-256：%(sha)s") % {"sha": version_sha256})
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        cells[0].text = f"{row['role']}\n{row['name']}"
        if row["png"]:
            cells[1].paragraphs[0].add_run().add_picture(io.BytesIO(row["png"]), width=Mm(40))
        else:
            cells[1].text = row["note"]
        cells[2].text = row["time"]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
