"""Small workbooks written the way analysts lay them out, for reader tests."""
import openpyxl


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
