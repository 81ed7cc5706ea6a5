"""DfE CSV files: a folder of them, or single files, recognised by name or by header row."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .limits import check_size
from .table import InputError, RawTable, ReadIssue, complete, match_header, match_table_name, table_from_frame


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
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])))
    except (csv.Error, StopIteration):
        return None, [ReadIssue(source, "the first line is not a CSV header row; file skipped")]
    header = [h.strip() for h in header]
    name = match_table_name(path.name, year)
    by_header = match_header(header, year)
    if by_header and (name is None or complete(header, by_header)):
        name = by_header  # a renamed or misnamed file: its header row says which table it is
    if name is None:
        return None, [ReadIssue(source, "not recognised as a 903 table (by file name or by its header row); file skipped")]
    try:
        # The header line is read as row 0 so that it sets the width: a data line with more
        # values than the header has columns is an error, never silently cut short.
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None,
                            skip_blank_lines=False, on_bad_lines="error", engine="c")
    except (pd.errors.ParserError, ValueError) as e:
        return None, [ReadIssue(source, f"the CSV cannot be read, file skipped: {str(e).strip()} (compare that line with "
                                        f"the header row's {len(header)} columns)")]
    frame = frame.iloc[1:].fillna("").set_axis(list(range(frame.shape[1])), axis=1)
    return table_from_frame(name + suffix, frame, header, source, first_row=2)


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
