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
