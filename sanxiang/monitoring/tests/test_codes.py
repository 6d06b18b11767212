"""The HJ 212-2017 tables the monitoring app reads are consistent: every code once, every pollutant of a medium and
with a unit, every flag and code with its meaning."""

from sanxiang.monitoring import pollutants as hj


def test_each_pollutant_code_is_listed_once_and_found_by_code():
    codes = [p.code for p in hj.POLLUTANTS]
    assert len(codes) == len(set(codes))
    assert hj.BY_CODE == {p.code: p for p in hj.POLLUTANTS}


def test_each_pollutant_has_a_name_a_unit_and_a_medium_its_code_prefix_agrees_with():
    for p in hj.POLLUTANTS:
        assert p.name and p.unit, p
        assert p.medium in hj.MEDIA, p
        assert p.code[0] == {hj.AIR: "a", hj.WATER: "w"}[p.medium], p
        assert len(p.code) == 6 and p.code[1:].isdigit(), p


def test_the_2005_codes_lead_to_listed_pollutants_once_each():
    assert set(hj.CODES_2005.values()) <= set(hj.BY_CODE)
    assert len(set(hj.CODES_2005.values())) == len(hj.CODES_2005)


def test_the_eight_data_flags_have_their_meanings_and_only_n_and_s_are_valid():
    assert [f.code for f in hj.DATA_FLAGS] == list("NFMSDCTB")
    assert all(f.meaning for f in hj.DATA_FLAGS)
    assert {f.code for f in hj.DATA_FLAGS if f.valid} == {"N", "S"}
    assert hj.FLAG_BY_CODE == {f.code: f for f in hj.DATA_FLAGS}


def test_system_command_and_reply_codes_are_unique_and_explained():
    for table in (hj.SYSTEM_CODES, hj.COMMAND_CODES, hj.REPLY_CODES):
        numbers = [c.code for c in table]
        assert len(numbers) == len(set(numbers))
        assert all(c.meaning for c in table)
    assert 91 in {c.code for c in hj.SYSTEM_CODES}  # 系统交互, what our responses carry
    assert {c.code for c in hj.COMMAND_CODES} == {2011, 2051, 2061, 2031, 9011, 9012, 9013, 9014}


def test_a_factor_is_named_from_the_table_or_by_its_code():
    assert hj.name_of("a21026") == "二氧化硫" and hj.name_of("x99999") == "x99999"


def test_the_form_choices_are_the_factors_of_a_medium_named_with_their_codes():
    water = hj.choices(hj.WATER)
    assert ("w01018", "化学需氧量（w01018）") in water and all(code.startswith("w") for code, _label in water)
    assert len(hj.choices()) == len(hj.POLLUTANTS)
