"""The unified business number (統一編號) checksum."""

import pytest
from django.core.exceptions import ValidationError

from compliance.validators import is_valid_ubn, validate_ubn


@pytest.mark.parametrize(
    "number",
    [
        "22099131",  # Taiwan Semiconductor Manufacturing Co.: sum 30
        "04595257",  # sum 40
        "12345671",  # sum 35: valid only under the divisible-by-5 rule in force since 2023
        "10458574",  # seventh digit 7, sum 29: valid when 28 counts as 1 (2 + 8 = 10 → 1)
        "10458570",  # seventh digit 7, sum 25
        "00000000",
    ],
)
def test_valid_numbers_pass(number):
    assert is_valid_ubn(number)
    validate_ubn(number)


@pytest.mark.parametrize(
    "number",
    [
        "22099132",  # last digit changed
        "12345678",
        "04595258",
        "10458572",  # seventh digit 7, sum 27: invalid either way
        "22099130",  # sum 29
        "1234567",  # seven digits
        "123456789",
        "2209913A",
        "２２０９９１３１",  # full-width digits are not accepted
        "",
    ],
)
def test_invalid_numbers_fail(number):
    assert not is_valid_ubn(number)
    with pytest.raises(ValidationError):
        validate_ubn(number)


def test_checksum_error_names_the_number():
    with pytest.raises(ValidationError) as excinfo:
        validate_ubn("22099132")
    assert excinfo.value.code == "ubn_checksum"
    assert "22099132" in str(excinfo.value.messages[0])


def test_format_error_is_distinct_from_checksum_error():
    with pytest.raises(ValidationError) as excinfo:
        validate_ubn("1234")
    assert excinfo.value.code == "ubn_format"
