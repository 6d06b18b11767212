"""Facts of a ledger entry read in words on a page, never as a Python repr."""

from sanxiang.core.templatetags.facts import facts


def test_values_read_in_words_and_common_keys_in_chinese():
    data = {
        "previous_stage": None,
        "public": False,
        "approved": True,
        "kinds": ["close", "fine"],
        "party": {"kind": "legal_person"},
        "digest": "x",
        "custom": 3,
        "method": "password",
    }
    assert facts(data) == [
        ("原阶段", "—"),
        ("公开", "否"),
        ("同意", "是"),
        ("处罚种类", "close、fine"),
        ("当事人", "种类：legal_person"),
        ("custom", "3"),
        ("方式", "密码"),
    ]
