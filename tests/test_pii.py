"""One masking rule for passport numbers and NIK, everywhere they are shown."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from grouppass.pii import mask, mask_number

_NUMBERS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=0, max_size=40)


def test_by_hand() -> None:
    assert mask_number("B1234567") == "B******67"  # 8 characters: 3 shown
    assert mask_number("B12345") == "B******5"  # a short passport shows 2, not 5
    assert mask_number("5271011204680003") == "52******03"
    assert mask_number("B1234") == "******4"
    assert mask_number("AB1") == "******"
    assert mask("passport.number", "B1234567") == "B******67"
    assert mask("groups[0].nik", "5271011204680003") == "52******03"
    assert mask("name", "Siti") == "Siti"


@given(_NUMBERS)
def test_never_more_than_four_and_never_half(number: str) -> None:
    masked = mask_number(number)
    shown = len(masked) - 6
    assert masked.count("*") == 6
    assert shown <= 4 and (shown == 0 or shown < len(number) / 2)
    head = masked[: masked.index("*")]
    tail = masked[masked.rindex("*") + 1 :]
    assert number.startswith(head) and number.endswith(tail)


@given(_NUMBERS, _NUMBERS)
def test_the_length_is_not_given_away(a: str, b: str) -> None:
    """Numbers of 10 characters or more all mask to the same length."""
    if len(a) >= 10 and len(b) >= 10:
        assert len(mask_number(a)) == len(mask_number(b)) == 10


@given(_NUMBERS)
def test_the_tui_shows_the_same_mask(number: str) -> None:
    from grouppass_tui.display import mask as tui_mask

    assert tui_mask(number) == (mask_number(number) if number else "–")
