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
                s = self._upper(col)
            elif self._derive is not None:
                s = self._derive(self, col)
            else:
                raise Missing(f"{self.name} has no column {col}")
            self._text[col] = s
        return s

    def _upper(self, col: str) -> pd.Series:
        """A column upper-cased, worked out once per distinct value (codes repeat a lot); the
        result remembers which distinct value each row holds (``text_codes``)."""
        values = self.raw.frame[col]
        codes, distinct = pd.factorize(values.to_numpy(dtype=object))
        try:
            if (codes < 0).any():
                raise TypeError  # a cell that is not text (a table given from Python): pandas' way
            upper = np.array([str.upper(v) for v in distinct], dtype=object)
        except TypeError:
            s = values.astype(object).str.upper()
            return blank_child_key(s, self.name, (s.str.strip() == "").to_numpy()) if col == "CHILD" else s
        if col != "CHILD":
            return _series(upper[codes], values, (codes, upper))
        # Empty or spaces only (what strip() takes away: isspace()). Upper-casing keeps that
        # (no character's upper case adds or removes one; checked over every code point).
        spaces = np.fromiter(map(str.isspace, distinct), dtype=bool, count=len(distinct)) | (distinct == "")
        self._text["CHILD~blank"] = pd.Series(spaces[codes], index=values.index)
        return blank_child_key(_series(upper[codes], values), self.name, spaces[codes])

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
                self.raw.frame[col]  # a table without CHILD: KeyError, as ever (not skipped as Missing)
            text = self[col]  # for a CHILD column of text, this sets its blanks too
            known = text_codes(text)
            if key in self._text:
                s = self._text[key]
            elif known is not None:
                s = pd.Series((known[1] == "")[known[0]], index=text.index)
            elif col == "CHILD":
                s = self.raw.frame[col].astype(object).str.strip() == ""
            else:
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
        """The column read as numbers (NaN where it is not one), once per distinct value."""
        text = self[col]
        known = text_codes(text)
        if known is None:
            return pd.to_numeric(text, errors="coerce")
        once = pd.to_numeric(pd.Series(known[1], dtype=object), errors="coerce")
        return pd.Series(once.to_numpy()[known[0]], index=text.index, name=text.name)

    def frame(self, *cols: str) -> pd.DataFrame:
        """A new DataFrame of the given columns (text), indexed by row position."""
        return pd.DataFrame({c: self[c] for c in cols}, index=self.index)


class _Text(pd.Series):
    """A prepared text column. Compared (``==``, ``!=``) with one text, as rules do many times
    over long columns, it compares the column's distinct values only (``text_codes``) and
    spreads the answer to the rows: the same Series pandas gives, much quicker. Anything
    worked out from it is a plain Series."""

    @property
    def _constructor(self):
        return pd.Series

    def _each_value(self, other, compare):
        known = text_codes(self) if isinstance(other, str) else None
        if known is None:
            return None
        rows, distinct = known
        return pd.Series(compare(distinct, other)[rows], index=self.index, name=self.name)

    def __eq__(self, other):
        out = self._each_value(other, np.equal)
        return super().__eq__(other) if out is None else out

    def __ne__(self, other):
        out = self._each_value(other, np.not_equal)
        return super().__ne__(other) if out is None else out


def _series(values: np.ndarray, like: pd.Series, codes: tuple | None = None) -> pd.Series:
    """Prepared text as an object Series on ``like``'s index. Its array is read-only, as it is
    shared by every rule of the run; ``codes`` (row codes, distinct values) are kept with it."""
    values.flags.writeable = False
    if codes is None:
        return pd.Series(values, index=like.index, dtype=object, copy=False)
    s = _Text(values, index=like.index, dtype=object, copy=False)
    object.__setattr__(s, "_text_codes", (values, *codes))
    return s


def text_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """(code of each row, distinct values) of a column as ``Table`` gave it, for tests over the
    distinct values only; None for any other Series."""
    known = vars(values).get("_text_codes")
    if known is None or values._values is not known[0]:
        return None
    return known[1], known[2]


def blank_child_key(child: pd.Series, table: str, blank: np.ndarray) -> pd.Series:
    """CHILD with every blank (or spaces-only: ``blank``) value replaced by a key unique to its
    table and row, which no real CHILD can equal: the one place blank CHILDs are kept from matching."""
    if not blank.any():
        return child
    out = child.to_numpy(dtype=object, copy=True)
    out[blank] = [f"\x00{table}:{i}" for i in np.flatnonzero(blank)]
    return _series(out, child)


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

    @property
    def names(self) -> list[str]:
        """The tables of this run (this year's and, when given, last year's)."""
        return list(self._tables)

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
