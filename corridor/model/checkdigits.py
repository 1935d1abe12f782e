"""Check digits of the national identifiers free text and lists carry.

- Kazakhstan: IIN (persons) and BIN (organisations), 12 digits; the last is a check digit
  computed with weights 1..11 modulo 11, and with weights 3..11, 1, 2 when the first gives 10
  (a second 10 makes the number invalid).
- Russia: INN of 10 digits (organisations, one check digit) or 12 digits (persons, two);
  OGRN of 13 digits (check: the first 12 modulo 11, then modulo 10) and OGRNIP of 15 (modulo 13).
"""

from __future__ import annotations

_KZ_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_KZ_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def kz_id_valid(value: str) -> bool:
    """True when ``value`` is a 12-digit Kazakh IIN or BIN with a correct check digit."""
    if len(value) != 12 or not value.isdigit():
        return False
    check = _weighted(value, _KZ_W1) % 11
    if check == 10:
        check = _weighted(value, _KZ_W2) % 11
        if check == 10:
            return False
    return check == int(value[11])


def kz_id_is_person(value: str) -> bool | None:
    """An IIN (person) or a BIN (organisation), from the fifth digit: 0-3 is a month of birth
    (IIN), 4-6 the type of a legal entity (BIN); None when neither."""
    if len(value) != 12 or not value.isdigit():
        return None
    fifth = int(value[4])
    if fifth <= 3:
        return True
    if fifth <= 6:
        return False
    return None


def ru_inn_valid(value: str) -> bool:
    """True when ``value`` is a 10- or 12-digit Russian INN with correct check digits."""
    if not value.isdigit():
        return False
    if len(value) == 10:
        return _weighted(value, _INN10) % 11 % 10 == int(value[9])
    if len(value) == 12:
        first = _weighted(value, _INN12_1) % 11 % 10
        second = _weighted(value, _INN12_2) % 11 % 10
        return first == int(value[10]) and second == int(value[11])
    return False


def ru_ogrn_valid(value: str) -> bool:
    """True when ``value`` is a 13-digit OGRN or a 15-digit OGRNIP with a correct check digit."""
    if not value.isdigit():
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False
