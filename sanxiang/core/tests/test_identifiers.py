import pytest
from django.core.exceptions import ValidationError

from sanxiang.core.identifiers import validate_resident_id, validate_uscc

# Examples printed in the standards themselves: GB 32100-2015 附录 and GB 11643-1999 §7.
RESIDENT_ID_VALID = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91350100m000100y43 "])
def test_a_well_formed_credit_code_passes(code):
    validate_uscc(code)


@pytest.mark.parametrize("number", RESIDENT_ID_VALID + ["11010519491231002x"])
def test_a_well_formed_resident_id_passes(number):
    validate_resident_id(number)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y44", "uscc_check"),  # right shape, wrong check character
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100YI3", "uscc_charset"),  # I is not in the alphabet
        ("Z1350100M000100Y43", "uscc_charset"),
        ("C1350100M000100Y43", "uscc_authority"),
        ("9135A100M000100Y43", "uscc_division"),
    ],
)
def test_a_malformed_credit_code_is_refused_with_its_reason(code, error_code):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert error.value.code == error_code
    assert "统一社会信用代码" in error.value.messages[0]


def test_every_wrong_check_character_of_a_credit_code_is_caught():
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for char in alphabet.replace("3", ""):
        with pytest.raises(ValidationError):
            validate_uscc("91350100M000100Y4" + char)


@pytest.mark.parametrize(
    ("number", "error_code"),
    [
        ("110105194912310021", "id_check"),  # the standard's example with the check digit changed
        ("11010519491231002", "id_length"),
        ("11010519491331002X", "id_birth_date"),  # month 13
        ("1101051949123100XX", "id_charset"),
        ("110105289912310023", "id_birth_date"),  # born in the future
    ],
)
def test_a_malformed_resident_id_is_refused_with_its_reason(number, error_code):
    with pytest.raises(ValidationError) as error:
        validate_resident_id(number)
    assert error.value.code == error_code
    assert "居民身份证号码" in error.value.messages[0]


def test_every_wrong_check_digit_of_a_resident_id_is_caught():
    for char in "0123456789":  # the right check character is X
        with pytest.raises(ValidationError):
            validate_resident_id("11010519491231002" + char)
