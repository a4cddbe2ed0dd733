"""Every CSV the site produces is written through here, so no cell runs as a spreadsheet formula.

OWASP's rule for CSV injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return is prefixed with a single quote, which spreadsheets show as text and do not
evaluate. Numbers stay numbers (a negative count is not a formula). Imports of our own files
undo the prefix with :func:`csv_cell_unescape`, so an export still round-trips.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """One cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell_unescape(value: str) -> str:
    """The text of a cell that :func:`csv_cell` escaped (other text is returned unchanged)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """A whole CSV document with every cell escaped."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
