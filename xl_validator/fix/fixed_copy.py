"""The fixed copy of a workbook written part by part, as the annotated copy is: the new values go
into the changed rows of their sheets, the 'Fix log' and the hidden 'Fix marks' sheet are added,
and every other part of the return is copied byte for byte (openpyxl neither loads nor saves it).

What this reads from a cell (value, type, fill, note) is what ``openpyxl.load_workbook`` gives,
parsed by openpyxl's own cell, stylesheet and comment readers, so it decides as the openpyxl
route does. A package shape it does not handle raises ``Unsupported``: the caller then takes
the openpyxl route.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
from openpyxl.cell.text import Text
from openpyxl.comments.comment_sheet import CommentSheet
from openpyxl.compat import safe_string
from openpyxl.styles import PatternFill
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, to_excel
from openpyxl.worksheet._reader import WorkSheetParser  # reads one <c> element as load_workbook does
from openpyxl.xml.functions import fromstring, tostring

from ..annotate.graft import Graft
from ..annotate.locate import flagged_cells
from ..annotate.marked_copy import checked_before
from ..annotate.package import COMMENTS_TYPE, STYLES_TYPE, Package, Unsupported
from ..annotate.sheet_part import cells_at, merged_top_left, rewrite_cells, sheet_data
from ..annotate.sheet_xml import MAIN_NS, cell_xml, table_sheet
from ..read.table import cell_text
from ..report import Report
from .log import LOG_HEADER, LOG_SHEET, LOG_WIDTHS, MARKS_HEADER, MARKS_SHEET, log_rows

SHARED_STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
DATE_FORMAT = "dd/mm/yyyy"
LOGGED_AS_IS = (str, int, float, bool, type(None))  # an old value of another type takes the openpyxl route
_SI = re.compile(rb"<si\b[^>]*?(?:/>|>.*?</si>)", re.S)
_DATE1904 = re.compile(rb'<workbookPr\b[^>]*?\sdate1904="(?:1|true)"')
_WORKSHEET = re.compile(rb'<worksheet\b[^>]*?\sxmlns="%s"' % MAIN_NS.encode())
_TYPE = re.compile(rb'\st="(\w+)"')
_STYLE = re.compile(rb'\ss="(\d+)"')
# A cell or shared string whose text has no markup, entity or carriage return: its bytes are its text.
_PLAIN_STRING = re.compile(rb'<c\b([^>]*)>(?:<is><t(?: xml:space="preserve")?>([^<&\r]*)</t></is>|<v>(\d+)</v>)</c>')
_PLAIN_ITEM = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<&\r]*)</t></si>')
_SHARED_FORMULA = re.compile(rb'<f\b[^>]*?\bt="shared"')
_FORMULA_INDEX = re.compile(rb'<f\b[^>]*?\bsi="(\d+)"')


class FixedCopy:
    """A return's workbook package, its cells read as openpyxl reads them, and the edit that makes
    it the fixed copy."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.parts = {a["name"]: part for _, a, part in pkg.sheets()}
        book = pkg.workbook_part()
        styles = pkg.related(book, STYLES_TYPE)
        if not styles or styles[0] not in pkg.parts:
            raise Unsupported("a workbook without a stylesheet")
        stylesheet = Stylesheet.from_tree(fromstring(pkg.parts[styles[0]]))
        if not stylesheet.cell_styles:
            raise Unsupported("a stylesheet without cell formats")
        self.cell_styles, self.fills = stylesheet.cell_styles, stylesheet.fills
        self.date_styles = stylesheet.date_formats
        self.epoch = CALENDAR_MAC_1904 if _DATE1904.search(pkg.text(book)) else WINDOWS_EPOCH
        overrides, _ = pkg.content_types()
        strings = next((pkg.parts.get(n, b"") for n, ct in overrides.items() if ct == SHARED_STRINGS_CT), b"")
        self.parser = WorkSheetParser(None, _SharedStrings(strings), data_only=False, epoch=self.epoch,
                                      date_formats=stylesheet.date_formats,
                                      timedelta_formats=stylesheet.timedelta_formats)
        self._merged: dict[str, dict] = {}
        self._fills: dict[tuple, str] = {}

    @classmethod
    def read(cls, source) -> FixedCopy:
        """The package of ``source``; ``Unsupported`` for a copy checked or fixed before (the
        openpyxl route cleans the one and appends to the other's log)."""
        pkg = Package.read(source)
        if checked_before(pkg) or {LOG_SHEET, MARKS_SHEET} & {a.get("name") for _, a, _ in pkg.sheets()}:
            raise Unsupported("a copy checked or fixed before")
        return cls(pkg)

    # reading cells

    def sheet_xml(self, sheet: str) -> bytes:
        part = self.parts.get(sheet)
        xml = self.pkg.parts.get(part or "")
        if xml is None or not _WORKSHEET.search(xml[:4096]):
            raise Unsupported(f"sheet {sheet!r} is not a plain worksheet part")
        return xml

    def merged(self, sheet: str) -> dict:
        if sheet not in self._merged:
            self._merged[sheet] = merged_top_left(self.sheet_xml(sheet))
        return self._merged[sheet]

    def _cell(self, element: bytes | None, xml: bytes) -> tuple:
        """(value, data type) of a <c> element as openpyxl gives them; a missing cell is empty."""
        if element is None:
            return None, "n"
        plain = _PLAIN_STRING.fullmatch(element)  # most cells to fix: text with nothing XML would change
        if plain is not None:
            kind = _TYPE.search(plain.group(1))
            if kind is not None and kind.group(1) == b"inlineStr" and plain.group(2) is not None:
                return plain.group(2).decode("utf-8"), "s"
            if kind is not None and kind.group(1) == b"s" and plain.group(3) is not None:
                return self.parser.shared_strings[int(plain.group(3))], "s"
        if _SHARED_FORMULA.search(element):
            self._learn_shared_formula(element, xml)
        try:
            cell = self.parser.parse_cell(fromstring(b'<c xmlns="%s"' % MAIN_NS.encode() + element[2:]))
        except Exception as e:  # an element this reading cannot take alone (a prefix declared above it)
            raise Unsupported(f"a cell openpyxl's cell reader does not take alone ({e})") from None
        return cell["value"], cell["data_type"]

    def _learn_shared_formula(self, element: bytes, xml: bytes) -> None:
        """A cell sharing a formula shows it as moved from the first cell of the group, so that
        cell is read first (as the whole-sheet reader meets it first)."""
        index = _FORMULA_INDEX.search(element)
        if index is None or index.group(1).decode() in self.parser.shared_formulae:
            return
        tag = b'si="%s"' % index.group(1)
        start, end = sheet_data(xml)
        for m in re.finditer(rb"<c\b[^>]*?(?:/>|>.*?</c>)", xml[start:end], re.S):
            if tag in m.group(0) and _SHARED_FORMULA.search(m.group(0)):
                self.parser.parse_cell(fromstring(b'<c xmlns="%s"' % MAIN_NS.encode() + m.group(0)[2:]))
                if index.group(1).decode() in self.parser.shared_formulae:
                    return

    def values(self, found: pd.DataFrame) -> list[tuple]:
        """(value, data type) of each change's cell now, as openpyxl reads it (a cell inside a
        merged range other than its first is empty)."""
        out: list[tuple] = [(None, "n")] * len(found)
        at = [coordinate_to_tuple(c.rsplit("!", 1)[1]) for c in found["cell"]]
        for sheet, positions in pd.Series(range(len(found))).groupby(found["sheet"].to_numpy()).groups.items():
            xml, merged = self.sheet_xml(sheet), self.merged(sheet)
            self.parser.shared_formulae = {}
            wanted: dict[int, set[int]] = {}
            for i in positions:
                wanted.setdefault(at[i][0], set()).add(at[i][1])
            elements = cells_at(xml, wanted)
            for i in positions:
                if at[i] not in merged:
                    out[i] = self._cell(elements.get(at[i]), xml)
        return out

    def check(self, found: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list]:
        """Keep the changes whose cell still holds the value read (a formula is never overwritten),
        as ``apply._check_cells`` does on a loaded workbook."""
        keep, notes, old_values = [], [], []
        for i, (ch, (value, kind)) in enumerate(zip(found.itertuples(index=False), self.values(found))):
            if kind == "f":
                notes.append(f"{ch.cell}: holds a formula ({value}); not changed")
            elif cell_text(value) != ch.old:
                notes.append(f"{ch.cell}: holds {value!r}, not the {ch.old!r} read; not changed")
            else:
                keep.append(i)
                old_values.append(value)
        if not all(isinstance(v, LOGGED_AS_IS) for v in old_values):
            raise Unsupported("a date or time to log as an old value")
        return found.iloc[keep].reset_index(drop=True), notes, old_values

    def holds_dates(self, sheet: str, letter: str) -> bool:
        """Whether any cell of the column holds a real date (a number in a date format)."""
        xml, merged = self.sheet_xml(sheet), self.merged(sheet)
        col = coordinate_to_tuple(f"{letter}1")[1]
        start, end = sheet_data(xml)
        for m in re.finditer(rb'<c\b[^>]*?\sr="%s(\d+)"[^>]*?(?:/>|>.*?</c>)' % letter.encode(), xml[start:end], re.S):
            element = m.group(0)
            head = element[:element.index(b">")]
            kind, style = _TYPE.search(head), _STYLE.search(head)
            kind = kind.group(1) if kind else b"n"
            if b"<f" in element or kind not in (b"n", b"d") or (int(m.group(1)), col) in merged:
                continue
            if kind == b"n" and (b"<v" not in element or (int(style.group(1)) if style else 0) not in self.date_styles):
                continue
            if isinstance(self._cell(element, xml)[0], (datetime, date)):
                return True
        return False

    # the fill and note each marked cell had

    def marks_before(self, report: Report, dated: set) -> list[list]:
        """The 'Fix marks' rows: each cell the copy will fill or note (a merged range's first cell),
        with its fill and note before, as ``apply._record_marks`` takes them from a loaded workbook.
        ``dated``: (sheet, row, column) of the cells given a date format by the fix."""
        cells = flagged_cells(report.findings, report.tables).drop_duplicates(["sheet", "row", "col"])
        places = []
        for sheet, row, col in zip(cells["sheet"], cells["row"].astype(int), cells["col"].astype(int)):
            if sheet in self.parts:
                places.append((sheet, *self.merged(sheet).get((row, col), (row, col))))
        elements, notes = {}, {}
        for sheet in dict.fromkeys(s for s, _, _ in places):
            wanted: dict[int, set[int]] = {}
            for s, r, c in places:
                if s == sheet:
                    wanted.setdefault(r, set()).add(c)
            elements[sheet] = cells_at(self.sheet_xml(sheet), wanted)
            notes[sheet] = self.notes(sheet)
        rows, seen = [], set()
        for sheet, r, c in places:
            coordinate = f"{get_column_letter(c)}{r}"
            if (sheet, coordinate) in seen:
                continue
            seen.add((sheet, coordinate))
            note = notes[sheet].get((r, c))
            rows.append([sheet, coordinate, self._fill(elements[sheet].get((r, c)), (sheet, r, c) in dated),
                         note[0] if note else None, note[1] if note else None])
        return rows

    def _fill(self, element: bytes | None, dated: bool) -> str:
        """A cell's fill as openpyxl writes it, or '' for a cell with no style or no fill."""
        index = None
        if element is not None:
            s = _STYLE.search(element[:element.index(b">")])
            index = int(s.group(1)) if s else 0
        if (index, dated) not in self._fills:
            self._fills[index, dated] = self._fill_of(index, dated)
        return self._fills[index, dated]

    def _fill_of(self, index: int | None, dated: bool) -> str:
        """For a cell in format ``index`` (None: a cell the sheet does not have, so no format)."""
        try:
            style = self.cell_styles[index] if index is not None else None
        except IndexError:
            raise Unsupported("a cell format the stylesheet does not have") from None
        fill = self.fills[style.fillId if style is not None else 0]
        has_style = dated or (style is not None and any(style))
        return tostring(fill.to_tree()).decode() if has_style and fill != PatternFill() else ""

    def notes(self, sheet: str) -> dict[tuple[int, int], tuple[str, str]]:
        """(row, column) -> (text, author) of each note on the sheet."""
        out = {}
        for part in self.pkg.related(self.parts[sheet], COMMENTS_TYPE):
            if part in self.pkg.parts:
                for ref, comment in CommentSheet.from_tree(fromstring(self.pkg.parts[part])).comments:
                    out[coordinate_to_tuple(ref)] = (comment.text, comment.author)
        return out

    # writing the copy

    def edit(self, found: pd.DataFrame, values: list, old_values: list, report: Report) -> Callable[[Graft], None]:
        """What ``annotate.write_edited`` does to the copy before marking it: the new values written,
        the log and the marks record added after the return's own sheets."""
        def edit(copy: Graft) -> None:
            at = [(ch.sheet, *coordinate_to_tuple(ch.cell.rsplit("!", 1)[1])) for ch in found.itertuples(index=False)]
            dated = {place for place, value in zip(at, values) if isinstance(value, datetime)}
            marks = self.marks_before(report, dated)  # read before the values change the sheets
            self._write_values(copy, dict(zip(at, values)))
            copy.append_own(LOG_SHEET, table_sheet([LOG_HEADER, *log_rows(found, old_values)], len(LOG_HEADER),
                                                   widths=LOG_WIDTHS, auto_filter=True))
            copy.append_own(MARKS_SHEET, table_sheet([MARKS_HEADER, *marks], len(MARKS_HEADER), freeze=False),
                            hidden=True)
        return edit

    def _write_values(self, copy: Graft, new: dict[tuple[str, int, int], object]) -> None:
        """Each new value into its cell, keeping the cell's format: text as an inline string (a
        leading '=' stays text), a date as its serial number in the cell's format shown dd/mm/yyyy."""
        date_format, date_style = None, {}
        for sheet in dict.fromkeys(s for s, _, _ in new):
            wanted: dict[int, list[int]] = {}
            for s, r, c in new:
                if s == sheet:
                    wanted.setdefault(r, []).append(c)

            def rewrite(row: int, col: int, cell: re.Match | None, sheet=sheet) -> bytes:
                nonlocal date_format
                value, ref = new[(sheet, row, col)], f"{get_column_letter(col)}{row}"
                s = _STYLE.search(cell.group(1)) if cell is not None else None
                style = int(s.group(1)) if s else 0
                if not isinstance(value, datetime):
                    return cell_xml(ref, None if value == "" else value, style).encode()
                if style not in date_style:
                    date_format = date_format or copy.styles.number_format(DATE_FORMAT)
                    date_style[style] = copy.styles.with_number_format(style, date_format)
                return b'<c r="%s" s="%d"><v>%s</v></c>' % (ref.encode(), date_style[style],
                                                            safe_string(to_excel(value, self.epoch)).encode())

            part = self.parts[sheet]
            copy.pkg.parts[part] = rewrite_cells(self.sheet_xml(sheet), wanted, rewrite)
            copy.changed.add(part)


class _SharedStrings:
    """The workbook's shared strings, each parsed (as openpyxl's string table reads it) when asked for."""

    def __init__(self, xml: bytes):
        self.items = _SI.findall(xml)
        self.parsed: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        if i not in self.parsed:
            plain = _PLAIN_ITEM.fullmatch(self.items[i]) if 0 <= i < len(self.items) else None
            if plain is not None:
                self.parsed[i] = plain.group(1).decode("utf-8").replace("x005F_", "")
                return self.parsed[i]
            try:
                node = fromstring(b'<si xmlns="%s"' % MAIN_NS.encode() + self.items[i][3:])
            except Exception as e:  # an index past the table, or markup this reading cannot take alone
                raise Unsupported(f"shared string {i} cannot be read alone ({e})") from None
            self.parsed[i] = Text.from_tree(node).content.replace("x005F_", "")
        return self.parsed[i]
