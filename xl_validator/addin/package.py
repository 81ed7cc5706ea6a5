"""The ``.xlam`` package: an Office Open XML zip around the VBA project and the ribbon.

Every part is written from text here; the zip entries carry a fixed date so the
same sources give the same bytes.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_DOCUMENT = f"{R}/officeDocument"
REL_WORKSHEET = f"{R}/worksheet"
REL_STYLES = f"{R}/styles"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# Office pairs each customUI namespace with its own relationship type and part name
# ([MS-CUSTOMUI]): the 2006/01 schema (Office 2007) is reached through the 2006
# relationship as customUI/customUI.xml, the 2009/07 schema (Office 2010) through the
# 2007 one as customUI/customUI14.xml. A mismatched pair and the ribbon tab never shows.
RIBBONS = {
    "http://schemas.microsoft.com/office/2006/01/customui":
        ("http://schemas.microsoft.com/office/2006/relationships/ui/extensibility", "customUI/customUI.xml"),
    "http://schemas.microsoft.com/office/2009/07/customui":
        ("http://schemas.microsoft.com/office/2007/relationships/ui/extensibility", "customUI/customUI14.xml"),
}
# This content type of the workbook part is what makes the file an add-in.
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"

_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rels(*rels: tuple[str, str, str]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{_HEAD}<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'


def _content_types() -> str:
    over = {
        "/xl/workbook.xml": ADDIN_CONTENT_TYPE,
        "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        "/xl/vbaProject.bin": "application/vnd.ms-office.vbaProject",
    }
    body = ('<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in over.items()))
    return f'{_HEAD}<Types xmlns="{CT}">{body}</Types>'


def _workbook(sheet_name: str) -> str:
    from xml.sax.saxutils import quoteattr  # here: it loads urllib, http and email, which other commands never need

    return (f'{_HEAD}<workbook xmlns="{SML}" xmlns:r="{R}">'
            '<workbookPr codeName="ThisWorkbook"/>'
            '<bookViews><workbookView visibility="hidden"/></bookViews>'
            f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>')


def _cell(ref: str, text: str) -> str:
    from xml.sax.saxutils import escape

    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _sheet(rows: list[tuple[str, str]]) -> str:
    """The config sheet: one key and value per row, read by xlwings' GetConfig."""
    body = "".join(f'<row r="{n}">{_cell(f"A{n}", k)}{_cell(f"B{n}", v) if v else ""}</row>'
                   for n, (k, v) in enumerate(rows, start=1))
    return (f'{_HEAD}<worksheet xmlns="{SML}" xmlns:r="{R}"><sheetPr codeName="Sheet1"/>'
            f'<cols><col min="1" max="2" width="40" customWidth="1"/></cols>'
            f'<sheetData>{body}</sheetData></worksheet>')


def _styles() -> str:
    return (f'{_HEAD}<styleSheet xmlns="{SML}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>')


def ribbon_relationship(ribbon_xml: str) -> tuple[str, str]:
    """The relationship type and part name that go with the ribbon's customUI namespace."""
    tag = ElementTree.fromstring(ribbon_xml).tag
    namespace = tag[1:].split("}")[0] if tag.startswith("{") else ""
    if tag.rsplit("}", 1)[-1] != "customUI" or namespace not in RIBBONS:
        raise ValueError(f"the ribbon must be a <customUI> in one of {sorted(RIBBONS)}, not {tag!r}")
    return RIBBONS[namespace]


def package_parts(vba_project_bin: bytes, ribbon_xml: str, sheet_name: str,
                  config_rows: list[tuple[str, str]]) -> dict[str, bytes]:
    """Every part of the add-in, by its name in the zip."""
    ribbon_type, ribbon_part = ribbon_relationship(ribbon_xml)
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _rels(("rId1", REL_DOCUMENT, "xl/workbook.xml"),
                             ("rId2", ribbon_type, ribbon_part)),
        "xl/workbook.xml": _workbook(sheet_name),
        "xl/_rels/workbook.xml.rels": _rels(("rId1", REL_WORKSHEET, "worksheets/sheet1.xml"),
                                            ("rId2", REL_STYLES, "styles.xml"),
                                            ("rId3", REL_VBA, "vbaProject.bin")),
        "xl/worksheets/sheet1.xml": _sheet(config_rows),
        "xl/styles.xml": _styles(),
        ribbon_part: ribbon_xml,
    }
    out = {name: text.encode("utf-8") for name, text in parts.items()}
    out["xl/vbaProject.bin"] = vba_project_bin
    return out


def write_atomic(out_path: Path, data: bytes) -> Path:
    """Write next to the target, then rename: Excel or a reader never sees half a file."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes it private; give it a new file's usual mode
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out_path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """The zip, ``[Content_Types].xml`` first, entries dated 1980-01-01 for reproducible builds."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()
