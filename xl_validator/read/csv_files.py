"""DfE CSV files: a folder of them, or single files, recognised by name or by header row."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .limits import check_rows, check_size
from .table import (
    InputError,
    RawTable,
    ReadIssue,
    canonical_columns,
    complete,
    match_header,
    match_table_name,
    table_from_frame,
)


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (what Excel saves as 'CSV')."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise InputError(f"{source}: cannot read the text (byte {e.start}); save it as CSV UTF-8") from None


def read_csv_file(path: Path, suffix: str = "", year: str | None = None) -> tuple[RawTable | None, list[ReadIssue]]:
    source = str(path)
    check_size(path)
    text = decode(path.read_bytes(), source)
    if not text.strip():
        return None, [ReadIssue(source, "the file is empty; no table read")]
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(records)]
    except (csv.Error, StopIteration):
        return None, [ReadIssue(source, "the first line is not a CSV header row; file skipped")]
    name = match_table_name(path.name, year)
    by_header = match_header(header, year)
    if by_header and (name is None or complete(header, by_header)):
        name = by_header  # a renamed or misnamed file: its header row says which table it is
    if name is None:
        return None, [ReadIssue(source, "not recognised as a 903 table (by file name or by its header row); file skipped")]
    if not canonical_columns(header, name):
        return None, [ReadIssue(source, f"named like the {name} table, but its header row holds none of {name}'s "
                                        f"columns (it reads {_shown(header)}){_delimiter_hint(header)}",
                                name + suffix, unreadable=True)]
    body, lines, issues = _records(records, len(header), source)
    frame = pd.DataFrame(body, columns=range(len(header)), dtype=object)
    table, found = table_from_frame(name + suffix, frame, header, source, first_row=2,
                                    rows=np.asarray(lines, dtype=np.int64))
    return table, issues + found


def _records(records, width: int, source: str) -> tuple[list[list[str]], list[int], list[ReadIssue]]:
    """The data rows (padded to the header's width) and the line each starts on (a quoted value
    may span lines). A row with more values than the header is reported by line and left out."""
    body, lines, issues = [], [], []
    line = records.line_num
    try:
        for rec in records:
            start, line = line + 1, records.line_num
            if len(rec) > width and any(v.strip() for v in rec[width:]):
                issues.append(ReadIssue(source, f"line {start}: {len(rec)} values where the header row has "
                                                f"{width} columns; this line was not read"))
                continue
            body.append(rec[:width] + [""] * (width - len(rec)))
            lines.append(start)
            if len(body) % 50_000 == 0:
                check_rows(len(body), source)
    except csv.Error as e:
        raise InputError(f"{source}, line {records.line_num}: the CSV cannot be read ({e})") from None
    check_rows(len(body), source)
    return body, lines, issues


def _shown(header: list[str]) -> str:
    text = ",".join(header)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _delimiter_hint(header: list[str]) -> str:
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
        if any(sep in h for h in header):
            return f": the values seem separated by {name}; save it as CSV (comma delimited)"
    return ""


def read_csv_paths(paths: list[Path], suffix: str = "", year: str | None = None):
    tables: dict[str, RawTable] = {}
    issues: list[ReadIssue] = []
    for path in paths:
        table, found = read_csv_file(path, suffix, year)
        issues += found
        if table is None:
            continue
        if table.name in tables:
            issues.append(ReadIssue(source=str(path), table=table.name, message=(
                f"a second file for {table.name} (first: {tables[table.name].source}); this one is ignored")))
            continue
        tables[table.name] = table
    return tables, issues


def csv_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
