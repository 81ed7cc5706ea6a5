"""An .xlsx workbook with one sheet per 903 table, as analysts keep it."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .limits import check_cells, check_rows, check_zip
from .table import InputError, RawTable, ReadIssue, build_table, match_header, match_table_name

HEADER_SEARCH_ROWS = 20
# Sheets this tool writes into its own output, or reads for itself (a council's local
# rules); never read as data, never reported.
OWN_SHEETS = {"errors", "summary", "fix log", "fix preview", "rules", "chase list", "lists", "xl_validator",
              "local rules", "dashboard"}


def find_header(rows: list[tuple], name: str | None, year: str | None) -> tuple[int, str | None]:
    """The first of the top rows that holds a CHILD column (title rows above are skipped),
    and the table it belongs to (from the sheet name if that matched, else the headers)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if any(c.upper() == "CHILD" for c in cells):
            return i, name or match_header(cells, year)
    return -1, name


def read_sheet_rows(sheet_name: str, rows: list[tuple], source: str, suffix: str = "",
                    year: str | None = None, *, row_offset: int = 0,
                    col_offset: int = 0) -> tuple[RawTable | None, list[ReadIssue]]:
    """Shared by file mode (openpyxl) and the Excel layer (xlwings): values of one sheet in, a table out.

    ``row_offset``/``col_offset``: rows and columns above and left of ``rows[0][0]`` in the
    sheet (a used range that does not start at A1), so findings keep their real cells.
    """
    where = f"{source}, sheet '{sheet_name}'"
    if sheet_name.strip().lower() in OWN_SHEETS:
        return None, []
    named = match_table_name(sheet_name, year)
    at, table = find_header(rows, named, year)
    if table is None:
        return None, [ReadIssue(where, "not a 903 table (no matching sheet name or header row); sheet ignored")]
    if at < 0:
        return None, [ReadIssue(where, f"looks like {table} but no header row with a CHILD column was "
                                       f"found in the first {HEADER_SEARCH_ROWS} rows; sheet ignored", table + suffix,
                                       unreadable=True)]
    header = list(rows[at])
    first_col = 0
    while first_col < len(header) and (header[first_col] is None or not str(header[first_col]).strip()):
        first_col += 1  # a table placed further right than column A
    header = header[first_col:]
    body = [r[first_col:] for r in rows[at + 1:]] if first_col else rows[at + 1:]
    check_rows(len(body), where)
    return build_table(table + suffix, header, body, where, first_row=at + 2 + row_offset, sheet=sheet_name,
                       first_col=first_col + 1 + col_offset)


def sheet_values(path: Path, skip: set[str] | frozenset[str] = OWN_SHEETS) -> Iterator[tuple[str, list]]:
    """(title, rows of cell values) for every worksheet but those named in ``skip`` (lower case).

    python-calamine (a Rust reader, about 13 times faster than openpyxl on a large return)
    is used where it is installed; openpyxl otherwise (e.g. under Pyodide). Both give
    dates as date/datetime objects and numbers as numbers, which ``cell_text`` turns into
    the text the DfE expects."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        CalamineWorkbook = None
    if CalamineWorkbook is not None:
        try:
            wb = CalamineWorkbook.from_path(str(path))
            names = list(wb.sheet_names)
        except Exception as e:  # calamine raises its own error types for damaged files
            raise InputError(f"{path}: the workbook cannot be opened ({type(e).__name__}: {e})") from None
        for name in names:
            if name.strip().lower() in skip:
                continue  # never read as data: not even parsed
            try:
                sheet = wb.get_sheet_by_name(name)
                check_cells(sheet.total_height, sheet.total_width, f"{path}, sheet '{name}'")
                values = sheet.to_python(skip_empty_area=False)
            except InputError:
                raise
            except Exception as e:
                raise InputError(f"{path}, sheet '{name}': cannot be read ({type(e).__name__}: {e})") from None
            yield name, values
        return
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for damaged files
        raise InputError(f"{path}: the workbook cannot be opened ({type(e).__name__}: {e})") from None
    try:
        for ws in wb.worksheets:
            if ws.title.strip().lower() in skip:
                continue
            rows = []
            for row in ws.iter_rows(values_only=True):
                rows.append(row)
                if len(rows) % 10_000 == 0:
                    check_cells(len(rows), max(len(row), 1), f"{path}, sheet '{ws.title}'")
            yield ws.title, rows
    finally:
        wb.close()


def read_workbook(path: Path, suffix: str = "", year: str | None = None):
    check_zip(path)
    tables: dict[str, RawTable] = {}
    issues: list[ReadIssue] = []
    for title, rows in sheet_values(path):
        table, found = read_sheet_rows(title, rows, str(path), suffix, year)
        issues += found
        if table is None:
            continue
        if table.name in tables:
            issues.append(ReadIssue(table.source, f"a second sheet for {table.name} (first: sheet "
                                    f"'{tables[table.name].sheet}'); this one is ignored", table.name))
            continue
        tables[table.name] = table
    return tables, issues
