"""Building blocks several rules share: code tests, birthdays, episode order, care in the year."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..prepare import Data, text_codes
from ..prepare.dates import DAY_NS, civil_from_days, days_from_civil, is_leap

DAY_US = 86_400 * 10**6  # microseconds in a day


def isin(values: pd.Series, codes) -> pd.Series:
    """Exact membership test (values are already upper-cased text); a column as the table gave
    it is tested once per distinct value."""
    known = text_codes(values)
    if known is None:
        return values.isin(list(codes))
    rows, distinct = known
    wanted = set(codes)
    member = np.fromiter((v in wanted for v in distinct), dtype=bool, count=len(distinct))
    return pd.Series(member[rows], index=values.index, name=values.name)


def once_per_value(fn: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """For a function of a Series whose answer for each row depends on that row's value alone:
    work it out once per distinct value (dates and codes repeat a lot) and spread it back."""
    @functools.wraps(fn)
    def each_value_once(values: pd.Series) -> pd.Series:
        codes, distinct = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
        once = fn(pd.Series(distinct, dtype=object))
        return pd.Series(once.to_numpy()[codes], index=values.index, dtype=once.dtype, name=once.name)
    return each_value_once


def add_years(dates: pd.Series, years: int) -> pd.Series:
    """Each date plus whole years; 29 February becomes 28 February in a non-leap year.
    The time of day is dropped; the result is in microseconds, as pandas' date assembly gives."""
    if dates.dtype != "datetime64[ns]" or not isinstance(years, (int, np.integer)):
        return _add_years_by_parts(dates, years)
    ns = dates.to_numpy().view(np.int64)
    known = ns != np.iinfo(np.int64).min  # NaT
    year, month, day = civil_from_days(np.where(known, ns, 0) // DAY_NS)
    year = year + years
    day = np.where((month == 2) & (day == 29) & ~is_leap(year), 28, day)
    us = np.where(known, days_from_civil(year, month, day) * DAY_US, np.iinfo(np.int64).min)
    return pd.Series(us.view("datetime64[us]"), index=dates.index)


def _add_years_by_parts(dates: pd.Series, years) -> pd.Series:
    """``add_years`` through pandas' date assembly, for any other kind of input."""
    y = dates.dt.year + years
    m, d = dates.dt.month, dates.dt.day
    out = pd.to_datetime({"year": y, "month": m, "day": d}, errors="coerce")
    leap_fix = dates.notna() & out.isna()
    if leap_fix.any():
        out[leap_fix] = pd.to_datetime({"year": y[leap_fix], "month": m[leap_fix], "day": d[leap_fix] - 1})
    return out


def age_on(dob: pd.Series, when) -> pd.Series:
    """Age in whole years on ``when`` (a Timestamp or a Series of them); NaN where unknown."""
    when = pd.Series(when, index=dob.index) if not isinstance(when, pd.Series) else when
    years = when.dt.year - dob.dt.year
    before_birthday = (when.dt.month < dob.dt.month) | ((when.dt.month == dob.dt.month) & (when.dt.day < dob.dt.day))
    return (years - before_birthday.astype(int)).where(dob.notna() & when.notna())


def equal_pairs(left, right, keep_left: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j) of every pair with ``left[i] == right[j]``, in the order a pandas merge on
    that key gives (left rows in order, each with its matches in ``right``'s order), without
    building the merged frame; ``keep_left``: a left row without a match gives one pair with
    j = -1, as a left merge keeps it. Missing values match each other, as merge matches them."""
    left, right = np.asarray(left, dtype=object), np.asarray(right, dtype=object)
    codes = pd.factorize(np.concatenate([left, right]), use_na_sentinel=False)[0]
    return pairs_by_number(codes[:len(left)], codes[len(left):], keep_left)


def pairs_by_number(left: np.ndarray, right: np.ndarray, keep_left: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``equal_pairs`` of two arrays of numbers (such as ``child_numbers``)."""
    by_number = np.argsort(right, kind="stable")
    first = np.searchsorted(right[by_number], left, side="left")
    count = np.searchsorted(right[by_number], left, side="right") - first
    n = np.maximum(count, 1) if keep_left else count
    i = np.repeat(np.arange(len(left)), n)
    j = np.repeat(first, n) + np.arange(len(i)) - np.repeat(np.cumsum(n) - n, n)
    matched = np.repeat(count, n) > 0
    j[matched] = by_number[j[matched]]
    j[~matched] = -1
    return i, j


def header_pairs(d: Data, name: str, rows=None) -> pd.DataFrame:
    """Each row of table ``name`` (of ``rows``, positions, when given; ``pos`` counts among
    them) paired with every Header row of its CHILD (``hpos``, and its ``DOB`` parsed), as the
    logic's join on CHILD pairs them: a child listed twice in Header gives two pairs, whatever
    their order. A row whose child has no Header row gives one pair with hpos -1 and DOB NaT.
    The pairs of a whole table are worked out once per run (not to be changed in place)."""
    def compute():
        mine = child_numbers(d, name)
        h = d["Header"]
        pos, hpos = pairs_by_number(mine if rows is None else mine[np.asarray(rows, dtype=np.int64)],
                                    child_numbers(d, "Header"), keep_left=True)
        dob = np.full(len(hpos), np.datetime64("NaT"), dtype="datetime64[ns]")
        found = hpos >= 0
        dob[found] = h.date("DOB").to_numpy()[hpos[found]]
        return pd.DataFrame({"pos": pos, "hpos": hpos, "DOB": dob})
    return compute() if rows is not None else d.memo(f"header_pairs:{name}", compute)


def any_header_dob(d: Data, name: str, flags) -> np.ndarray:
    """Positions of table ``name``'s rows that ``flags(pos, dob)`` flags with the DOB of any
    of the child's Header rows (see ``header_pairs``); ``pos`` has one entry per pair."""
    pairs = header_pairs(d, name)
    pos = pairs["pos"].to_numpy()
    return np.unique(pos[np.asarray(flags(pos, pairs["DOB"]), dtype=bool)])


def row_rank(d: Data, name: str) -> np.ndarray:
    """A rank of each row's whole text (identical rows share one): the last tie-break of
    every ordering, so which of two same-day rows comes first never depends on the order
    they were typed in."""
    def compute():
        frame = d[name].raw.frame
        if not len(frame) or not len(frame.columns):
            return np.zeros(len(frame), dtype=np.int64)
        rank = _rank_by_columns(frame)
        if rank is not None:
            return rank
        columns = [frame[c].astype(str).to_numpy(dtype=object) for c in frame.columns]
        text = columns[0]
        for col in columns[1:]:
            text = text + "\x1f" + col  # element-wise on object arrays: the same text as joining each row
        return pd.factorize(text, sort=True)[0].astype(np.int64)
    return d.memo(f"row_rank:{name}", compute)


_CONTROL = re.compile(r"[\x00-\x1f]")


def _rank_by_columns(frame: pd.DataFrame) -> np.ndarray | None:
    """``row_rank`` column by column, without building each row's text: the same ranks when every
    cell is text without control characters (then the rows' joined text, "\x1f" between cells,
    compares as the cells do one by one); None otherwise."""
    key, bound = np.zeros(len(frame), dtype=np.int64), 1
    for col in frame.columns:
        codes, distinct = pd.factorize(frame[col].to_numpy(dtype=object))
        if (codes < 0).any() or not all(type(v) is str for v in distinct) or _CONTROL.search("".join(distinct)):
            return None
        order = np.argsort(distinct.astype("U"), kind="stable")  # code point order, as str compares
        place = np.empty(len(order), dtype=np.int64)
        place[order] = np.arange(len(order))
        if bound * len(distinct) >= 2**62:
            _, key = np.unique(key, return_inverse=True)
            bound = int(key.max()) + 1
        key, bound = key * len(distinct) + place[codes], bound * len(distinct)
    return np.unique(key, return_inverse=True)[1].astype(np.int64)


def child_codes(d: Data, name: str) -> np.ndarray:
    """A number for each row's CHILD in table ``name``: rows of one child share it (in no
    particular order), and a missing CHILD matches nobody, as the text does."""
    def compute():
        codes = pd.factorize(d[name]["CHILD"].to_numpy(dtype=object))[0]
        missing = codes < 0
        codes[missing] = codes.max(initial=-1) + 1 + np.arange(missing.sum())
        return codes
    return d.memo(f"child_codes:{name}", compute)


def child_sort_key(d: Data, name: str) -> np.ndarray:
    """``child_numbers`` of table ``name`` as floats, NaN where CHILD is missing, so sorts put
    those rows last and groupings leave them out, as they do with the text."""
    numbers = child_numbers(d, name)
    key = numbers.astype(np.float64)
    key[np.isin(numbers, _all_child_numbers(d)["~missing"])] = np.nan
    return key


def child_in(d: Data, name: str, other: str, rows=None) -> np.ndarray:
    """For each row of table ``name``: whether its CHILD (exact text) is on some row of table
    ``other`` (of its ``rows``, a mask, when given), as ``isin`` on the CHILD columns says (a
    blank CHILD is nobody: see ``Table``)."""
    mine, theirs = child_numbers(d, name), child_numbers(d, other)
    there = np.zeros(_all_child_numbers(d)["~count"], dtype=bool)
    there[theirs if rows is None else theirs[np.asarray(rows, dtype=bool)]] = True
    return there[mine]


def child_numbers(d: Data, name: str) -> np.ndarray:
    """A number for each row's CHILD in table ``name``, the same for the same text in every
    table of the run (and for a missing CHILD, as ``isin`` matches those). Sorting, grouping
    or looking up by these instead of the text is much quicker where the order of different
    children does not matter. A table or its CHILD missing: ``Missing``, as reading it says."""
    d[name]["CHILD"]
    return _all_child_numbers(d)[name]


def _all_child_numbers(d: Data) -> dict[str, np.ndarray]:
    """``child_numbers`` of every table with a CHILD column; "~count" says how many numbers,
    "~missing" which of them stand for a missing CHILD."""
    def compute():
        names = [n for n in d.names if d[n].has("CHILD")]
        values = [d[n]["CHILD"].to_numpy(dtype=object) for n in names]
        codes, distinct = pd.factorize(np.concatenate(values) if values else np.zeros(0, dtype=object),
                                       use_na_sentinel=False)
        ends = np.cumsum([len(v) for v in values])
        return {"~count": len(distinct), "~missing": np.flatnonzero(pd.isna(distinct)),
                **dict(zip(names, np.split(codes, ends[:-1]) if names else []))}
    return d.memo("child_numbers", compute)


def episodes_sorted(d: Data, name: str = "Episodes") -> pd.DataFrame:
    """Episode positions ordered by CHILD then DECOM, with the positions of each episode's
    previous and next episode of the same child (-1 if none).

    Ties on DECOM are broken by DEC (an open episode after an ended one: it is the later
    state of care), then by the rows' text (``row_rank``); an unparseable DECOM sorts last.
    Columns: pos, CHILD, DECOM, prev, next, first (first episode of the child), last.
    """
    def compute():
        t = d[name]
        df = pd.DataFrame({"pos": np.arange(len(t)), "CHILD": t["CHILD"].to_numpy(),
                           "DECOM": t.date("DECOM").to_numpy(), "_dec": t.date("DEC").to_numpy() if t.has("DEC") else pd.NaT,
                           "_rank": row_rank(d, name)})
        df = (df.sort_values(["CHILD", "DECOM", "_dec", "_rank", "pos"], kind="stable", na_position="last")
              .drop(columns=["_dec", "_rank"]).reset_index(drop=True))
        same_prev = df["CHILD"].eq(df["CHILD"].shift())
        same_next = df["CHILD"].eq(df["CHILD"].shift(-1))
        df["prev"] = df["pos"].shift().where(same_prev, -1).astype("int64")
        df["next"] = df["pos"].shift(-1).where(same_next, -1).astype("int64")
        df["first"] = ~same_prev
        df["last"] = ~same_next
        return df
    return d.memo(f"episodes_sorted:{name}", compute)


def next_value(d: Data, values: pd.Series, name: str = "Episodes") -> pd.Series:
    """For each episode, ``values`` of the child's next episode by DECOM (NaN/NaT if none)."""
    order = episodes_sorted(d, name)
    nxt = np.full(len(values), -1, dtype=np.int64)
    nxt[order["pos"].to_numpy()] = order["next"].to_numpy()
    arr = values.to_numpy()
    out = pd.Series(arr[np.maximum(nxt, 0)], index=values.index)
    return out.where(nxt >= 0)


def previous_value(d: Data, values: pd.Series, name: str = "Episodes") -> pd.Series:
    """For each episode, ``values`` of the child's previous episode by DECOM (NaN/NaT if none)."""
    order = episodes_sorted(d, name)
    prv = np.full(len(values), -1, dtype=np.int64)
    prv[order["pos"].to_numpy()] = order["prev"].to_numpy()
    arr = values.to_numpy()
    out = pd.Series(arr[np.maximum(prv, 0)], index=values.index)
    return out.where(prv >= 0)


def continuously_looked_after(d: Data) -> set[str]:
    """Children looked after for the whole collection year (the OC2 population).

    A child qualifies when it has at least one episode in the year (DECOM on or
    before collection_end, DEC on or after collection_start or open) and none
    of its episodes shows a break: RNE 'S' with DECOM in (collection_start,
    collection_end]; a REC other than 'X1' with DEC in [collection_start,
    collection_end); or LS V3/V4 on an episode in the year.
    """
    def compute():
        in_year, broken = _care_all_year_episodes(d)
        child = d["Episodes"]["CHILD"]
        return set(child[in_year]) - set(child[broken]) - {""}  # a blank CHILD is nobody: never matched
    return d.memo("continuously_looked_after", compute)


def looked_after_all_year(d: Data, name: str) -> np.ndarray:
    """For each row of table ``name``: whether its child is in ``continuously_looked_after``
    (as ``isin`` on CHILD says), looked up by CHILD number."""
    mine = child_numbers(d, name)
    def compute():
        in_year, broken = _care_all_year_episodes(d)
        child = child_numbers(d, "Episodes")
        cla = np.zeros(_all_child_numbers(d)["~count"], dtype=bool)
        cla[child[in_year.to_numpy()]] = True
        cla[child[broken.to_numpy()]] = False
        return cla
    return d.memo("looked_after_all_year", compute)[mine]


def _care_all_year_episodes(d: Data) -> tuple[pd.Series, pd.Series]:
    """Episodes in the collection year, and episodes that break a year of care (see
    ``continuously_looked_after``)."""
    def compute():
        t = d["Episodes"]
        start, end = d.collection_start, d.collection_end
        decom, dec = t.date("DECOM"), t.date("DEC")
        in_year = (decom <= end) & ((dec >= start) | dec.isna())
        started = (t["RNE"] == "S") & (decom > start) & (decom <= end)
        ended = (t["REC"] != "X1") & (dec >= start) & (dec < end)
        respite = isin(t["LS"], ("V3", "V4")) & in_year
        t["CHILD"]
        return in_year, started | ended | respite
    return d.memo("care_all_year_episodes", compute)


def uasc_children(d: Data) -> set[str] | None:
    """Children who are or were UASC, this year or last: Header(_last).UASC '1' where Header
    has that column (derived from the UASC table for CSV, read from an XML return, whose
    UASC table also lists children with UASC 0), else a UASC(_last) row with anything
    besides CHILD filled in. None when the run has no UASC information at all, so a rule
    can be skipped rather than pass."""
    def compute():
        known, children = False, set()
        for suffix in ("", "_last"):
            header, uasc = d.get("Header" + suffix), d.get("UASC" + suffix)
            if header is not None and header.has("UASC"):
                known = True
                children |= set(header["CHILD"][header["UASC"] == "1"])
            elif uasc is not None:
                known = True
                filled = np.zeros(len(uasc), dtype=bool)
                for col in uasc.raw.frame.columns:
                    if col != "CHILD":
                        filled |= ~uasc.blank(col).to_numpy()
                children |= set(uasc["CHILD"][filled])
        return children - {""} if known else None
    return d.memo("uasc_children", compute)
