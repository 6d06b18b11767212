"""Facts of a ledger entry read in words on a page, never as a Python repr."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sanxiang.core.facts import FACT_WORDS, facts, in_words, words_of


def test_values_read_in_words_codes_under_their_names_and_common_keys_in_chinese():
    data = {
        "previous_stage": None,
        "stage": "clue",
        "public": False,
        "approved": True,
        "kinds": ["close", "fine"],
        "party": {"kind": "legal_person"},
        "digest": "x",
        "custom": 3,
        "method": "password",
    }
    assert facts(data) == [
        ("阶段", "案源登记"),
        ("公开", "否"),
        ("同意", "是"),
        ("处罚种类", "责令关闭、罚款"),
        ("当事人", "种类：法人"),
        ("custom", "3"),
        ("方式", "密码"),
    ]


def test_a_change_reads_old_to_new():
    assert facts({"previous_stage": "clue", "stage": "investigating"}) == [("阶段", "案源登记 → 调查取证")]
    assert facts({"previous_status": "draft"}) == [("原状态", "draft")]
    assert facts({"previous_stage": "clue", "stage": "clue"}) == [("阶段", "案源登记")]  # kept, not "changed" to itself


def test_a_code_whose_word_depends_on_the_subject_reads_as_that_subject_says():
    published = {"status": "published"}
    assert facts(published, "publicity.publication") == [("状态", "已公示")]
    assert facts(published, "publicity.disclosure") == [("状态", "已发布")]
    assert facts(published) == [("状态", "published")]  # no subject: the code as written, never a guess


def test_two_apps_cannot_give_one_code_two_words():
    with pytest.raises(ImproperlyConfigured):
        FACT_WORDS.register(words_of([("clue", "别的说法")], "stage"))


def test_a_moment_the_ledger_keeps_in_utc_reads_in_local_time():
    assert in_words("2026-12-06T03:00:00Z", "starts_at") == "2026-12-06 11:00"
    assert in_words("2026-12-06T15:30:00.250000Z", "ends_at") == "2026-12-06 23:30"
    assert in_words("2026-12-06", "valid_from") == "2026-12-06"  # a day stays a day
