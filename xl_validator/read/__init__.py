"""Read a 903 return from any of its forms into RawTables (text + origin).

Forms: an .xlsx workbook, a folder of DfE CSV files (or a list of them), a DfE
XML file, or a mapping of table name to pandas DataFrame.
"""
from __future__ import annotations

import gc
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .csv_files import csv_paths, read_csv_paths
from .limits import check_regular_file
from .table import InputError, RawTable, ReadIssue, cell_text, match_table_name, table_from_frame
from .workbook import read_workbook
from .xml_return import read_xml

__all__ = ["InputError", "RawTable", "ReadIssue", "Return", "read_return", "refuse_unreadable"]


@dataclass
class Return:
    """The tables of one return (this year's, or last year's with '_last' names)."""

    tables: dict[str, RawTable]
    issues: list[ReadIssue] = field(default_factory=list)
    file_format: str = "csv"  # 'xml' only for an XML submission (rules 105, 205A-C depend on it)
    source: str = ""


def read_return(source, suffix: str = "", year: str | None = None) -> Return:
    """Read ``source`` (path, list of CSV paths, or {table name: DataFrame})."""
    with gc_paused():
        return _read(source, suffix, year)


@contextmanager
def gc_paused():
    """Python's cycle collector off while a return is read: the readers make a container per
    row, which the collector would walk again and again (a third of a large return's reading
    time), and hardly any reference cycles, which it collects once reading is done."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _read(source, suffix: str, year: str | None) -> Return:
    if isinstance(source, Mapping):
        tables, issues = read_frames(source, suffix, year)
        return _done(Return(tables, issues, "csv", "DataFrames"), suffix)
    if isinstance(source, (list, tuple)):
        paths = [Path(p) for p in source]
        for p in paths:
            _exists(p)
        tables, issues = read_csv_paths(paths, suffix, year)
        return _done(Return(tables, issues, "csv", ", ".join(map(str, paths))), suffix)
    path = _exists(Path(source))
    if path.is_dir():
        paths = csv_paths(path)
        if not paths:
            raise InputError(f"{path}: the folder holds no .csv files")
        tables, issues = read_csv_paths(paths, suffix, year)
        return _done(Return(tables, issues, "csv", str(path)), suffix)
    kind = path.suffix.lower()
    if kind in (".xlsx", ".xlsm"):
        tables, issues = read_workbook(path, suffix, year)
        return _done(Return(tables, issues, "xlsx", str(path)), suffix)
    if kind == ".xml":
        tables, issues = read_xml(path, suffix, year)
        return _done(Return(tables, issues, "xml", str(path)), suffix)
    if kind == ".csv":
        tables, issues = read_csv_paths([path], suffix, year)
        return _done(Return(tables, issues, "csv", str(path)), suffix)
    raise InputError(f"{path}: expected an .xlsx workbook, a folder of .csv files or an .xml file, not '{kind or 'no extension'}'")


def _exists(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if not path.is_dir():
        check_regular_file(path)
    return path


def refuse_unreadable(ret: Return) -> None:
    """Raise when a table was recognised but could not be read: validating without it would
    skip every rule that needs it and look like a success (the command line's --keep-going
    and the Python API carry on instead, with the problem among the notes)."""
    bad = [i for i in ret.issues if i.unreadable]
    if bad:
        raise InputError(f"{len(bad)} table(s) could not be read, so the rules that need them cannot run:"
                         + "".join(f"\n  - {i}" for i in bad)
                         + "\nCorrect the file(s), or validate the rest anyway with --keep-going.")


def _done(ret: Return, suffix: str) -> Return:
    if not ret.tables:
        raise InputError(
            f"{ret.source}: no 903 tables found. Expected sheets or CSV files named like Header, "
            "Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing, SWEpisodes, DoLo "
            "(or with those tables' header rows)." + "".join(f"\n  - {i}" for i in ret.issues))
    derive_header_uasc(ret.tables, suffix)
    return ret


def derive_header_uasc(tables: dict[str, RawTable], suffix: str) -> None:
    """Header.UASC is '1' for a child listed in the UASC table, '0' otherwise, as the
    DfE's loader derives it for CSV returns (an XML return or a sheet that has it keeps its own)."""
    header, uasc = tables.get("Header" + suffix), tables.get("UASC" + suffix)
    if header is None or uasc is None or "UASC" in header.frame.columns or "CHILD" not in header.frame:
        return
    if "CHILD" not in uasc.frame:
        return
    listed = set(uasc.frame["CHILD"][uasc.frame["CHILD"].str.strip() != ""])  # a blank CHILD is nobody
    header.frame["UASC"] = header.frame["CHILD"].isin(listed).map({True: "1", False: "0"})


def read_frames(frames: Mapping, suffix: str = "", year: str | None = None):
    tables: dict[str, RawTable] = {}
    issues: list[ReadIssue] = []
    for key, df in frames.items():
        name = match_table_name(str(key), year)
        if name is None:
            issues.append(ReadIssue(f"DataFrame '{key}'", "not a 903 table name; ignored"))
            continue
        if not isinstance(df, pd.DataFrame):
            raise InputError(f"DataFrame '{key}': expected a pandas DataFrame, got {type(df).__name__}")
        header = [str(c) for c in df.columns]
        text = pd.DataFrame({i: df.iloc[:, i].map(cell_text).to_numpy() for i in range(df.shape[1])},
                            index=range(len(df)))
        table, found = table_from_frame(name + suffix, text, header, f"DataFrame '{key}'", first_row=0)
        issues += found
        tables[table.name] = table
    return tables, issues
