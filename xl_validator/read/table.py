"""What every reader produces: a 903 table as the text the user typed, plus where each value came from."""
from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import catalogue
from ..errors import InputError  # noqa: F401  (raised by the readers; imported from here by most callers)


@dataclass
class ReadIssue:
    """A problem with part of the input that did not stop the rest from being read."""

    source: str
    message: str
    table: str = ""
    unreadable: bool = False  # a whole table could not be read (not just a line or a column)

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.message}"


@dataclass
class RawTable:
    """One table: every value as text ('' = blank), with its origin.

    ``rows[i]`` is the 1-based row number (sheet row or file line) of position i;
    ``data_rows[i]`` its 0-based data row in the source (blank rows count: they are
    dropped from ``frame`` but findings must still name the row the user sees);
    ``cols[name]`` the 1-based column number of a column in the source.
    ``sheet`` is set when the source is a worksheet, so findings get cell addresses.
    """

    name: str
    frame: pd.DataFrame
    source: str
    rows: np.ndarray
    cols: dict[str, int] = field(default_factory=dict)
    sheet: str | None = None
    missing: list[str] = field(default_factory=list)
    data_rows: np.ndarray | None = None

    def __post_init__(self):
        self.rows = np.asarray(self.rows, dtype=np.int64)
        if self.data_rows is None:
            self.data_rows = np.arange(len(self.frame), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.frame)

    def positions(self, data_rows) -> np.ndarray:
        """Positions in ``frame`` of source data rows (the inverse of ``data_rows``)."""
        wanted = np.asarray(data_rows, dtype=np.int64)
        pos = np.searchsorted(self.data_rows, wanted)
        if len(wanted) and (pos.max() >= len(self.data_rows) or (self.data_rows[pos] != wanted).any()):
            raise KeyError(f"{self.name}: data row(s) not in the table")
        return pos

    def layout(self) -> tuple[str, np.ndarray, dict[str, int]]:
        """(sheet name, sheet row per position, column number per column) where the table's
        cells are shown: its own worksheet, or for CSV, XML and DataFrames the sheet named
        after the table that the annotated copy and fixed workbook write (header in row 1)."""
        if self.sheet:
            return self.sheet, self.rows, self.cols
        cols = {c: i + 1 for i, c in enumerate(self.frame.columns)}
        return self.name, np.arange(2, len(self.frame) + 2, dtype=np.int64), cols


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


_ALIASES = {
    "placedforadoption": "PlacedAdoption",
    "previouspermanence": "PrevPerm",
    "socialworkerepisodes": "SWEpisodes",
    "swepisode": "SWEpisodes",
    "episode": "Episodes",
    "review": "Reviews",
    "deprivationofliberty": "DoLo",
}


def match_table_name(name: str, year: str | None = None) -> str | None:
    """Loosely match a sheet or file name to a table: 'header', 'HEADER', 'episodes.csv',
    'Placed for adoption', 'sw_episodes' all work; returns None when nothing fits."""
    key = _norm(re.sub(r"\.(csv|xml|xlsx)$", "", str(name).strip(), flags=re.I))
    key = re.sub(r"(errors|last|lastyear|previous|prev)$", "", key) or key
    names = catalogue.tables(year) if year else catalogue.all_tables()
    for table in names:
        if key == _norm(table):
            return table
    for table, files in ((t, v["csv_files"]) for t, v in names.items()):
        if any(key == _norm(f.rsplit(".", 1)[0]) for f in files):
            return table
    hit = _ALIASES.get(key)
    return hit if hit in names else None


def match_header(headers: list[str], year: str | None = None) -> str | None:
    """The table whose columns best fit a header row (all its columns present, or
    at least CHILD plus half of them); None when no table fits."""
    have = {_norm(h) for h in headers if str(h).strip()}
    names = catalogue.tables(year) if year else catalogue.all_tables()
    best, best_score = None, 0.0
    for table in names:
        cols = {_norm(c) for c in catalogue.columns(table)}
        if "child" not in have:
            continue
        score = len(cols & have) / len(cols) - len(have - cols) * 0.01
        if score > best_score and len(cols & have) / len(cols) >= 0.5:
            best, best_score = table, score
    return best


def complete(headers: list[str], table: str) -> bool:
    """True when the header row holds every column of ``table``."""
    return set(canonical_columns(headers, table).values()) >= set(catalogue.columns(table))


def canonical_columns(headers: list, table: str) -> dict[int, str]:
    """Map header positions (0-based) to the table's column names, ignoring case and spaces."""
    wanted = {_norm(c): c for c in catalogue.columns(table)}
    if table == "Header":
        wanted["uasc"] = "UASC"  # derived from the UASC table, but kept when a sheet has it
    out = {}
    for i, h in enumerate(headers):
        col = wanted.get(_norm(h)) if h is not None else None
        if col and col not in out.values():
            out[i] = col
    return out


