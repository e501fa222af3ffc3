"""Validators for identifiers used by the registry."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)


def is_valid_ubn(value: str) -> bool:
    """Return whether ``value`` is a valid unified business number (統一編號).

    The Ministry of Finance checksum: multiply the digits by 1,2,1,2,1,2,4,1, add the
    digits of each product, and the total must be divisible by 5 (the rule in force
    since 2023, which accepts every number the older divisible-by-10 rule accepted).
    When the seventh digit is 7 its product 28 may count as 10 or as 1 (2+8 → 10 → 1),
    so the number is also valid if the total plus one is divisible by 5.
    """
    if not isinstance(value, str) or len(value) != 8 or not value.isascii() or not value.isdigit():
        return False
    total = 0
    for digit, weight in zip(value, _UBN_WEIGHTS, strict=True):
        product = int(digit) * weight
        total += product // 10 + product % 10
    if total % 5 == 0:
        return True
    return value[6] == "7" and (total + 1) % 5 == 0


def validate_ubn(value: str) -> None:
    """Raise a ValidationError a business understands when the number is not valid."""
    if not (isinstance(value, str) and len(value) == 8 and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("A unified business number has exactly 8 digits."), code="ubn_format"
        )
    if not is_valid_ubn(value):
        raise ValidationError(
            _("%(value)s is not a valid unified business number: its check digit does not match."),
            code="ubn_checksum",
            params={"value": value},
        )
