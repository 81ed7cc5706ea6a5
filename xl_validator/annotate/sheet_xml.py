"""Worksheet XML for the long tables the tool writes (Errors, the marks record, a CSV return's
tables), written directly: openpyxl takes about 30 microseconds a cell, this a few.

Every value from a return is written as text (an inline string): a leading '=' never makes a
formula, and control characters are escaped as ``sheet_text.clean`` does.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from openpyxl.utils import get_column_letter

from ..read.table import EXCEL_MAX_CHARS
from ..sheet_text import clean
from .package import REL_NS, q

_SPECIAL = re.compile(r'[&<>"\x00-\x08\x0b\x0c\x0e-\x1f]')
_SPACE = " \t\n\r"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _text(value: str) -> str:
    """A string as the text of an XML element (most need no change at all)."""
    if _SPECIAL.search(value) or len(value) > EXCEL_MAX_CHARS:
        return q(clean(value))
    return value


def _cell(ref: str, value, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if value is None or (isinstance(value, str) and not value):
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, str):
        text = _text(value)
        space = ' xml:space="preserve"' if text[0] in _SPACE or text[-1] in _SPACE else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float) and not math.isfinite(value):
        return f'<c r="{ref}"{s}/>' if style else ""
    try:
        return f'<c r="{ref}"{s}><v>{value + 0}</v></c>'  # ints and floats, numpy's too
    except TypeError:
        return _cell(ref, str(value), style)


def table_sheet(rows: Iterable[Sequence], columns: int, header_style: int = 0, styles: Sequence[int] = (),
                widths: Sequence[float] = (), links: dict[int, tuple[int, str, int]] | None = None,
                auto_filter: bool = False, print_wide: bool = False, landscape: bool = False,
                row_styles: dict[int, Sequence[int]] | None = None) -> bytes:
    """A sheet of a header row then data rows, frozen below the header.

    ``styles``: a cell format per column for the data rows; ``links``: data row number (1-based,
    as in the sheet) -> (column, place in the workbook, style) of a link to another cell;
    ``row_styles``: row number -> a cell format per column for that row instead of ``styles``
    (a totals row, say). ``print_wide`` prints landscape one page wide, ``landscape`` only turns it."""
    letters = [get_column_letter(i) for i in range(1, columns + 1)]
    styles = list(styles) + [0] * (columns - len(styles))
    attr = [f' s="{s}"' if s else "" for s in styles]
    links, row_styles = links or {}, row_styles or {}
    tails: list[dict[str, str]] = [{} for _ in range(columns)]  # per column: text -> the cell's XML after its reference
    out, n = [], 0
    for n, values in enumerate(rows, start=1):
        cells = []
        if n in row_styles:
            own = row_styles[n]
            cells = [_cell(f"{letters[col]}{n}", value, own[col]) for col, value in enumerate(values)]
            out.append(f'<row r="{n}">{"".join(cells)}</row>')
            continue
        link = links.get(n)
        for col, value in enumerate(values):
            if n == 1 or link is not None and link[0] == col + 1:
                cells.append(_cell(f"{letters[col]}{n}", value, header_style if n == 1 else link[2]))
            elif type(value) is str and value:  # the common cases kept inline: most cells are text, repeated
                tail = tails[col].get(value)
                if tail is None:
                    text = _text(value)
                    space = ' xml:space="preserve"' if text[0] in _SPACE or text[-1] in _SPACE else ""
                    tail = tails[col][value] = f'{attr[col]} t="inlineStr"><is><t{space}>{text}</t></is></c>'
                cells.append(f'<c r="{letters[col]}{n}"{tail}')
            elif type(value) is int:
                cells.append(f'<c r="{letters[col]}{n}"{attr[col]}><v>{value}</v></c>')
            elif value is None and not attr[col]:
                continue
            else:
                cells.append(_cell(f"{letters[col]}{n}", value, styles[col]))
        out.append(f'<row r="{n}">{"".join(cells)}</row>')
    last = f"{letters[-1]}{max(n, 1)}"
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
    if print_wide:
        parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    parts.append(f'<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
                 '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                 '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                 '<sheetFormatPr defaultRowHeight="15"/>')
    if widths:
        parts.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                        for i, w in enumerate(widths, start=1)) + "</cols>")
    parts.append("<sheetData>" + "".join(out) + "</sheetData>")
    if auto_filter:
        parts.append(f'<autoFilter ref="A1:{letters[-1]}{max(n, 2)}"/>')
    if links:
        parts.append("<hyperlinks>" + "".join(f'<hyperlink ref="{letters[c - 1]}{r}" location="{q(place)}"/>'
                                              for r, (c, place, _) in links.items()) + "</hyperlinks>")
    parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>')
    if print_wide or landscape:
        fit = ' fitToWidth="1" fitToHeight="0"' if print_wide else ""
        parts.append(f'<pageSetup orientation="landscape"{fit}/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


def header_styles(styles) -> tuple[int, int, int]:
    """Cell formats for the tool's tables, added to ``styles``: (header: bold white on dark blue,
    a link, a centred number)."""
    white = styles.add("fonts", b'<font><b/><sz val="11"/><color rgb="00FFFFFF"/><name val="Calibri"/>'
                                b'<family val="2"/></font>')
    blue = styles.add("fills", b'<fill><patternFill patternType="solid"><fgColor rgb="001F4E78"/>'
                               b'<bgColor rgb="001F4E78"/></patternFill></fill>')
    link = styles.add("fonts", b'<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/>'
                               b'<family val="2"/></font>')
    return (styles.add("cellXfs", b'<xf numFmtId="0" fontId="%d" fillId="%d" borderId="0" xfId="0" applyFont="1" '
                                  b'applyFill="1"/>' % (white, blue)),
            styles.add("cellXfs", b'<xf numFmtId="0" fontId="%d" fillId="0" borderId="0" xfId="0" '
                                  b'applyFont="1"/>' % link),
            styles.add("cellXfs", b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
                                  b'applyAlignment="1"><alignment horizontal="center"/></xf>'))
