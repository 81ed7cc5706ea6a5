"""Changes to a worksheet's XML made in place, row by row, without parsing the whole sheet.

Only the rows holding a flagged cell are rewritten (a new style on the cell, or a new empty
cell where the row had none); every other byte of the sheet is copied as it was.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from openpyxl.utils import column_index_from_string, get_column_letter

from .package import Unsupported, attrs, relationship_attr

_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(/>|>.*?</c>)", re.S)
_CELL_START = re.compile(rb"<c\b")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_STYLE = re.compile(rb'(\s)s="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_TAG = re.compile(rb"<(/?)([\w:]+)[^>]*?(/?)>")
# Worksheet children that come after <legacyDrawing> in the schema.
AFTER_LEGACY = {b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls", b"webPublishItems",
                b"tableParts", b"extLst"}


def sheet_data(xml: bytes) -> tuple[int, int]:
    """Where the rows of a sheet start and end in its XML."""
    m = re.search(rb"<sheetData\b[^>]*?(/?)>", xml)
    if m is None:
        raise Unsupported("a sheet without a plain <sheetData>")
    if m.group(1):
        return m.end(), m.end()
    return m.end(), xml.index(b"</sheetData>", m.end())


def merged_top_left(xml: bytes) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell inside a merged range (other than its first) -> the range's top-left cell."""
    out = {}
    for c1, r1, c2, r2 in _MERGE.findall(xml[sheet_data(xml)[1]:]):
        top = (int(r1), column_index_from_string(c1.decode()))
        for r in range(int(r1), int(r2) + 1):
            for c in range(top[1], column_index_from_string(c2.decode()) + 1):
                if (r, c) != top:
                    out[(r, c)] = top
    return out


def mark_cells(xml: bytes, wanted: dict[int, list[int]], restyle: Callable[[int], int]) -> bytes:
    """The sheet with each cell in ``wanted`` (row -> columns, 1-based) given the style
    ``restyle(row, column, its style now)``; cells and rows that do not exist yet are added in order."""
    start, end = sheet_data(xml)
    if start == end and xml[start - 2:start] == b"/>":  # <sheetData/>: open it up
        xml = xml[:start - 2] + b"></sheetData>" + xml[start:]
        start -= 1
        end = start
    pending = sorted(wanted)
    out, pos, i = [xml[:start]], start, 0
    while i < len(pending):  # straight to each flagged row, where the rows before it all say their number first
        at = xml.find(b'<row r="%d"' % pending[i], pos, end)
        m = _ROW.match(xml, at) if at >= 0 and xml.count(b"<row", pos, at) == xml.count(b'<row r="', pos, at) else None
        if m is None:
            break  # a row to add, or rows written otherwise: the scan below settles the rest
        out += [xml[pos:at], _mark_row(m, pending[i], sorted(wanted[pending[i]]), restyle)]
        pos, i = m.end(), i + 1
    for m in _ROW.finditer(xml, pos, end):
        if i == len(pending):
            break
        number = _ROW_NUMBER.search(m.group(1))
        if number is None:
            raise Unsupported("a row without its number")
        r = int(number.group(1))
        while i < len(pending) and pending[i] < r:
            out += [xml[pos:m.start()], _new_row(pending[i], wanted[pending[i]], restyle)]
            pos, i = m.start(), i + 1
        if i < len(pending) and pending[i] == r:
            out += [xml[pos:m.start()], _mark_row(m, r, sorted(wanted[r]), restyle)]
            pos, i = m.end(), i + 1
    out.append(xml[pos:end])
    out += [_new_row(r, wanted[r], restyle) for r in pending[i:]]
    out.append(xml[end:])
    return b"".join(out)


def _new_cell(row: int, col: int, restyle) -> bytes:
    return b'<c r="%s%d" s="%d"/>' % (get_column_letter(col).encode(), row, restyle(row, col, 0))


def _new_row(row: int, cols, restyle) -> bytes:
    return b'<row r="%d">%s</row>' % (row, b"".join(_new_cell(row, c, restyle) for c in sorted(cols)))


