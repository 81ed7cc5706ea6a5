"""Carry sheets built in memory (with their drawings and charts) into a copy of the workbook.

The Summary, Rules and any extra sheets are made with openpyxl in a workbook of their own;
its saved package is grafted into the copy: each sheet and the parts it refers to are copied
under free names, their styles appended to the copy's stylesheet, and the workbook part lists
the sheets in the order of the built workbook with the copy's own sheets where ``anchor`` is.
"""
from __future__ import annotations

import posixpath
import re

from .package import (REL_NS, SHEET_CT, SHEET_TYPE, STYLES_TYPE, Package, Unsupported, q, relationship_attr,
                      rels_path, resolve)
from .styles_part import Styles

_CELL_OR_ROW_STYLE = re.compile(rb'(<(?:c|row)\b[^>]*?\s)s="(\d+)"')
_COL_STYLE = re.compile(rb'(<col\b[^>]*?\s)style="(\d+)"')
_DXF = re.compile(rb'(\s)dxfId="(\d+)"')
_SHARED = re.compile(rb'<c\b([^>]*?)\st="s"([^>]*)>\s*<v>(\d+)</v>\s*</c>')
_DEFINED = re.compile(rb"<definedName\b[^>]*>.*?</definedName>", re.S)
_LOCAL = re.compile(rb'localSheetId="(\d+)"')


class Graft:
    """The copy being assembled: ``add_sheet`` and ``graft`` collect sheets, ``finish`` writes
    the workbook part, its relationships and the stylesheet."""

    def __init__(self, target: Package):
        self.pkg = target
        self.book = target.workbook_part()
        self.styles_name = next(iter(target.related(self.book, STYLES_TYPE)), None)
        if self.styles_name is None or self.styles_name not in target.parts:
            raise Unsupported("a workbook without a stylesheet")
        self.styles = Styles(target.parts[self.styles_name])
        self.originals = target.sheets()
        self.new: dict[str, tuple[bytes, str]] = {}  # sheet name -> (<sheet/> tag, part)
        self.names: list[bytes] = []  # defined names of the added sheets, localSheetId = builder position
        self.changed: set[str] = set()
        self._ids = max([int(a.get("sheetId", 0)) for _, a, _ in self.originals] + [0])

    def write(self, path) -> None:
        self.pkg.write(path, self.changed)

    def add_sheet(self, name: str, xml: bytes, hidden: bool = False) -> str:
        """A sheet written directly (its styles already the copy's); returns its part name."""
        part = self.pkg.free_name("xl/worksheets/sheet1.xml")
        self.pkg.parts[part] = xml
        self.pkg.declare(part, SHEET_CT)
        rid = self.pkg.relate(self.book, SHEET_TYPE, part)
        self._ids += 1
        state = ' state="hidden"' if hidden else ""
        self.new[name] = (self._sheet_tag(name, state, rid), part)
        self.changed.add(part)
        return part

    def append_own(self, name: str, xml: bytes, hidden: bool = False) -> None:
        """A sheet written directly that joins the copy's own sheets, after the last of them
        (as the 'Fix log' a fix run adds to the return)."""
        part = self.add_sheet(name, xml, hidden)
        tag, _ = self.new.pop(name)
        self.originals.append((tag, {"name": name}, part))

    def graft(self, built: Package, replace: dict[str, bytes]) -> list[str]:
        """Copy every sheet of ``built`` (a workbook saved by openpyxl) into the copy; the sheets
        named in ``replace`` take the given XML instead of theirs. Returns the built workbook's
        sheet names in order."""
        xf_map, first_dxf = self.styles.merge(built.text(built.related(built.workbook_part(), STYLES_TYPE)[0]))
        overrides, defaults = built.content_types()
        copied: dict[str, str] = {}
        order = []
        for tag, a, part in built.sheets():
            name = a["name"]
            order.append(name)
            if name in replace:
                self.add_sheet(name, replace[name], a.get("state") == "hidden")
                continue
            xml = _restyled(_inline_strings(built, built.text(part)), xf_map, first_dxf)
            built.parts[part] = xml
            new_part = self._copy(built, part, copied, overrides, defaults)
            rid = self.pkg.relate(self.book, SHEET_TYPE, new_part)
            self._ids += 1
            state = ' state="hidden"' if a.get("state") == "hidden" else ""
            self.new[name] = (self._sheet_tag(name, state, rid), new_part)
        self.names = _DEFINED.findall(built.text(built.workbook_part()))
        return order

    def _sheet_tag(self, name: str, state: str, rid: str) -> bytes:
        return (f'<sheet name="{q(name)}" sheetId="{self._ids}"{state} '.encode()
                + relationship_attr(self.pkg.parts[self.book], rid) + b"/>")

    def _copy(self, built: Package, part: str, copied: dict, overrides: dict, defaults: dict) -> str:
        """Copy one part of the built workbook, and what it refers to, under free names."""
        if part in copied:
            return copied[part]
        new = self.pkg.free_name(part)
        copied[part] = new
        self.pkg.parts[new] = built.parts[part]
        self.changed.add(new)
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        if part in overrides:
            self.pkg.declare(new, overrides[part])
        elif ext in defaults:
            self.pkg.declare_default(ext, defaults[ext])
        rels = []
        for r in built.relationships(part):
            target = r["Target"]
            if r.get("TargetMode") != "External":
                target = posixpath.relpath(self._copy(built, resolve(part, target), copied, overrides, defaults),
                                           posixpath.dirname(new))
            mode = ' TargetMode="External"' if r.get("TargetMode") == "External" else ""
            rels.append(f'<Relationship Id="{q(r["Id"])}" Type="{q(r["Type"])}" Target="{q(target)}"{mode}/>')
        if rels:
            self.pkg.parts[rels_path(new)] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships">' + "".join(rels) + "</Relationships>").encode()
        return new

    def finish(self, order: list[str], anchor: str, active: str) -> None:
        """Write the workbook part: the sheets in ``order`` with the copy's own after ``anchor``,
        ``active`` the tab it opens on, defined names moved with their sheets."""
        final: list[tuple[bytes, str | None]] = []  # (<sheet/> tag, name of an added sheet)
        for name in order:
            final.append((self.new[name][0], name))
            if name == anchor:
                final += [(tag, None) for tag, _, _ in self.originals]
        position_of_original = [i for i, (_, name) in enumerate(final) if name is None]
        position_of_built = {name: i for i, (_, name) in enumerate(final) if name is not None}
        data = self.pkg.text(self.book)
        m = re.search(rb"<sheets\b[^>]*?(?:/>|>.*?</sheets>)", data, re.S)
        if m is None:
            raise Unsupported("workbook.xml without <sheets>")
        data = data[:m.start()] + b"<sheets>" + b"".join(tag for tag, _ in final) + b"</sheets>" + data[m.end():]
        data = _move_names(data, position_of_original)
        built_names = [_LOCAL.sub(lambda x: b'localSheetId="%d"' % position_of_built[order[int(x.group(1))]], n)
                       for n in self.names]
        data = _add_names(data, built_names)
        self.pkg.parts[self.book] = _active_tab(data, position_of_built[active])
        self.pkg.parts[self.styles_name] = self.styles.result()
        self.changed |= {self.book, self.styles_name}


