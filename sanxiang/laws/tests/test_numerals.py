import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanxiang.laws.numerals import article_label, to_chinese, to_int


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (51, "五十一"),
        (100, "一百"),
        (101, "一百零一"),
        (108, "一百零八"),
        (110, "一百一十"),
        (119, "一百一十九"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1260, "一千二百六十"),
    ],
)
def test_article_numbers_are_written_as_the_statutes_write_them(number, words):
    assert to_chinese(number) == words
    assert to_int(words) == number


@given(st.integers(min_value=1, max_value=9999))
def test_every_number_reads_back_to_itself(number):
    assert to_int(to_chinese(number)) == number


def test_arabic_digits_and_the_variant_zero_are_read_too():
    assert to_int("85") == 85
    assert to_int("一百〇八") == 108


def test_a_label_names_the_article():
    assert article_label(63) == "第六十三条"


def test_what_is_no_number_is_refused():
    with pytest.raises(ValueError):
        to_int("五章")
    with pytest.raises(ValueError):
        to_chinese(0)
