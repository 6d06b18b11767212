"""Article numbers as Chinese legal texts write them: 第五十一条, 第一百零八条, 第一千二百六十条. Pure functions."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
UNITS = {"十": 10, "百": 100, "千": 1000}
# Every character an article number may be written with, for the patterns that find them (Arabic digits too,
# which some secondary texts use: 第5条).
NUMERAL = "[零〇一二两三四五六七八九十百千0-9]+"


def to_int(text: str) -> int:
    """The value of a number written in Chinese (or Arabic digits): "一百零八" → 108, "十二" → 12."""
    if text.isdigit():
        return int(text)
    total = current = 0
    for character in text:
        if character in UNITS:
            total += (current or 1) * UNITS[character]
            current = 0
        elif character in "零〇":
            continue
        elif character == "两":
            current = 2
        elif character in DIGITS:
            current = DIGITS.index(character)
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + current


def to_chinese(number: int) -> str:
    """A number from 1 to 9999 as a legal text writes it: 10 → 十, 110 → 一百一十, 1001 → 一千零一."""
    if not 1 <= number <= 9999:
        raise ValueError(f"article numbers run from 1 to 9999, not {number}")
    if number < 20:  # 十, 十一 … 十九: the leading 一 is not written below a hundred
        return ("十" + (DIGITS[number - 10] if number > 10 else "")) if number >= 10 else DIGITS[number]
    words, zero = [], False
    for unit, value in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = number // value % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words.append("零")
            zero = False
        words.append(DIGITS[digit] + unit)
    return "".join(words)


def article_label(number: int) -> str:
    return f"第{to_chinese(number)}条"
