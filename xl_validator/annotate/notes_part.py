"""A sheet's notes (comments part) and the legacy drawing that shows them, with ours added.

The analyst's own notes on other cells are kept exactly as written; a flagged cell that has
one gets a single note with theirs first, then ours (as ``marks.mark_cell`` does).
"""
from __future__ import annotations

import re
from html import unescape

from openpyxl.utils import column_index_from_string, get_column_letter

from ..sheet_text import clean
from .marks import ANALYST_NOTE_END, AUTHOR
from .package import Unsupported, q
from .sheet_xml import MAIN_NS

_COMMENT = re.compile(rb"<comment\b[^>]*?(?:/>|>.*?</comment>)", re.S)
_AUTHOR = re.compile(rb"<author\b[^>]*?(?:/>|>(.*?)</author>)", re.S)
_TEXT = re.compile(rb"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
_REF = re.compile(rb'\sref="([A-Z]{1,3})(\d+)"')
VML_HEAD = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
            b'<o:idmap v:ext="edit" data="1"/></o:shapelayout>')
VML_PREFIXES = ((b"v", b"urn:schemas-microsoft-com:vml"), (b"o", b"urn:schemas-microsoft-com:office:office"),
                (b"x", b"urn:schemas-microsoft-com:office:excel"))
NOTE_SHAPE_TYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
                   b'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
                   b'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def existing_notes(comments: bytes | None) -> dict[tuple[int, int], str]:
    """(row, column) -> the text of each note already on the sheet."""
    out = {}
    for element in _COMMENT.findall(comments or b""):
        ref = _REF.search(element)
        if ref:
            key = (int(ref.group(2)), column_index_from_string(ref.group(1).decode()))
            out[key] = "".join(unescape(t.decode("utf-8")) for t in _TEXT.findall(element) if t)
    return out


def note_size(text: str) -> tuple[int, int]:
    """Width and height of a note's box, as the openpyxl writer sizes it."""
    return 320, min(60 + 40 * text.count("\n"), 400)


def comments_part(comments: bytes | None, ours: dict[tuple[int, int], str]) -> bytes:
    """The comments part with ``ours`` (cell -> full note text) written over or beside theirs."""
    kept, authors = [], []
    if comments:
        if not re.search(rb"<comments\b[^>]*xmlns=\"%s\"" % MAIN_NS.encode(), comments):
            raise Unsupported("a comments part with a prefixed namespace")
        authors = [unescape((a or b"").decode("utf-8")) for a in _AUTHOR.findall(comments)]
        for element in _COMMENT.findall(comments):
            ref = _REF.search(element)
            if not ref or (int(ref.group(2)), column_index_from_string(ref.group(1).decode())) not in ours:
                kept.append(element)
    if AUTHOR not in authors:
        authors.append(AUTHOR)
    me = authors.index(AUTHOR)
    new = [f'<comment ref="{get_column_letter(c)}{r}" authorId="{me}"><text><t xml:space="preserve">'
           f'{q(clean(text))}</t></text></comment>'.encode() for (r, c), text in ours.items()]
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="%s"><authors>%s</authors>'
            b"<commentList>%s</commentList></comments>"
            % (MAIN_NS.encode(), b"".join(f"<author>{q(a)}</author>".encode() for a in authors),
               b"".join(kept) + b"".join(new)))


def drawing_part(vml: bytes | None, cells: dict[tuple[int, int], str]) -> bytes:
    """The legacy drawing with a hidden note box for each cell in ``cells`` (cell -> text, for
    its size); other shapes in it (the analyst's notes, buttons) are kept."""
    if vml is None:
        vml = VML_HEAD + NOTE_SHAPE_TYPE + b"</xml>"
    else:
        vml = _with_our_prefixes(vml)
        if b"_x0000_t202" not in vml:
            vml = _before_end(vml, NOTE_SHAPE_TYPE)
    used = [int(n) for n in re.findall(rb"_x0000_s(\d+)", vml)]
    first = max(used + [1025]) + 1
    shapes = []
    for i, ((r, c), text) in enumerate(cells.items()):
        width, height = note_size(text)
        shapes.append(
            b'<v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;'
            b'margin-top:1.5pt;width:%dpx;height:%dpx;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
            b'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
            b'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/>'
            b'</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            b"<x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column></x:ClientData></v:shape>"
            % (first + i, width, height, r - 1, c - 1))
    return _before_end(vml, b"".join(shapes))


def _with_our_prefixes(vml: bytes) -> bytes:
    """The drawing with the v, o and x prefixes our shapes use declared on its root (a drawing
    openpyxl wrote names them ns0, ns1...; a second name for a namespace is allowed)."""
    root = re.search(rb"<xml\b[^>]*>", vml)
    if root is None:
        raise Unsupported("a legacy drawing that is not VML as Excel writes it")
    missing = b"".join(b' xmlns:%s="%s"' % (prefix, uri) for prefix, uri in VML_PREFIXES
                       if not re.search(rb"\sxmlns:%s=" % prefix, root.group(0)))
    return vml[:root.start() + 4] + missing + vml[root.start() + 4:] if missing else vml


def _before_end(vml: bytes, content: bytes) -> bytes:
    at = vml.rfind(b"</xml>")
    if at < 0:
        raise Unsupported("a legacy drawing that is not VML as Excel writes it")
    return vml[:at] + content + vml[at:]


def with_analysts_note(own: str | None, ours: str) -> str:
    return ours if own is None else f"{own}{ANALYST_NOTE_END}{ours}"

