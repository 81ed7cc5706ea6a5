"""Turn a checked definition into a rule function: prepared Data in, a mask per table out,
exactly like a DfE rule. Every check works on whole columns; derived orderings are memoised."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ...prepare import Data, Table
from .definitions import Condition, DateRef, Spec


def shifted(dates: pd.Series, n: int, unit: str) -> pd.Series:
    if not n:
        return dates
    if unit == "years":
        return dates + pd.DateOffset(years=n)
    if unit == "months":
        return dates + pd.DateOffset(months=n)
    return dates + pd.Timedelta(days=n)


def _child_order(d: Data, t: Table, column: str) -> pd.DataFrame:
    """Rows with a date in ``column``, ordered by CHILD then that date; same-day rows by their
    text (never by the order they were typed in). A blank CHILD is nobody: left out."""
    def compute():
        df = pd.DataFrame({"pos": np.arange(len(t)), "CHILD": t["CHILD"].to_numpy(),
                           "date": t.date(column).to_numpy()})
        df = df[df["date"].notna() & (df["CHILD"] != "")].reset_index(drop=True)
        df["rank"] = 0
        tied = df.duplicated(["CHILD", "date"], keep=False).to_numpy()
        if tied.any():  # the rows' text, as rules.common.row_rank, but only where it decides anything
            text = t.raw.frame.iloc[df.loc[tied, "pos"].to_numpy()].astype(str).agg("\x1f".join, axis=1)
            df.loc[tied, "rank"] = pd.factorize(text, sort=True)[0]
        return df.sort_values(["CHILD", "date", "rank", "pos"], kind="stable").reset_index(drop=True)
    return d.memo(f"local:order:{t.name}:{column}", compute)


def _latest_before(d: Data, t: Table, column: str, ref: DateRef) -> pd.DataFrame:
    """For each dated row: the child's latest ``ref`` date on or before it (NaT if none), and the
    row's place (1, 2, ...) among the child's rows since that date."""
    def compute():
        rows = _child_order(d, t, column)
        other = d[ref.table]
        mask = condition_mask(d, other, ref.where) if ref.where else np.ones(len(other), dtype=bool)
        events = pd.DataFrame({"CHILD": other["CHILD"].to_numpy()[mask],
                               "since": other.date(ref.column).to_numpy()[mask]}).dropna()
        events = events[events["CHILD"] != ""].sort_values("since", kind="stable")
        left = rows.sort_values("date", kind="stable")
        joined = pd.merge_asof(left, events, left_on="date", right_on="since", by="CHILD", direction="backward")
        joined = joined.sort_values(["CHILD", "date", "rank", "pos"], kind="stable").reset_index(drop=True)
        key = joined["since"].fillna(pd.Timestamp.min)
        joined["place"] = joined.groupby([joined["CHILD"], key], sort=False).cumcount() + 1
        # The return holds only this year's rows: since a date before the year (or none at all),
        # earlier rows may be in last year's return, so these rows count as later ones, never the first.
        unknown = joined["since"].isna() | (joined["since"] < d.collection_start)
        joined.loc[unknown, "place"] += 2
        return joined
    return d.memo(f"local:since:{t.name}:{column}:{ref}:{ref.where}", compute)


def condition_mask(d: Data, t: Table, cond: Condition, column: str = "") -> np.ndarray:
    if cond.kind == "blank":
        return t.blank(cond.column).to_numpy()
    if cond.kind == "filled":
        return ~t.blank(cond.column).to_numpy()
    if cond.kind == "in":
        return t[cond.column].isin(cond.codes).to_numpy()
    placed = _latest_before(d, t, column, cond.since)
    hit = placed["place"] >= cond.n if cond.or_later else placed["place"] == cond.n
    out = np.zeros(len(t), dtype=bool)
    out[placed.loc[hit, "pos"].to_numpy()] = True
    return out


def date_of(d: Data, t: Table, ref: DateRef, column: str) -> pd.Series:
    """The compared date for every row of ``t`` (NaT where there is none)."""
    if ref.kind == "column":
        base = t.date(ref.column)
    elif ref.kind == "fixed":
        base = pd.Series(ref.fixed, index=t.index, dtype="datetime64[ns]")
    elif ref.kind in ("collection_start", "collection_end"):
        base = pd.Series(getattr(d, ref.kind), index=t.index, dtype="datetime64[ns]")
    elif ref.kind == "previous":
        order = _child_order(d, t, ref.column)
        same = order["CHILD"].eq(order["CHILD"].shift())
        prev = t.date(column).to_numpy()[order["pos"].shift().fillna(0).astype("int64").to_numpy()]
        base = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
        base.iloc[order["pos"].to_numpy()] = np.where(same, prev, np.datetime64("NaT"))
    else:  # another table: only the child's first row since each such date is measured from it
        placed = _latest_before(d, t, column, ref)
        first = placed[placed["place"] == 1]
        base = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
        base.iloc[first["pos"].to_numpy()] = first["since"].to_numpy()
    return shifted(base, ref.offset, ref.unit)


def _within(dates: pd.Series, ref: pd.Series, n: int, unit: str) -> np.ndarray:
    """True where both dates are known and more than N days / working days / months apart."""
    known = (dates.notna() & ref.notna()).to_numpy()
    out = np.zeros(len(dates), dtype=bool)
    if not known.any():
        return out
    a, b = dates.to_numpy()[known], ref.to_numpy()[known]
    if unit == "working days":  # Monday to Friday; bank holidays are not taken out
        lo, hi = np.minimum(a, b).astype("datetime64[D]"), np.maximum(a, b).astype("datetime64[D]")
        # The Nth working day after the earlier date (a weekend date counts from the Friday before).
        out[known] = hi > np.busday_offset(lo, n, roll="backward")
    elif unit == "months":
        later, earlier = pd.Series(np.maximum(a, b)), pd.Series(np.minimum(a, b))
        out[known] = (later > earlier + pd.DateOffset(months=n)).to_numpy()
    else:
        out[known] = np.abs(a - b) > np.timedelta64(n, "D")
    return out


def _fullmatch(values: pd.Series, pattern: str) -> np.ndarray:
    """Whole-value match, tested once per distinct value (codes and IDs repeat a lot)."""
    codes, uniques = pd.factorize(values)
    hit = pd.Series(uniques).str.fullmatch(pattern, case=False).fillna(False).to_numpy(bool)
    return hit[codes] if len(uniques) else np.zeros(len(values), dtype=bool)


def _duplicated(t: Table, columns: tuple[str, ...], per_child: bool) -> np.ndarray:
    keys = list(dict.fromkeys((("CHILD",) if per_child else ()) + columns))
    frame = pd.DataFrame({c: t[c].to_numpy() for c in keys})
    filled = ~np.logical_and.reduce([t.blank(c).to_numpy() for c in columns])
    if per_child:  # a blank CHILD is nobody: never the same child as another row
        filled &= ~t.blank("CHILD").to_numpy()
    return frame.duplicated(keep=False).to_numpy() & filled


def _flags(d: Data, t: Table, s: Spec) -> np.ndarray:
    """True on each row that breaks the check (before only_when is applied)."""
    cols = s.columns
    if s.check == "required":
        return np.logical_or.reduce([t.blank(c).to_numpy() for c in cols])
    if s.check in ("unique", "unique per child"):
        return _duplicated(t, cols, s.check == "unique per child")
    if s.check == "has row in":
        other, where = s.value
        o = d[other]
        keep = condition_mask(d, o, where) if where else np.ones(len(o), dtype=bool)
        present = set(o["CHILD"].to_numpy()[keep]) - {""}  # a blank CHILD is nobody
        return ~t["CHILD"].isin(present).to_numpy()
    out = np.zeros(len(t), dtype=bool)
    for c in cols:
        filled = ~t.blank(c).to_numpy()
        if s.check in ("one of", "not one of"):
            listed = t[c].isin(s.value).to_numpy()
            out |= filled & (~listed if s.check == "one of" else listed)
        elif s.check == "pattern":
            out |= filled & ~_fullmatch(t[c], s.value)
        elif s.check == "date":
            out |= filled & t.date(c).isna().to_numpy()
        elif s.check == "between":
            number = t.number(c)
            out |= filled & ~((number >= s.value[0]) & (number <= s.value[1])).to_numpy()
        elif s.window is not None:
            out |= _within(t.date(c), date_of(d, t, s.value, c), *s.window)
        else:  # on or before / on or after / before / after: both dates known
            mine, other = t.date(c), date_of(d, t, s.value, c)
            ok = {"on or before": mine <= other, "on or after": mine >= other,
                  "before": mine < other, "after": mine > other}[s.check]
            out |= (mine.notna() & other.notna() & ~ok).to_numpy()
    return out


def compile_spec(s: Spec) -> Callable[[Data], dict]:
    """The rule function for a checked definition (the same shape as a DfE rule)."""
    def local_check(d: Data) -> dict:
        t = d[s.table]
        flagged = _flags(d, t, s)
        if s.only_when is not None:
            flagged &= condition_mask(d, t, s.only_when, s.columns[0])
        return {s.table: flagged}
    local_check.__doc__ = f"{s.code}: {s.message} ({s.where})"
    local_check.code = s.code
    return local_check
