"""The copy's xl/styles.xml: the workbook's own styles kept as they are, ours appended.

Cells refer to styles by position, so nothing already there moves: new fonts, fills, borders,
number formats and cell formats go at the end of their lists and the cells we add or mark
point at them.
"""
from __future__ import annotations

import re

from .marks import NO_FILL, UNKNOWN_FILL
from .package import Unsupported, attrs, q

# The lists of a stylesheet in the order the schema wants them, with the tag of one item.
SECTIONS = (("numFmts", "numFmt"), ("fonts", "font"), ("fills", "fill"), ("borders", "border"),
            ("cellStyleXfs", "xf"), ("cellXfs", "xf"), ("cellStyles", "cellStyle"), ("dxfs", "dxf"),
            ("tableStyles", None), ("colors", None), ("extLst", None))
FIRST_CUSTOM_FORMAT = 164  # number formats below this are Excel's built-in ones
DEFAULT_XF = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'


def _section(xml: bytes, name: str) -> re.Match | None:
    return re.search(rb"<%s\b[^>]*?(?:/>|>(.*?)</%s>)" % (name.encode(), name.encode()), xml, re.S)


def items(xml: bytes, name: str, item: str) -> list[bytes]:
    """The items of one list of a stylesheet, as written."""
    m = _section(xml, name)
    if m is None or m.group(1) is None:
        return []
    tag = item.encode()
    return re.findall(rb"<%s\b[^>]*?(?:/>|>.*?</%s>)" % (tag, tag), m.group(1), re.S)


class Styles:
    """A stylesheet being added to; ``xml`` holds the result."""

    def __init__(self, xml: bytes):
        if not re.search(rb"<styleSheet\b", xml):
            raise Unsupported("styles.xml without a plain <styleSheet>")
        self.xml = xml
        self.added: dict[str, list[bytes]] = {name: [] for name, _ in SECTIONS}
        self.count = {name: len(items(xml, name, item)) for name, item in SECTIONS if item}
        formats = [int(a.get("numFmtId", 0)) for a in map(attrs, items(xml, "numFmts", "numFmt"))]
        self.next_format = max([FIRST_CUSTOM_FORMAT - 1, *formats]) + 1
        self.cell_xfs = items(xml, "cellXfs", "xf")
        self.fills = items(xml, "fills", "fill")
        self._fill_texts: dict[int, str] = {}

    def add(self, section: str, item: bytes) -> int:
        """Append one item to a list; returns its position."""
        self.added[section].append(item)
        self.count[section] += 1
        if section == "cellXfs":  # a format added can be the base of another (a fixed date then marked)
            self.cell_xfs.append(item)
        return self.count[section] - 1

    def number_format(self, code: str) -> int:
        fid = self.next_format
        self.next_format += 1
        self.add("numFmts", f'<numFmt numFmtId="{fid}" formatCode="{q(code)}"/>'.encode())
        return fid

    def fill_text(self, xf: int) -> str:
        """The fill of cells in format ``xf`` as the marks record keeps it (see ``marks.fill_text``)."""
        if xf not in self._fill_texts:
            self._fill_texts[xf] = self._fill_text(xf)
        return self._fill_texts[xf]

    def _fill_text(self, xf: int) -> str:
        a = attrs(re.match(rb"<[^>]*>", self.cell_xfs[xf]).group(0)) if 0 <= xf < len(self.cell_xfs) else {}
        fill = int(a.get("fillId", 0))
        if fill >= len(self.fills):
            return NO_FILL
        if b"<gradientFill" in self.fills[fill]:
            return UNKNOWN_FILL
        pattern = re.search(rb'patternType="(\w+)"', self.fills[fill])
        if pattern is None or pattern.group(1) == b"none":
            return NO_FILL
        colour = re.search(rb'<fgColor\b[^>]*?\srgb="([0-9A-Fa-f]{6,8})"', self.fills[fill])
        if pattern.group(1) == b"solid" and colour:
            return "#" + colour.group(1)[-6:].decode().upper()
        return UNKNOWN_FILL

    def with_fill(self, xf: int, fill: int) -> int:
        """A cell format like the workbook's format ``xf`` with ``fill`` as its fill."""
        return self.add("cellXfs", set_attrs(self._xf(xf), fillId=str(fill), applyFill="1"))

    def with_number_format(self, xf: int, number_format: int) -> int:
        """A cell format like ``xf`` showing its number as ``number_format`` (an id)."""
        return self.add("cellXfs", set_attrs(self._xf(xf), numFmtId=str(number_format), applyNumberFormat="1"))

    def _xf(self, xf: int) -> bytes:
        return self.cell_xfs[xf] if 0 <= xf < len(self.cell_xfs) else DEFAULT_XF

    def merge(self, other: bytes) -> tuple[list[int], int]:
        """Append another stylesheet (of a workbook built in memory); returns where each of its
        cell formats now sits, and the position of its first conditional format (dxf)."""
        formats = {a["numFmtId"]: str(self.number_format(a.get("formatCode", "General")))
                   for a in map(attrs, items(other, "numFmts", "numFmt"))}
        offset = {}
        for name, item in (("fonts", "font"), ("fills", "fill"), ("borders", "border")):
            offset[name] = self.count[name]
            for it in items(other, name, item):
                self.add(name, it)
        xf_map = []
        for xf in items(other, "cellXfs", "xf"):
            a = attrs(re.match(rb"<[^>]*>", xf).group(0))
            number = a.get("numFmtId", "0")
            xf = set_attrs(xf, numFmtId=formats.get(number, number), xfId="0",
                           fontId=str(offset["fonts"] + int(a.get("fontId", 0))),
                           fillId=str(offset["fills"] + int(a.get("fillId", 0))),
                           borderId=str(offset["borders"] + int(a.get("borderId", 0))))
            xf_map.append(self.add("cellXfs", xf))
        first_dxf = self.count["dxfs"]
        for it in items(other, "dxfs", "dxf"):
            self.add("dxfs", it)
        return xf_map, first_dxf

    def result(self) -> bytes:
        xml = self.xml
        for name, item in SECTIONS:
            new = self.added.get(name)
            if not new:
                continue
            body = b"".join(new)
            m = _section(xml, name)
            count = str(self.count[name]).encode()
            if m is None:
                later = [s for s, _ in SECTIONS[SECTIONS.index((name, item)) + 1:]]
                at = min([x.start() for x in (_section(xml, s) for s in later) if x] + [xml.rindex(b"</styleSheet>")])
                xml = xml[:at] + b'<%s count="%s">' % (name.encode(), count) + body + b"</%s>" % name.encode() + xml[at:]
                continue
            start = set_attrs(re.match(rb"<[^>]*?(?=/?>)", m.group(0)).group(0) + b">", count=count.decode())
            old = m.group(1) or b""
            xml = xml[:m.start()] + start + old + body + b"</%s>" % name.encode() + xml[m.end():]
        return xml


def set_attrs(tag: bytes, **values: str) -> bytes:
    """An element (its start tag) with attributes set or replaced; the rest of it unchanged."""
    end = re.search(rb"\s*/?>", tag).start()
    head, rest = tag[:end], tag[end:]
    for key, value in values.items():
        pattern = re.compile(rb'(\s)%s="[^"]*"' % key.encode())
        new = b'%s="%s"' % (key.encode(), value.encode())
        if pattern.search(head):
            head = pattern.sub(lambda m: m.group(1) + new, head, count=1)
        else:
            head += b" " + new
    return head + rest