def _mark_row(m: re.Match, row: int, todo: list[int], restyle) -> bytes:
    head, body = m.group(1), m.group(2) or b""
    found = _cells_by_reference(body, row, todo)
    if found is not None:  # every flagged cell is there: restyled where it stands
        pieces, pos = [], 0
        for c, cm in zip(todo, found):
            pieces += [body[pos:cm.start()], _restyled(cm, row, c, restyle)]
            pos = cm.end()
        return b"<row" + head + b">" + b"".join(pieces) + body[pos:] + b"</row>"
    pieces, pos, j, added = [], 0, 0, False
    for cm in _CELL.finditer(body):
        ref = _CELL_REF.search(cm.group(1))
        if ref is None:
            raise Unsupported("a cell without its reference")
        c = _column(ref.group(1))
        while j < len(todo) and todo[j] < c:
            pieces += [body[pos:cm.start()], _new_cell(row, todo[j], restyle)]
            pos, j, added = cm.start(), j + 1, True
        if j < len(todo) and todo[j] == c:
            pieces += [body[pos:cm.start()], _restyled(cm, row, c, restyle)]
            pos, j = cm.end(), j + 1
        if j == len(todo):
            break
    if j < len(todo):
        if b"<extLst" in body[pos:]:
            raise Unsupported("a row with its own extension list")
        pieces.append(body[pos:])
        pos = len(body)
        pieces += [_new_cell(row, c, restyle) for c in todo[j:]]
        added = True
    pieces.append(body[pos:])
    if added:
        head = _SPANS.sub(b"", head)  # spans are a hint for readers; a stale one is worse than none
    return b"<row" + head + b">" + b"".join(pieces) + b"</row>"


def _cells_by_reference(body: bytes, row: int, todo: list[int]) -> list[re.Match] | None:
    """The flagged cells of a row found by their references, in column order, when every cell
    of the row starts with its reference; None otherwise (a cell to add, or cells written
    another way), for the cell-by-cell walk."""
    if len(_CELL_START.findall(body)) != body.count(b'<c r="'):
        return None
    found = []
    for c in todo:
        at = body.find(b'<c r="%s%d"' % (get_column_letter(c).encode(), row))
        if at < 0 or (found and at < found[-1].end()):
            return None
        found.append(_CELL.match(body, at))
    return found


def _restyled(cm: re.Match, row: int, col: int, restyle) -> bytes:
    a = cm.group(1)
    s = _STYLE.search(a)
    new = restyle(row, col, int(s.group(2)) if s else 0)
    a = _STYLE.sub(lambda x: x.group(1) + b's="%d"' % new, a, count=1) if s else a + b' s="%d"' % new
    return b"<c" + a + cm.group(2)


@lru_cache(maxsize=None)
def _column(letters: bytes) -> int:
    return column_index_from_string(letters.decode())


def unselect_tab(xml: bytes) -> bytes:
    """The sheet with its tab not selected (the copy opens on the Summary; two selected tabs
    would be grouped, and typing would change both)."""
    start = sheet_data(xml)[0]
    head = re.sub(rb'(<sheetView\b[^>]*?)\s+tabSelected="(?:1|true)"', rb"\1", xml[:start])
    return head + xml[start:] if len(head) != start else xml


def legacy_drawing_id(xml: bytes) -> str | None:
    m = re.search(rb"<legacyDrawing\b[^>]*?/>", xml[sheet_data(xml)[1]:])
    return next((v for k, v in attrs(m.group(0)).items() if k.endswith(":id")), None) if m else None


def add_legacy_drawing(xml: bytes, rid: str) -> bytes:
    """Point the sheet at its notes' drawing, in the place the schema gives <legacyDrawing>."""
    element = b"<legacyDrawing %s/>" % relationship_attr(xml, rid)
    end = sheet_data(xml)[1]
    if xml.startswith(b"</sheetData>", end):
        end += len(b"</sheetData>")
    depth, at = 0, xml.rindex(b"</")  # by default just before </worksheet>
    for m in _TAG.finditer(xml, end):
        closing, name, empty = m.groups()
        if depth == 0 and not closing and name.split(b":")[-1] in AFTER_LEGACY:
            at = m.start()
            break
        depth += -1 if closing else (0 if empty else 1)
        if depth < 0:
            break
    return xml[:at] + element + xml[at:]
