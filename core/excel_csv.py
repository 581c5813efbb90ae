"""One CSV writer for every download, shaped for Dutch Excel."""

import csv
import io
from collections.abc import Iterable, Sequence


def excel_csv(*, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV for Dutch Excel: UTF-8 with BOM (so Excel reads the accents), `;` as separator, and text that Excel
    would run as a formula (starting with =, +, -, @) kept as text with a leading quote."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_no_formula(cell) if isinstance(cell, str) else cell for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _no_formula(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
