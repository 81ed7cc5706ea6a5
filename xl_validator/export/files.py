"""Write a return as the files the DfE takes: a folder of CSV files or one XML file.

The source is read with the ordinary readers, so every value is already the text
the analyst typed (Excel dates as dd/mm/yyyy, codes and leading zeros as typed,
lower case kept): nothing here converts through numbers or dates.

Nothing is written when the export would fail the DfE's structural checks or
silently lose data; ``ExportRefused`` says which table, row and column.
The checks (facts from the specification's tables.yaml):

Both formats
  - every column of the table is present, and no unknown column (the DfE
    recognises a CSV by its exact set of column names; an unknown column may be
    a misspelt one whose values would be dropped);
  - one sheet or file per table (a second one would be silently ignored);
  - no blank CHILD (rows are joined on it, and in XML a row hangs under its child);
  - a child appears once in Header (INT32; in XML one CHILD element per child).
XML only
  - a Header table, and every CHILD of the other tables is in it (an XML row can
    only sit inside its child's HEADER or CHILD element);
  - OC2, PrevPerm, UASC, OC3 and AD1 hold one row per child (the XML has room
    for one OC2/PERMANENCE element and one set of flat UASC/OC3/AD1 values);
  - the DOB (and UASC's SEX) repeated in other tables equals Header's: the XML
    holds them once, in HEADER, so a different value would be lost (INT11-INT21);
  - OC3 rows have IN_TOUCH and AD1 rows DATE_INT: the DfE reads an OC3/AD1
    record only when that value is filled, so the row would vanish;
  - no control characters, which XML cannot hold.

CSV values starting with = + - @ (or a tab or carriage return) are written with a
leading single quote so a spreadsheet opening the file never runs them as a
formula. That changes the value the DfE receives; every such cell is listed in
``Export.neutralised`` (and printed by the command) so the analyst can fix the
source instead. Pass ``neutralise=False`` to write values exactly as typed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import catalogue
from ..annotate.safe_text import FORMULA_START
from ..outputs import save_bytes, save_text
from ..read import InputError, RawTable, Return, read_return
from .xml_out import NO_XML_LAYOUT, ONE_PER_CHILD, REQUIRED_IN_XML, xml_bytes

__all__ = ["Export", "ExportRefused", "Neutralised", "export_return"]

MAX_LISTED = 30  # problems listed in a refusal; the rest are counted
WRITTEN_LIST = ".xl_validator_export.json"  # what earlier exports wrote here, so they may be replaced
_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_PARTIAL_DATE = re.compile(r"(\d{2}|ZZ)/(\d{2}|ZZ)/\d{4}", re.I)  # DATE_PERM may hide day/month as ZZ
_XML_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportRefused(InputError):
    """The export would fail the DfE's structural checks or lose data; nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_LISTED]
        more = f"\n  ... and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(f"Nothing exported: {len(problems)} problem(s) would make the DfE reject the "
                         "file(s) or lose data. Fix them in the source and export again:"
                         + "".join(f"\n  - {p}" for p in shown) + more)


@dataclass(frozen=True)
class Neutralised:
    """A CSV cell written with a leading quote so a spreadsheet cannot run it as a formula."""

    table: str
    where: str  # source and row, as the reader recorded them
    column: str
    value: str

    def __str__(self) -> str:
        return (f"{self.where}: {self.table}.{self.column} {self.value!r} starts with {self.value[:1]!r}; "
                "written with a leading ' so a spreadsheet does not run it")


class Export(list):
    """The paths written, plus what changed or was left out (``neutralised``, ``notes``)."""

    def __init__(self, paths, neutralised: list[Neutralised], notes: list[str]):
        super().__init__(paths)
        self.neutralised = neutralised
        self.notes = notes


