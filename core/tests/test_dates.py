from datetime import date

import pytest

from core.dates import months_earlier


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 11, 15), 3, date(2026, 8, 15)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2026, 2, 10), 12, date(2025, 2, 10)),
        (date(2026, 1, 31), 1, date(2025, 12, 31)),
        # the first of a month, as the monthly snapshots use it
        (date(2026, 1, 1), 1, date(2025, 12, 1)),
        (date(2026, 3, 1), 14, date(2025, 1, 1)),
        (date(2026, 3, 1), 0, date(2026, 3, 1)),
    ],
)
def test_months_earlier(day, months, expected):
    assert months_earlier(day, months) == expected
