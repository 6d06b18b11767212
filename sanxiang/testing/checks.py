"""Assertions the suite shares."""

import pytest
from django.core.exceptions import ValidationError


def refused(code, call):
    """Run `call`, expect a refusal with `code`, and return the error."""
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.code == code, error.value
    return error.value
