"""chase_list.xlsx: Summary, Chase list and Fixed since last chase, written as worksheet XML.

A heavily wrong return lists some 28,000 findings; openpyxl took about 13 s to write them cell by
cell, this well under a second. Text stays text (inline strings: a leading '=' is never a
formula), counts are numbers and dates are real dates shown dd/mm/yyyy.
"""
from __future__ import annotations

import pandas as pd

from ..report.chase import COLUMNS, FIXED_COLUMNS, SUMMARY_COLUMNS, TITLES
from ..report.chase_files import FIXED, FIXED_TITLES, SHEET, SUMMARY, SUMMARY_TITLES, day
from .package import Package
from .sheet_xml import header_styles, table_sheet
from .styles_part import Styles
from .tables_book import BOLD, STYLES, book_package

EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's date serials (from 1 March 1900 on)


def _serials(dates: pd.Series) -> list:
    """Dates as Excel date serials (whole days as ints), None where there is no date."""
    days = (pd.to_datetime(dates) - EXCEL_EPOCH) / pd.Timedelta(days=1)
    return [None if pd.isna(d) else int(d) if d.is_integer() else d for d in days.tolist()]


def _columns(frame: pd.DataFrame, columns: list[str], dates: str) -> list[list]:
    """The frame's columns as lists of plain Python values, the ``dates`` column as serials."""
    return [_serials(frame[c]) if c == dates else frame[c].tolist() for c in columns]


def chase_book(items: pd.DataFrame, summary: pd.DataFrame, fixed: pd.DataFrame,
               last_chase: pd.Timestamp | None = None, notes=()) -> Package:
    """The chase workbook's package: Summary, Chase list, Fixed since last chase."""
    styles = Styles(STYLES.encode())
    header = header_styles(styles)[0]
    date = styles.add("cellXfs", b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" '
                                 b'applyNumberFormat="1"/>' % styles.number_format("dd/mm/yyyy"))
    wrap = styles.add("cellXfs", b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
                                 b'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>')

    rows = [SUMMARY_TITLES, *zip(*_columns(summary, SUMMARY_COLUMNS, "oldest"))]
    totals = len(rows) + 1
    rows.append(["All", *(int(summary[c].sum()) for c in ("open", "new", "fixed"))])
    since = (f"Fixed: listed by the chase of {day(last_chase)} and no longer found." if last_chase is not None
             else "No earlier chase in the run history, so nothing is counted as fixed yet.")
    rows += [[], *([text] for text in [since, *notes])]
    summary_xml = table_sheet(rows, len(SUMMARY_TITLES), header_style=header, styles=[0, 0, 0, 0, date],
                              widths=(22, 8, 8, 22, 24), row_styles={totals: [BOLD] * 4})

    chase_styles = [0] * len(TITLES)
    chase_styles[COLUMNS.index("since")], chase_styles[COLUMNS.index("what_to_check")] = date, wrap
    chase_xml = table_sheet([TITLES, *zip(*_columns(items, COLUMNS, "since"))], len(TITLES), header_style=header,
                            styles=chase_styles, widths=(16, 12, 8, 11, 10, 60, 70, 34, 16, 7, 22, 30, 30, 16),
                            auto_filter=True, landscape=True)

    fixed_xml = table_sheet([FIXED_TITLES, *zip(*_columns(fixed, FIXED_COLUMNS, "since"))], len(FIXED_TITLES),
                            header_style=header, styles=[0, 0, 0, 0, 0, date], widths=(16, 12, 10, 60, 30, 12))
    return book_package([(SUMMARY, summary_xml), (SHEET, chase_xml), (FIXED, fixed_xml)], styles.result())
