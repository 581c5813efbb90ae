"""?pagina=N is kept within the pages a list has: junk is the first page, too high the last."""

import pytest

from core.paging import page_number


@pytest.mark.parametrize(
    ("raw", "count", "expected"),
    [
        ("1", 0, 1),
        ("2", 0, 1),
        ("2", 101, 2),
        ("3", 101, 2),
        ("99999999999999999999", 4400, 44),
        ("0", 4400, 1),
        ("-5", 4400, 1),
        ("abc", 4400, 1),
        ("1e3", 4400, 1),
        ("2.5", 4400, 1),
        ("", 4400, 1),
        ("\x00", 4400, 1),
        (None, 4400, 1),
        (" 7 ", 4400, 7),
    ],
)
def test_page_number_stays_within_the_pages(raw, count, expected):
    assert page_number(raw, count=count) == expected