def _restyled(xml: bytes, xf_map: list[int], first_dxf: int) -> bytes:
    xml = _CELL_OR_ROW_STYLE.sub(lambda m: m.group(1) + b's="%d"' % xf_map[int(m.group(2))], xml)
    xml = _COL_STYLE.sub(lambda m: m.group(1) + b'style="%d"' % xf_map[int(m.group(2))], xml)
    return _DXF.sub(lambda m: m.group(1) + b'dxfId="%d"' % (first_dxf + int(m.group(2))), xml)


def _inline_strings(built: Package, xml: bytes) -> bytes:
    """Cells that point into the built workbook's shared strings hold their text themselves."""
    if b't="s"' not in xml:
        return xml
    shared = built.related(built.workbook_part(), REL_NS + "/sharedStrings")
    items = re.findall(rb"<si>(.*?)</si>", built.text(shared[0]), re.S) if shared else []
    return _SHARED.sub(lambda m: b'<c%s t="inlineStr"%s><is>%s</is></c>' % (m.group(1), m.group(2),
                                                                          items[int(m.group(3))]), xml)


def _move_names(data: bytes, position_of_original: list[int]) -> bytes:
    """Names local to one of the copy's sheets follow the sheet to its new position."""
    m = re.search(rb"<definedNames\b.*?</definedNames>", data, re.S)
    if m is None:
        return data
    block = _LOCAL.sub(lambda x: b'localSheetId="%d"' % position_of_original[int(x.group(1))], m.group(0))
    return data[:m.start()] + block + data[m.end():]


def _add_names(data: bytes, names: list[bytes]) -> bytes:
    if not names:
        return data
    m = re.search(rb"<definedNames\b[^>]*?(/?)>", data)
    if m is not None and not m.group(1):
        at = data.index(b"</definedNames>", m.end())
        return data[:at] + b"".join(names) + data[at:]
    block = b"<definedNames>" + b"".join(names) + b"</definedNames>"
    if m is not None:
        return data[:m.start()] + block + data[m.end():]
    at = max(data.find(end) + len(end) if end in data else -1
             for end in (b"</sheets>", b"</functionGroups>", b"</externalReferences>"))
    return data[:at] + block + data[at:]


def _active_tab(data: bytes, index: int) -> bytes:
    m = re.search(rb"<workbookView\b[^>]*?/?>", data)
    if m is None:
        at = data.index(b"<sheets>")
        return data[:at] + b'<bookViews><workbookView activeTab="%d"/></bookViews>' % index + data[at:]
    tag = m.group(0)
    for key, value in ((b"activeTab", b"%d" % index), (b"firstSheet", b"0")):
        if re.search(rb"\s%s=" % key, tag):
            tag = re.sub(rb'(\s%s=)"[^"]*"' % key, rb'\1"' + value + b'"', tag)
        elif key == b"activeTab":
            tag = b'<workbookView activeTab="%s"' % value + tag[len(b"<workbookView"):]
    return data[:m.start()] + tag + data[m.end():]

