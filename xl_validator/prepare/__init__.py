"""Prepared, read-only inputs for rules: every column upper-cased once, every date parsed once.

Rules receive a ``Data``; asking it for a table, column or reference input the
run does not have raises ``Missing``, which the engine reports as "skipped"
with that reason instead of a pass or a crash.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from .. import catalogue
from ..read import RawTable
from .dates import parse_dates
from .postcodes import NOT_INSTALLED, distance_miles, placement_la, placement_location, squash


class Missing(Exception):
    """An input a rule needs is absent; the message is the reason shown to the user."""


class Table:
    """One table as rules see it. Columns come back as upper-cased text ('' = blank).

    A blank CHILD is nobody: ``t["CHILD"]`` gives each such row a key of its own
    (``blank_child_key``), so no join, group or set ever pairs it with another row
    of this or any other table. ``t.blank("CHILD")`` still tells which rows they are.
    """

    def __init__(self, raw: RawTable, derive: Callable[[Table, str], pd.Series] | None = None):
        self.raw = raw
        self.name = raw.name
        self._derive = derive
        self._text: dict[str, pd.Series] = {}
        self._dates: dict[str, pd.Series] = {}

    def __len__(self) -> int:
        return len(self.raw.frame)

    def __repr__(self) -> str:
        return f"<Table {self.name}: {len(self)} rows>"

    @property
    def index(self) -> pd.RangeIndex:
        return pd.RangeIndex(len(self))

    def has(self, col: str) -> bool:
        return col in self.raw.frame.columns

    def __getitem__(self, col: str) -> pd.Series:
        s = self._text.get(col)
        if s is None:
            if col in self.raw.frame.columns:
                s = _text_map(self.raw.frame[col], str.upper)
                if col == "CHILD":
                    s = blank_child_key(s, self.name)
            elif self._derive is not None:
                s = self._derive(self, col)
            else:
                raise Missing(f"{self.name} has no column {col}")
            self._text[col] = s
        return s

    def date(self, col: str) -> pd.Series:
        """dd/mm/yyyy text parsed to datetime64; blank or unparseable is NaT."""
        s = self._dates.get(col)
        if s is None:
            s = self._dates[col] = parse_dates(self[col])
        return s

    def blank(self, col: str) -> pd.Series:
        """True where the cell is empty. A cell of spaces is not (the spec: spaces are not
        trimmed, only an empty cell is blank; the fix command trims them), except in CHILD,
        where a spaces-only value is nobody too (``blank_child_key``)."""
        key = col + "~blank"
        s = self._text.get(key)
        if s is None:
            if col == "CHILD":
                s = _text_map(self.raw.frame[col], str.strip) == ""
            else:
                text = self[col]
                s = text.isna() | text.eq("")
            self._text[key] = s
        return s

    def squashed(self, col: str) -> pd.Series:
        """A postcode column in matching form: upper case, no spaces."""
        key = col + "~squashed"
        s = self._text.get(key)
        if s is None:
            s = self._text[key] = squash(self[col])
        return s

    def number(self, col: str) -> pd.Series:
        return pd.to_numeric(self[col], errors="coerce")

    def frame(self, *cols: str) -> pd.DataFrame:
        """A new DataFrame of the given columns (text), indexed by row position."""
        return pd.DataFrame({c: self[c] for c in cols}, index=self.index)


def _text_map(values: pd.Series, method) -> pd.Series:
    """``method`` (a str method) on every cell, as ``Series.str`` would, in one pass: cells read
    from a return are all text, and this is much quicker than the ``.str`` accessor on them."""
    cells = values.to_numpy(dtype=object)
    try:
        out = np.array([method(v) for v in cells], dtype=object) if len(cells) else cells.copy()
    except TypeError:  # a cell that is not text (a table given from Python): pandas' way, NaN for it
        return getattr(values.astype(object).str, method.__name__)()
    return pd.Series(out, index=values.index, dtype=object)  # object, as .str gives: not pandas' slower str dtype


def blank_child_key(child: pd.Series, table: str) -> pd.Series:
    """CHILD with every blank (or spaces-only) value replaced by a key unique to its table and
    row, which no real CHILD can equal: the one place blank CHILDs are kept from matching."""
    blank = (child.str.strip() == "").to_numpy()
    if not blank.any():
        return child
    out = child.to_numpy(dtype=object, copy=True)
    out[blank] = [f"\x00{table}:{i}" for i in np.flatnonzero(blank)]
    return pd.Series(out, index=child.index, dtype=object)


def _ts(value) -> pd.Timestamp:
    return pd.Timestamp(value)


class Data:
    """Everything a rule may read for one run."""

    def __init__(self, tables: dict[str, RawTable], year: str, collection_start: date | None = None,
                 collection_end: date | None = None, local_authority: str | None = None,
                 providers: pd.DataFrame | None = None, postcodes=None, file_format: str = "csv"):
        self.year = catalogue.normalise_year(year)
        start, end = catalogue.collection_bounds(self.year)
        self.collection_start = _ts(collection_start or start)
        self.collection_end = _ts(collection_end or end)
        self.local_authority = (local_authority or "").strip().upper() or None
        self.file_format = file_format
        self._providers = providers
        self._postcodes = postcodes
        self._tables = {name: Table(raw, self._derived if name.startswith("Episodes") else None)
                        for name, raw in tables.items()}
        self._memo: dict[str, object] = {}

    def has(self, name: str) -> bool:
        return name in self._tables

    def get(self, name: str) -> Table | None:
        return self._tables.get(name)

    def __getitem__(self, name: str) -> Table:
        t = self._tables.get(name)
        if t is None:
            if name.endswith("_last"):
                raise Missing(f"last year's {name.removesuffix('_last')} table was not supplied")
            raise Missing(f"the return has no {name} table")
        return t

    def year_view(self, last: bool = False) -> Data:
        """This year's tables, or last year's (named without '_last', over last year's period), as a
        Data of their own that keeps what was already parsed and looked up: the Dashboard counts
        each year's return the same way without reading or looking up postcodes again."""
        view = copy.copy(self)
        view._tables = {n.removesuffix("_last"): t for n, t in self._tables.items() if n.endswith("_last") == last}
        view._memo = {k: v for k, v in self._memo.items() if k.startswith("postcodes:")}  # keyed by table
        if last:
            view.collection_start = self.collection_start - pd.DateOffset(years=1)
            view.collection_end = self.collection_end - pd.DateOffset(years=1)
        return view

    def memo(self, key: str, compute: Callable[[], object]):
        """Share a derived result between rules of one run (computed on first use)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def providers(self) -> pd.DataFrame:
        if self._providers is None:
            raise Missing("Ofsted provider lists not supplied")
        return self._providers

    @property
    def la(self) -> str:
        if not self.local_authority:
            raise Missing("local authority not given")
        return self.local_authority

    @property
    def has_postcodes(self) -> bool:
        return self._postcodes is not None

    @property
    def postcodes(self):
        if self._postcodes is None:
            raise Missing(NOT_INSTALLED)
        return self._postcodes

    def postcode_lookup(self, table: Table, col: str) -> pd.DataFrame:
        """East, north and district of each postcode in a column (NaN where not found), once per run."""
        return self.memo(f"postcodes:{table.name}:{col}", lambda: self.postcodes.lookup(table.squashed(col)))

    def _derived(self, table: Table, col: str) -> pd.Series:
        """PL_LA, PL_LOCATION (text) and PL_DISTANCE (miles, float) from the postcodes."""
        if col == "PL_LA":
            return placement_la(self.postcode_lookup(table, "PL_POST")["district"])
        if col == "PL_LOCATION":
            known = self.postcode_lookup(table, "PL_POST")["found"]
            return placement_location(table["PL_LA"], known, self.la)
        if col == "PL_DISTANCE":
            return distance_miles(self.postcode_lookup(table, "HOME_POST"), self.postcode_lookup(table, "PL_POST"))
        raise Missing(f"{table.name} has no column {col}")
