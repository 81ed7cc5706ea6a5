"""The workbook a CSV, XML or DataFrame return becomes: one sheet per table, every value text;
and the package of any workbook the tool builds from its own tables (``book_package``)."""
from __future__ import annotations

from ..report import Report
from .locate import output_tables
from .package import REL_NS, SHEET_CT, SHEET_TYPE, Package, q
from .sheet_xml import MAIN_NS, table_sheet

BOLD, TEXT = 1, 2  # the cell formats of STYLES used below
STYLES = (f'<styleSheet xmlns="{MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/>'
          '<family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
          '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
          '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml."


def tables_package(report: Report) -> Package:
    """A package holding this year's tables, a bold frozen header over values stored as text."""
    sheets = []
    for raw in output_tables(report.tables, report.year):
        columns = list(raw.frame.columns)
        rows = [columns, *raw.frame.itertuples(index=False)]
        sheets.append((raw.name, table_sheet(rows, len(columns), header_style=BOLD, styles=[TEXT] * len(columns),
                                             widths=[max(10, len(c) + 2) for c in columns])))
    return book_package(sheets, STYLES.encode())


def book_package(sheets: list[tuple[str, bytes]], styles: bytes) -> Package:
    """A workbook package of the given sheets (name, worksheet XML) in tab order, and a stylesheet."""
    names, rels, types = [], [], []
    parts = {}
    for i, (name, xml) in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
        names.append(f'<sheet name="{q(name)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="{SHEET_TYPE}" Target="worksheets/sheet{i}.xml"/>')
        types.append(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_CT}"/>')
    n = len(sheets) + 1
    rels.append(f'<Relationship Id="rId{n}" Type="{REL_NS}/styles" Target="styles.xml"/>')
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return Package({
        "[Content_Types].xml": (
            f'{head}<Types xmlns="{PACKAGE}content-types"><Default Extension="rels" '
            f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}styles+xml"/>{"".join(types)}</Types>').encode(),
        "_rels/.rels": (f'{head}<Relationships xmlns="{PACKAGE}relationships"><Relationship Id="rId1" '
                        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'{head}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView/>'
                            f'</bookViews><sheets>{"".join(names)}</sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (f'{head}<Relationships xmlns="{PACKAGE}relationships">{"".join(rels)}'
                                       '</Relationships>').encode(),
        "xl/styles.xml": styles,
        **parts,
    })
