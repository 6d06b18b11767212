"""Check characters of the two identifiers every enforcement record carries.

统一社会信用代码 (unified social credit code) follows GB 32100-2015; 居民身份证号码 (resident identity number)
follows GB 11643-1999. Both end in a check character computed from the others, so most typing errors are caught
at entry instead of surfacing later as a 双公示 record the credit platform rejects.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015 §4.1: the code alphabet (no I, O, S, V, Z) and the weights of positions 1–17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 表1: first character = registration authority (机构编制, 外交, 司法行政, 文化, 民政, 旅游, 宗教,
# 工会, 工商, 中央军委改革和编制办公室, 农业, 其他).
USCC_AUTHORITIES = frozenset("123456789ANY")

# GB 11643-1999 §6.2: weights W_i = 2^(18-i) mod 11 and the check character for sum mod 11.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(value: str) -> str:
    return value.strip().upper()


def validate_uscc(value: str) -> None:
    """Raise ValidationError unless `value` is a well-formed 统一社会信用代码 with the right check character."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(n)d 位。"), code="uscc_length", params={"n": len(code)}
        )
    bad = sorted({char for char in code if char not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）。"),
            code="uscc_charset",
            params={"chars": "、".join(bad)},
        )
    if code[0] not in USCC_AUTHORITIES:
        raise ValidationError(_("统一社会信用代码第 1 位（登记管理部门代码）无效。"), code="uscc_authority")
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第 3–8 位应为行政区划代码（数字）。"), code="uscc_division")
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验码不正确，请核对是否输错。"), code="uscc_check")


def resident_id_check_character(first17: str) -> str:
    return RESIDENT_ID_CHECK[sum(int(char) * weight for char, weight in zip(first17, RESIDENT_ID_WEIGHTS)) % 11]


def normalize_resident_id(value: str) -> str:
    return value.strip().upper()


def validate_resident_id(value: str) -> None:
    """Raise ValidationError unless `value` is an 18-character 居民身份证号码 with a real birth date and check digit."""
    number = normalize_resident_id(value)
    if len(number) != 18:
        raise ValidationError(
            _("居民身份证号码应为 18 位，当前为 %(n)d 位。"), code="id_length", params={"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("居民身份证号码前 17 位应为数字，最后一位为数字或 X。"), code="id_charset")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("居民身份证号码中的出生日期无效。"), code="id_birth_date") from None
    if birth.year < 1850 or birth > dt.date.today():
        raise ValidationError(_("居民身份证号码中的出生日期无效。"), code="id_birth_date")
    if resident_id_check_character(number[:17]) != number[17]:
        raise ValidationError(_("居民身份证号码校验码不正确，请核对是否输错。"), code="id_check")