def export_return(source, to_dir, fmt: str = "csv", year: str | None = None,
                  neutralise: bool = True, overwrite: bool = False) -> Export:
    """Write ``source`` (any form ``read_return`` takes, or a ``Return`` already read, for which
    ``year`` is not used) into ``to_dir`` as DfE CSV files (``fmt='csv'``) or one DfE XML file
    (``fmt='xml'``). All checks run before anything is written; each file is then replaced
    atomically (a crash leaves every file either old or new, never half-written). A file in
    ``to_dir`` that an earlier export did not write (or that was edited since) is only replaced
    with ``overwrite=True``."""
    if fmt not in ("csv", "xml"):
        raise InputError(f"export format {fmt!r}: choose 'csv' or 'xml'")
    year = catalogue.normalise_year(year) if year is not None else None
    to_dir = Path(to_dir)
    ret = source if isinstance(source, Return) else read_return(source, year=year)
    order = list(catalogue.all_tables())
    tables = {n: ret.tables[n] for n in order if n in ret.tables}
    notes = [f"not exported: {i}" for i in ret.issues if not i.table]
    problems = _common_problems(ret, tables)
    if fmt == "xml":
        for name in NO_XML_LAYOUT:
            if name in tables:
                notes.append(f"{name} ({len(tables[name])} rows) is not in the XML file: the DfE's XML layout "
                             "for it is not published, so no element is invented. Export it with format csv "
                             f"({_file_name(name)}) if it is to be submitted.")
        problems += _xml_problems(tables)
    notes += _notes(tables, fmt)
    outputs = ([to_dir / _file_name(n) for n in tables] if fmt == "csv"
               else [to_dir / f"{_stem(source, ret)}.xml"])
    problems += _overwrite_problems(source, ret, to_dir, outputs)
    if not overwrite:
        problems += _not_ours(to_dir, outputs)
    if problems:
        raise ExportRefused(problems)

    neutralised: list[Neutralised] = []
    if fmt == "csv":
        texts = [_csv_text(raw, neutralised if neutralise else None) for raw in tables.values()]
        stale = sorted(p.name for p in to_dir.glob("*.csv") if p not in outputs) if to_dir.is_dir() else []
        if stale:
            notes.append(f"{to_dir} also holds {', '.join(stale)}, not written by this export: "
                         "leave them out of the upload")
    else:
        texts = [xml_bytes(tables, notes)]
    written = _written_before(to_dir)
    for path, data in zip(outputs, texts):
        save_bytes(data, path)
        written[path.name] = hashlib.sha256(data).hexdigest()
    save_text(json.dumps(written, indent=1, sort_keys=True), to_dir / WRITTEN_LIST)
    return Export(outputs, neutralised, notes)