def cell_text(value) -> str:
    """A cell as the text the DfE expects: dates as dd/mm/yyyy, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return "" if pd.isna(value) else _day_month_year(value)
    if isinstance(value, dt.date):
        return _day_month_year(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def _day_month_year(day: dt.date) -> str:
    """dd/mm/yyyy, as strftime writes it (which takes ten times longer); a year before 1000 is
    left to strftime, whose padding of it differs between platforms."""
    if day.year < 1000:
        return day.strftime("%d/%m/%Y")
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def build_table(name: str, header: list, body: list[list], source: str, first_row: int,
                sheet: str | None = None, first_col: int = 1) -> tuple[RawTable, list[ReadIssue]]:
    """Make a RawTable from a header row and the rows under it (cells of any type)."""
    width = len(header)
    columns = list(itertools.islice(itertools.zip_longest(*body), width))  # short rows padded with None
    columns += [(None,) * len(body)] * (width - len(columns))
    frame = pd.DataFrame({c: np.array(column_text(values), dtype=object) for c, values in enumerate(columns)},
                         index=pd.RangeIndex(len(body)), columns=range(width), dtype=object)  # text, not inferred
    return table_from_frame(name, frame, header, source, first_row, sheet, first_col)


def column_text(values: Sequence) -> Sequence[str]:
    """``cell_text`` of each value of a column, each distinct value converted once.

    A column of text (the usual case) comes back as it is. Values are told apart by type
    and value, as ``cell_text`` needs (1, 1.0 and True are equal in Python but not alike
    for every type): a column holding a single kind of value besides text and blanks is
    looked up by value alone, which is then the same thing, and done in C."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return values
    others = kinds - {str, type(None)}
    if len(others) <= 1 and not any(issubclass(t, str) for t in others):
        try:
            text = dict.fromkeys(values)
        except TypeError:  # an unhashable value
            return [cell_text(v) for v in values]
        as_text = _day_month_year if others in ({dt.date}, {dt.datetime}) else cell_text  # dates: the usual case
        for v in text:
            text[v] = v if type(v) is str else "" if v is None else as_text(v)
        return list(map(text.__getitem__, values))
    done: dict[tuple[type, object], str] = {}

    def convert(v) -> str:
        if v is None:
            return ""
        key = (type(v), v)
        try:
            text = done.get(key)
        except TypeError:  # an unhashable value
            return cell_text(v)
        if text is None:
            text = done[key] = cell_text(v)
        return text
    return [v if type(v) is str else convert(v) for v in values]


def table_from_frame(name: str, frame: pd.DataFrame, header: list, source: str, first_row: int,
                     sheet: str | None = None, first_col: int = 1,
                     rows: np.ndarray | None = None) -> tuple[RawTable, list[ReadIssue]]:
    """Make a RawTable from text cells whose columns are positions in ``header``.

    Rows whose cells are all blank are dropped; ``rows`` keeps each remaining
    row's number in the source so findings still point at the right place.
    """
    base = name.removesuffix("_last")
    mapping = canonical_columns(header, base)
    issues = []
    extra = [str(h) for i, h in enumerate(header) if i not in mapping and str(h or "").strip()]
    if extra:
        issues.append(ReadIssue(source, f"ignored column(s) not in {base}: {', '.join(extra)}", name))
    frame = frame.iloc[:, list(mapping)].set_axis(list(mapping.values()), axis=1)
    if rows is None:
        rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    data_rows = np.arange(len(frame), dtype=np.int64)
    if len(frame.columns):
        filled = _filled(frame)
        frame, rows, data_rows = frame[filled], rows[filled], data_rows[filled]
    issues += _too_long(frame, rows, source, name)
    expected = catalogue.columns(base)
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        issues.append(ReadIssue(
            source, f"table {base} is missing column(s) {', '.join(missing)}: rules that need them are skipped", name))
    ordered = [c for c in expected + ["UASC"] if c in frame.columns]
    table = RawTable(
        name=name, frame=frame[ordered].reset_index(drop=True).astype(object), source=source, rows=rows,
        cols={col: i + first_col for i, col in mapping.items()}, sheet=sheet, missing=missing,
        data_rows=data_rows,
    )
    return table, issues


def _filled(frame: pd.DataFrame) -> np.ndarray:
    """True for each row with a cell holding more than spaces; a row is settled by its first
    such cell (usually CHILD), so most rows cost one look."""
    filled = np.zeros(len(frame), dtype=bool)
    for c in range(len(frame.columns)):
        todo = np.flatnonzero(~filled)
        if not len(todo):
            break
        values = frame.iloc[:, c].to_numpy()[todo]
        try:
            filled[todo] = np.fromiter(map(bool, map(str.strip, values)), dtype=bool, count=len(values))
        except TypeError:  # a value that is not text (a padded short CSV line): counts as filled
            filled[todo] = [v.strip() != "" if isinstance(v, str) else True for v in values]
    return filled


EXCEL_MAX_CHARS = 32_767  # the most characters an Excel cell holds


def _too_long(frame: pd.DataFrame, rows: np.ndarray, source: str, name: str) -> list[ReadIssue]:
    """A note for each column holding a value longer than an Excel cell can: the rules see it
    whole, but a workbook the tool writes can only hold its start."""
    out = []
    for col in frame.columns:
        try:
            if max(map(len, frame[col].to_numpy()), default=0) <= EXCEL_MAX_CHARS:
                continue  # the usual case, settled without building a Series of lengths
        except TypeError:  # a value that is not text: counted below
            pass
        lengths = frame[col].str.len().to_numpy()
        over = np.flatnonzero(lengths > EXCEL_MAX_CHARS)
        if len(over):
            out.append(ReadIssue(source, f"{name}.{col}: {len(over)} value(s) longer than the {EXCEL_MAX_CHARS:,} "
                                         f"characters an Excel cell holds (first: row {int(rows[over[0]])}, "
                                         f"{int(lengths[over[0]]):,} characters); workbooks written from it "
                                         f"hold the first {EXCEL_MAX_CHARS:,}", name))
    return out
