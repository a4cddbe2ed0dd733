"""A small table type shared by the analytics page, its charts and its downloads."""

import datetime
import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

from config.csv_export import csv_text


@dataclass
class Table:
    """A titled table of plain values. ``chart`` names the column to plot (or None)."""

    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    description: str = ""
    chart_label: int = 0
    chart_value: int | None = None
    chart_kind: str = "bar"  # "bar" or "line"
    sheet_title: str = ""  # at most 31 characters (Excel's limit); defaults to the title

    def to_csv(self) -> str:
        return csv_text(self.columns, self.rows)

    def to_xlsx(self) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = xlsx_sheet_title(self.sheet_title or self.title)
        sheet.append(self.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in self.rows:
            sheet.append([_xlsx_value(v) for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
        for index, column in enumerate(self.columns, start=1):
            width = max([len(str(column))] + [len(str(r[index - 1])) for r in self.rows[:200]])
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(
                width + 2, 60
            )
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def xlsx_sheet_title(title: str) -> str:
    """A worksheet name Excel accepts (31 characters, no []:*?/\\), cut at a word, not mid-word."""
    title = _SHEET_FORBIDDEN.sub(" ", title).strip() or "Sheet"
    if len(title) <= SHEET_TITLE_MAX:
        return title
    head = title[: SHEET_TITLE_MAX + 1]
    cut = head.rsplit(" ", 1)[0].rstrip(" ,;-") if " " in head else ""
    return cut or title[:SHEET_TITLE_MAX]


def _xlsx_value(value):
    # Text that looks like a formula must stay text in a spreadsheet (CSV/formula injection).
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value