def _written_before(to_dir: Path) -> dict[str, str]:
    """{file name: SHA-256} of the files earlier exports wrote into ``to_dir``."""
    try:
        data = json.loads((to_dir / WRITTEN_LIST).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _not_ours(to_dir: Path, outputs: list[Path]) -> list[str]:
    """Existing files the export would replace that no earlier export wrote as they are now."""
    ours = _written_before(to_dir)
    out = []
    for p in outputs:
        if not p.exists():
            continue
        if p.is_dir() or not p.is_file():
            out.append(f"{p} exists and is not a file; choose another folder")
        elif ours.get(p.name) != hashlib.sha256(p.read_bytes()).hexdigest():
            out.append(f"{p} already exists and was not written by an earlier export (or was edited since); "
                       "choose another folder, or replace it with --overwrite")
    return out


def _file_name(table: str) -> str:
    return catalogue.all_tables()[table]["csv_files"][0]


def _stem(source, ret: Return) -> str:
    if isinstance(source, (str, Path)):
        path = Path(source)
        return path.stem if path.suffix else path.name
    if isinstance(source, Return) and ret.source and Path(ret.source).exists():
        return Path(ret.source).stem
    return "903_return"


def _where(raw: RawTable, i: int) -> str:
    return f"{raw.source}, row {int(raw.rows[i])}"


def _common_problems(ret: Return, tables: dict[str, RawTable]) -> list[str]:
    out = []
    for issue in ret.issues:
        if issue.table and "missing column" not in issue.message:
            out.append(f"{issue}; the DfE would reject or misread table {issue.table}")
    for name, raw in tables.items():
        if raw.missing:
            out.append(f"{raw.source}: table {name} lacks column(s) {', '.join(raw.missing)}; the DfE "
                       f"recognises {name} only with all of {', '.join(catalogue.columns(name))}")
        if "CHILD" not in raw.frame:
            continue
        blank = (raw.frame["CHILD"].str.strip() == "").to_numpy().nonzero()[0]
        out += [f"{_where(raw, i)}: table {name}, column CHILD is blank; every row needs the child's identifier"
                for i in blank]
    header = tables.get("Header")
    if header is not None and "CHILD" in header.frame:
        out += _repeats(header, "Header", "a child must appear once in Header (rule INT32)")
    return out


def _repeats(raw: RawTable, name: str, why: str) -> list[str]:
    child = raw.frame["CHILD"]
    dup = (child.duplicated(keep="first") & (child.str.strip() != "")).to_numpy().nonzero()[0]
    first = {c: i for i, c in reversed(list(enumerate(child)))}
    return [f"{_where(raw, i)}: table {name}, CHILD {child.iat[i]!r} repeats row {int(raw.rows[first[child.iat[i]]])}; {why}"
            for i in dup]


def _xml_problems(tables: dict[str, RawTable]) -> list[str]:
    if "Header" not in tables:
        return ["no Header table: the XML holds every row inside its child's HEADER, so Header is needed"]
    tables = {n: t for n, t in tables.items() if not t.missing}  # refused already for their columns
    header = tables.get("Header")
    if header is None:
        return []
    out = []
    head = header.frame.drop_duplicates("CHILD").set_index("CHILD")
    for name, raw in tables.items():
        if name in NO_XML_LAYOUT:
            continue
        f = raw.frame
        if name != "Header":
            known = f["CHILD"].isin(head.index) | (f["CHILD"].str.strip() == "")
            out += [f"{_where(raw, i)}: table {name}, CHILD {f['CHILD'].iat[i]!r} is not in Header; the XML "
                    "can only hold a row inside its child's CHILD element" for i in (~known).to_numpy().nonzero()[0]]
            for col in ("DOB", "SEX") if name == "UASC" else ("DOB",):
                if col not in f or col not in head:
                    continue
                theirs = f["CHILD"].map(head[col])
                differ = (theirs.notna() & (theirs != f[col])).to_numpy().nonzero()[0]
                out += [f"{_where(raw, i)}: table {name}, {col} {f[col].iat[i]!r} differs from Header's "
                        f"{theirs.iat[i]!r} for CHILD {f['CHILD'].iat[i]!r}; the XML holds {col} once per child "
                        "(in HEADER), so this value would be lost" for i in differ]
        if name in ONE_PER_CHILD:
            out += _repeats(raw, name, f"the XML has room for one {name} record per child")
        col = REQUIRED_IN_XML.get(name)
        if col:
            out += [f"{_where(raw, i)}: table {name}, column {col} is blank; the DfE reads an {name} record from "
                    f"the XML only when {col} is filled, so this row would be lost"
                    for i in (f[col].str.strip() == "").to_numpy().nonzero()[0]]
        for c in f.columns:
            bad = f[c].str.contains(_XML_BAD_CHARS).to_numpy().nonzero()[0]
            out += [f"{_where(raw, i)}: table {name}, column {c} holds a control character, which XML cannot "
                    "carry; delete it" for i in bad]
    return out


def _notes(tables: dict[str, RawTable], fmt: str) -> list[str]:
    """What is written as typed but the analyst should know: dates not dd/mm/yyyy (the DfE's date
    rules flag them), a UASC flag CSV cannot carry, spaces XML readers drop."""
    out = []
    header, uasc = tables.get("Header"), tables.get("UASC")
    if fmt == "csv" and header is not None and "UASC" in header.frame:
        listed = set(uasc.frame["CHILD"]) if uasc is not None else set()
        lost = (header.frame["UASC"].str.strip() == "1") & ~header.frame["CHILD"].isin(listed)
        if lost.any():
            out.append(f"{int(lost.sum())} child(ren) have UASC 1 in Header but no UASC row (first: CHILD "
                       f"{header.frame['CHILD'][lost].iat[0]!r}); header.csv has no UASC column, so the DfE "
                       "will read them as not UASC unless uasc.csv lists them")
    for name, raw in tables.items():
        for col in catalogue.date_columns(name):
            if col not in raw.frame:
                continue
            pattern = _PARTIAL_DATE if col == "DATE_PERM" else _DATE
            v = raw.frame[col]
            bad = ((v != "") & ~v.str.fullmatch(pattern)).to_numpy().nonzero()[0]
            if len(bad):
                out.append(f"{len(bad)} {name}.{col} value(s) are not dd/mm/yyyy (first: {_where(raw, bad[0])}, "
                           f"{v.iat[bad[0]]!r}); written as typed")
        if fmt == "xml":
            for col in raw.frame.columns:
                v = raw.frame[col]
                spaced = (v != v.str.strip()).to_numpy().nonzero()[0]
                if len(spaced):
                    out.append(f"{len(spaced)} {name}.{col} value(s) start or end with spaces (first: "
                               f"{_where(raw, spaced[0])}); XML readers drop them")
    return out


def _input_paths(source, ret: Return) -> tuple[set[Path], set[Path]]:
    """(input files, input folders) so the export never writes over what it read."""
    if isinstance(source, Return):
        source = ret.source if ret.source and Path(ret.source).exists() else None
    if source is None or isinstance(source, Mapping):
        return set(), set()
    paths = [Path(p) for p in source] if isinstance(source, (list, tuple)) else [Path(source)]
    files = {p.resolve() for p in paths if p.is_file()}
    folders = {p.resolve() for p in paths if p.is_dir()}
    return files, folders


def _overwrite_problems(source, ret: Return, to_dir: Path, outputs: list[Path]) -> list[str]:
    files, folders = _input_paths(source, ret)
    if to_dir.resolve() in folders:
        return [f"{to_dir} is the folder being exported; choose another folder so the input files are kept"]
    if any(f in to_dir.resolve().parents for f in folders):
        return [f"{to_dir} lies inside the folder being exported; choose a folder outside it"]
    if to_dir.exists() and not to_dir.is_dir():
        return [f"{to_dir} is a file; --to needs a folder"]
    return [f"{p} is the input file; choose another folder" for p in outputs if p.resolve() in files]


def _csv_text(raw: RawTable, neutralised: list[Neutralised] | None) -> bytes:
    """The table's columns in DfE order (Header without its derived UASC), every value as text."""
    columns = catalogue.columns(raw.name)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for i, row in enumerate(raw.frame[columns].itertuples(index=False)):
        out = list(row)
        if neutralised is not None:
            for j, value in enumerate(out):
                if value.startswith(FORMULA_START):
                    neutralised.append(Neutralised(raw.name, _where(raw, i), columns[j], value))
                    out[j] = "'" + value
        w.writerow(out)
    return buf.getvalue().encode("utf-8")
