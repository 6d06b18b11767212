"""A 行政区划代码 reads under its name, a county under its city (two cities each have a 向阳区)."""

from sanxiang.core.divisions import division_name


def test_a_division_code_reads_under_its_name():
    assert division_name("230104") == "哈尔滨市道外区"
    assert division_name("230402") == "鹤岗市向阳区" and division_name("230803") == "佳木斯市向阳区"
    assert division_name("230100") == "哈尔滨市" and division_name("230000") == "黑龙江省"


def test_a_code_not_held_reads_as_written():
    assert division_name("110101") == "110101" and division_name("230199") == "230199" and division_name("23") == "23"
