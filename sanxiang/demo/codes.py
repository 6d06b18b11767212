"""Well-formed but fictional identifiers for the demo data."""

from sanxiang.core.identifiers import uscc_check_character

# GB 11714-1997: organisation code = 8 characters + a check character (weights 3,7,9,10,5,8,4,2; mod 11).
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(body8: str) -> str:
    check = 11 - sum(_ORG_ALPHABET.index(char) * weight for char, weight in zip(body8, _ORG_WEIGHTS)) % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def demo_uscc(kind: str, division: str, serial: int) -> str:
    """A 统一社会信用代码: `kind` is "11" (government organ), "91" (enterprise) or "92" (个体工商户), `division` a 6-digit area code."""
    body = kind + division + organisation_code(f"MA{serial:06d}" if kind in ("91", "92") else f"{serial:08d}")
    return body + uscc_check_character(body)
