"""Small workbooks written the way analysts lay them out, for reader and writer tests."""
import zipfile

import openpyxl

VBA = b"\xd0\xcf\x11\xe0 not a real macro project, but bytes that must come back unchanged"
VBA_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def write_book(path, sheets: dict):
    """A workbook with one sheet per item: {sheet name: list of rows}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def header_return(path):
    """A 2022/23 workbook whose Header has two children, the second with an invalid SEX and
    ETHNIC: the smallest return with flagged cells beside clean ones."""
    from rulecheck import frame
    from xl_validator.sample.workbook import write_return_workbook

    header = frame("Header", [
        {"CHILD": "1", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"},
        {"CHILD": "2", "SEX": "7", "DOB": "01/01/2012", "ETHNIC": "XXXX", "UPN": "UN1"},
    ])
    return write_return_workbook({"Header": header}, path, "2022/23")


def package_parts(path) -> dict:
    """Every part of an .xlsx/.xlsm package, by name."""
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def write_package(path, parts: dict):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def with_macros(path, xlsm):
    """``path`` made macro-enabled at ``xlsm``: a (stand-in) VBA project, its content types and relationship."""
    parts = package_parts(path)
    parts["xl/vbaProject.bin"] = VBA
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>').replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", f'<Relationship Id="rIdVba" Type="{VBA_TYPE}" '
                                                           f'Target="vbaProject.bin"/></Relationships>'.encode())
    return write_package(xlsm, parts)
