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


# GB/T 2260 county-level codes of the districts the demo's enterprises stand in.
DISTRICTS = {
    "道里区": "230102",
    "南岗区": "230103",
    "道外区": "230104",
    "平房区": "230108",
    "松北区": "230109",
    "香坊区": "230110",
    "呼兰区": "230111",
    "阿城区": "230112",
    "双城区": "230113",
    "昂昂溪区": "230205",
    "富拉尔基区": "230206",
    "萨尔图区": "230602",
    "龙凤区": "230603",
    "阳明区": "231003",
}


def division_of(address: str) -> str:
    """The district code of an address that names one of DISTRICTS."""
    return next(code for name, code in DISTRICTS.items() if name in address)


def permit_number(uscc: str) -> str:
    """An 排污许可证编号 as the national platform writes it: the holder's code, a serial and the letter P."""
    return f"{uscc}001P"
