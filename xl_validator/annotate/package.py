"""An .xlsx/.xlsm package as a set of parts: read once, change a few, write the rest back byte for byte.

Only the parts the annotated copy changes are rewritten; everything else (macros, tables, pivot
caches, external links, images) is copied exactly. Shapes this module does not expect raise
``Unsupported``, and the caller writes the copy the slower way (openpyxl) instead.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from html import unescape

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = REL_NS + "/worksheet"
STYLES_TYPE = REL_NS + "/styles"
COMMENTS_TYPE = REL_NS + "/comments"
VML_TYPE = REL_NS + "/vmlDrawing"
EXTERNAL_LINK_TYPE = REL_NS + "/externalLink"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"

_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*?/?>")
_SHEET = re.compile(rb"<sheet\b[^>]*?/>")


class Unsupported(Exception):
    """A package this writer does not handle part by part (the caller falls back to openpyxl)."""


def attrs(tag: bytes) -> dict[str, str]:
    """The attributes of one start tag, unescaped."""
    return {k: unescape(v) for k, v in _ATTR.findall(tag.decode("utf-8"))}


def q(text) -> str:
    """Text for an XML attribute value or element (xml.sax.saxutils would load urllib, http and email)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def relationship_attr(xml: bytes, rid: str) -> bytes:
    """``r:id="rid"`` for an element of ``xml``, with the prefix its root element declares (or a
    declaration of its own where the root has none)."""
    root = re.search(rb"<(?![?!])[^>]*>", xml).group(0)
    m = re.search(rb'xmlns:(\w+)="%s"' % REL_NS.encode(), root)
    if m is not None:
        return b'%s:id="%s"' % (m.group(1), rid.encode())
    return b'xmlns:r="%s" r:id="%s"' % (REL_NS.encode(), rid.encode())


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(part: str, target: str) -> str:
    """The part a relationship of ``part`` points at."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


class Package:
    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts  # name -> bytes, in the order they are written back

    @classmethod
    def read(cls, source) -> Package:
        with zipfile.ZipFile(source) as z:
            return cls({i.filename: z.read(i) for i in z.infolist() if not i.is_dir()})

    def write(self, path, changed: set[str]) -> None:
        """Zip every part to ``path``; the parts in ``changed`` are compressed quickly (they are
        the big ones we wrote), the others as usual."""
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.parts.items():
                info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o600 << 16  # as ZipFile.writestr gives a part named by string
                z.writestr(info, data, zipfile.ZIP_DEFLATED, 1 if name in changed else 6)

    def text(self, name: str) -> bytes:
        try:
            return self.parts[name]
        except KeyError:
            raise Unsupported(f"no part {name}") from None

    # relationships

    def relationships(self, part: str) -> list[dict[str, str]]:
        data = self.parts.get(rels_path(part), b"")
        return [attrs(m) for m in _RELATIONSHIP.findall(data)]

    def related(self, part: str, rel_type: str) -> list[str]:
        return [resolve(part, r["Target"]) for r in self.relationships(part)
                if r.get("Type") == rel_type and r.get("TargetMode") != "External"]

    def relate(self, part: str, rel_type: str, target: str) -> str:
        """Add a relationship from ``part`` to the part ``target``; returns its id."""
        path = rels_path(part)
        data = self.parts.get(path) or (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                        b'relationships"></Relationships>')
        taken = {r["Id"] for r in self.relationships(part)}
        rid = next(f"rIdXv{n}" for n in range(1, len(taken) + 2) if f"rIdXv{n}" not in taken)
        relative = posixpath.relpath(target, posixpath.dirname(part))
        entry = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{q(relative)}"/>'.encode()
        self.parts[path] = _before_close(data, b"</Relationships>", entry)
        return rid

    def free_name(self, like: str) -> str:
        """A new part name in the folder of ``like`` (xl/comments1.xml -> xl/comments2.xml ...)."""
        stem, ext = posixpath.splitext(re.sub(r"\d+(?=\.\w+$)", "", like))
        taken = {n.lower() for n in self.parts}
        return next(f"{stem}{n}{ext}" for n in range(1, len(self.parts) + 2) if f"{stem}{n}{ext}".lower() not in taken)

    # content types

    def declare(self, part: str, content_type: str) -> None:
        types = self.text("[Content_Types].xml")
        entry = f'<Override PartName="/{q(part)}" ContentType="{content_type}"/>'.encode()
        self.parts["[Content_Types].xml"] = _before_close(types, b"</Types>", entry)

    def declare_default(self, extension: str, content_type: str) -> None:
        types = self.text("[Content_Types].xml")
        if re.search(rb'<Default\b[^>]*Extension="' + re.escape(extension.encode()) + b'"', types, re.I):
            return
        entry = f'<Default Extension="{extension}" ContentType="{content_type}"/>'.encode()
        self.parts["[Content_Types].xml"] = _before_close(types, b"</Types>", entry)

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """(override by part name, default by extension) of the package."""
        types = self.text("[Content_Types].xml")
        over = {a["PartName"].lstrip("/"): a["ContentType"] for a in map(attrs, re.findall(rb"<Override\b[^>]*>", types))}
        default = {a["Extension"].lower(): a["ContentType"] for a in map(attrs, re.findall(rb"<Default\b[^>]*>", types))}
        return over, default

    # the workbook part

    def workbook_part(self) -> str:
        main = [resolve("", r["Target"]) for r in self.relationships("") if r.get("Type", "").endswith("/officeDocument")]
        if not main or main[0] not in self.parts:
            raise Unsupported("no workbook part")
        return main[0]

    def sheets(self) -> list[tuple[bytes, dict[str, str], str]]:
        """Each sheet of the workbook in tab order: (its <sheet/> tag, attributes, part name or '')."""
        book = self.workbook_part()
        data = self.text(book)
        if b"<sheets" not in data:
            raise Unsupported("workbook.xml without a plain <sheets> element")
        targets = {r["Id"]: resolve(book, r["Target"]) for r in self.relationships(book)}
        out = []
        for tag in _SHEET.findall(data):
            a = attrs(tag)
            rid = next((v for k, v in a.items() if k.endswith(":id")), None)
            out.append((tag, a, targets.get(rid, "")))
        return out


def _before_close(data: bytes, close: bytes, entry: bytes) -> bytes:
    at = data.rfind(close)
    if at < 0:
        raise Unsupported(f"no {close.decode()}")
    return data[:at] + entry + data[at:]
