"""PlacedAdoption: decisions that a child should be placed for adoption, and their reversal."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import catalogue
from .. import rule
from ..common import row_rank
from .adoption import any_adoption_item

_MIN = np.iinfo(np.int64).min  # the int64 view of NaT: sorts before every real date


def _ns(dates: pd.Series) -> np.ndarray:
    """Dates as int64 nanoseconds, NaT as the smallest int64 (so an undated row sorts first)."""
    return dates.to_numpy(dtype="datetime64[ns]").view("int64")


def latest_decision(d, name: str = "PlacedAdoption", dated_only: bool = False) -> np.ndarray:
    """Mask of each child's latest decision in ``name``: the row with the latest parsed
    DATE_PLACED (rows without a valid date only when the child has no dated row, and never
    with ``dated_only``); on a tie an open row (blank DATE_PLACED_CEASED) wins, as the later
    state, then the row text (``row_rank``), never file order."""
    def compute():
        t = d[name]
        dp = _ns(t.date("DATE_PLACED"))
        df = pd.DataFrame({"CHILD": t["CHILD"].to_numpy(), "DP": dp, "open": t.blank("DATE_PLACED_CEASED").to_numpy(),
                           "rank": row_rank(d, name), "pos": np.arange(len(t))})
        if dated_only:
            df = df[dp != _MIN]
        df = df.sort_values(["CHILD", "DP", "open", "rank", "pos"], kind="stable")
        chosen = df["pos"].to_numpy()[~df["CHILD"].duplicated(keep="last").to_numpy()]
        mask = np.zeros(len(t), dtype=bool)
        mask[chosen] = True
        return mask
    return d.memo(f"latest_decision:{name}:{dated_only}", compute)


def _dated(t, col: str, keep=None) -> pd.DataFrame:
    """CHILD, row position and parsed ``col`` for the rows where ``col`` is a valid date
    (and ``keep`` is true, if given)."""
    dates = t.date(col)
    ok = dates.notna()
    if keep is not None:
        ok &= keep
    rows = np.flatnonzero(ok.to_numpy())
    return pd.DataFrame({"CHILD": t["CHILD"].to_numpy()[rows], "pos": rows, "DATE": dates.to_numpy()[rows]})


def _texts(t, col: str, keep=None) -> pd.DataFrame:
    """CHILD, row position and the text of ``col`` for the rows where ``col`` is filled in
    (and ``keep`` is true, if given)."""
    ok = ~t.blank(col)
    if keep is not None:
        ok &= keep
    rows = np.flatnonzero(ok.to_numpy())
    return pd.DataFrame({"CHILD": t["CHILD"].to_numpy()[rows], "pos": rows, "TEXT": t[col].to_numpy()[rows]})


@rule("115")
def date_placed_valid(d):
    """DATE_PLACED, when given, must be a real dd/mm/yyyy date."""
    t = d["PlacedAdoption"]
    return {"PlacedAdoption": ~t.blank("DATE_PLACED") & t.date("DATE_PLACED").isna()}


@rule("116")
def date_placed_ceased_valid(d):
    """DATE_PLACED_CEASED, when given, must be a real dd/mm/yyyy date."""
    t = d["PlacedAdoption"]
    return {"PlacedAdoption": ~t.blank("DATE_PLACED_CEASED") & t.date("DATE_PLACED_CEASED").isna()}


@rule("119")
def ceased_date_and_reason_together(d):
    """A reversal needs both its date and its reason: exactly one of them blank is flagged."""
    t = d["PlacedAdoption"]
    return {"PlacedAdoption": t.blank("DATE_PLACED_CEASED") != t.blank("REASON_PLACED_CEASED")}


@rule("120")
def reason_placed_ceased_code(d):
    """REASON_PLACED_CEASED, when given, must be RD1-RD4 (lower case passes after upper-casing)."""
    t = d["PlacedAdoption"]
    col = t["REASON_PLACED_CEASED"]
    valid = col.isin(catalogue.codes("REASON_PLACED_CEASED", d.year))
    return {"PlacedAdoption": ~t.blank("REASON_PLACED_CEASED") & ~valid}


@rule("522")
def placed_not_after_ceased(d):
    """A decision cannot be reversed before it was made (same day passes; missing dates pass)."""
    t = d["PlacedAdoption"]
    return {"PlacedAdoption": t.date("DATE_PLACED_CEASED") < t.date("DATE_PLACED")}


@rule("523")
def placed_same_as_should_be_placed(d):
    """The decision to place for adoption matches AD1's DATE_INT; both rows flagged if not.

    Every dated decision of the child is compared, as the spec's logic: an older reversed
    decision is flagged even when the current one matches. Rows without a valid date are
    left out.
    """
    pa, ad1 = d["PlacedAdoption"], d["AD1"]
    pairs = _dated(pa, "DATE_PLACED").merge(_dated(ad1, "DATE_INT"), on="CHILD", suffixes=("_pa", "_ad"))
    bad = pairs[pairs["DATE_pa"] != pairs["DATE_ad"]]
    return {"PlacedAdoption": bad["pos_pa"].to_numpy(), "AD1": bad["pos_ad"].to_numpy()}


@rule("525")
def reversed_decision_not_adopted(d):
    """A child whose decision was reversed cannot have adoption details: every PlacedAdoption
    row with DATE_PLACED_CEASED filled in is flagged with the child's AD1 rows holding any
    adoption item. As the spec's logic, every decision counts, not only the latest.
    """
    pa, ad1 = d["PlacedAdoption"], d["AD1"]
    prow = np.flatnonzero((~pa.blank("DATE_PLACED_CEASED")).to_numpy())
    arow = np.flatnonzero(any_adoption_item(ad1).to_numpy())
    left = pd.DataFrame({"CHILD": pa["CHILD"].to_numpy()[prow], "pa": prow})
    right = pd.DataFrame({"CHILD": ad1["CHILD"].to_numpy()[arow], "ad": arow})
    pairs = left.merge(right, on="CHILD")
    return {"PlacedAdoption": pairs["pa"].to_numpy(), "AD1": pairs["ad"].to_numpy()}


@rule("559")
def earlier_decision_in_last_return(d):
    """A decision dated before this collection year must be in last year's PlacedAdoption.

    As the spec's logic: this year's rows with DATE_PLACED before collection_start are
    flagged when the child has no last-year PlacedAdoption row, or has one whose
    DATE_PLACED is blank or not a valid date (even beside a dated one).
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    early = pa.date("DATE_PLACED") < d.collection_start
    child = pa["CHILD"]
    undated = set(last["CHILD"][last.date("DATE_PLACED").isna()])
    return {"PlacedAdoption": early & (~child.isin(set(last["CHILD"])) | child.isin(undated))}


@rule("560")
def open_decision_date_unchanged(d):
    """A decision still open at the end of last year keeps its date this year.

    Each of this year's rows is paired with the child's last-year decisions still open
    (DATE_PLACED filled in, DATE_PLACED_CEASED blank) and flagged when its DATE_PLACED
    differs from one of them. As the spec's logic, dates are compared as text ('1/2/2016'
    differs from '01/02/2016', a blank differs from a date) and every pairing counts.
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    still_open = _texts(last, "DATE_PLACED", keep=last.blank("DATE_PLACED_CEASED"))
    now = pd.DataFrame({"CHILD": pa["CHILD"].to_numpy(), "pos": np.arange(len(pa)),
                        "NOW": pa["DATE_PLACED"].where(~pa.blank("DATE_PLACED"), "").to_numpy()})
    pairs = now.merge(still_open, on="CHILD")
    return {"PlacedAdoption": np.unique(pairs.loc[pairs["NOW"] != pairs["TEXT"], "pos_x"].to_numpy())}


@rule("561")
def ceased_decision_not_repeated(d):
    """This year's decision must not carry the date of a decision that ceased last year.

    Flags this year's rows whose DATE_PLACED is the same text as the DATE_PLACED of one of
    the child's last-year rows with DATE_PLACED_CEASED or REASON_PLACED_CEASED filled in
    (both non-blank; text, not dates, as the spec's logic: '1/2/2016' is not '01/02/2016').
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    ended = ~last.blank("DATE_PLACED_CEASED") | ~last.blank("REASON_PLACED_CEASED")
    ceased = _texts(last, "DATE_PLACED", keep=ended)[["CHILD", "TEXT"]].drop_duplicates()
    hits = _texts(pa, "DATE_PLACED").merge(ceased, on=["CHILD", "TEXT"])
    return {"PlacedAdoption": hits["pos"].to_numpy()}


@rule("563")
def ceased_decision_has_start_date(d):
    """A reversed decision (both DATE_PLACED_CEASED and REASON_PLACED_CEASED filled in) must
    give the date of the decision itself: DATE_PLACED blank is flagged. One ceased item
    alone does not count, as the spec's logic (119 reports the half-filled reversal)."""
    t = d["PlacedAdoption"]
    ceased = ~t.blank("DATE_PLACED_CEASED") & ~t.blank("REASON_PLACED_CEASED")
    return {"PlacedAdoption": ceased & t.blank("DATE_PLACED")}


@rule("579")
def decisions_do_not_overlap(d):
    """A new decision cannot start while the previous one is open or before it ceased.

    As the spec's logic, each child's rows are ordered by DATE_PLACED (missing last) and
    each row after the first is compared with the row just before it only: flagged when that
    row has no valid DATE_PLACED_CEASED, or ceased after this row's DATE_PLACED. Rows with
    the same DATE_PLACED are ordered by ceased date (an open decision last: the later state),
    then by row text (``row_rank``), never by file order.
    """
    t = d["PlacedAdoption"]
    dpc = t.date("DATE_PLACED_CEASED")
    df = pd.DataFrame({"CHILD": t["CHILD"].to_numpy(), "DP": t.date("DATE_PLACED").to_numpy(),
                       "DPC": dpc.to_numpy(), "rank": row_rank(d, "PlacedAdoption"), "pos": np.arange(len(t))})
    df = df.sort_values(["CHILD", "DP", "DPC", "rank", "pos"], kind="stable", na_position="last")
    later = df["CHILD"].eq(df["CHILD"].shift()).to_numpy()
    prev_ceased = df["DPC"].shift()
    still_open = prev_ceased.isna().to_numpy()
    overlap = (df["DP"] < prev_ceased).to_numpy()
    return {"PlacedAdoption": df["pos"].to_numpy()[later & (still_open | overlap)]}


@rule("583")
def earlier_decisions_revoked(d):
    """Every decision but the child's latest must have been revoked (DATE_PLACED_CEASED).

    As the spec's logic records, the latest decision is the one whose DATE_PLACED text sorts
    last (dd/mm/yyyy compared as text, so the day decides first; a blank only when the child
    has nothing else), which can exempt a row that is not the latest by date: the notes call
    that a bug, but no DfE coding says otherwise. Rows with the same text: an open decision is
    the later, then the row text (``row_rank``). A filled DATE_PLACED_CEASED counts even if
    it is not a valid date.
    """
    t = d["PlacedAdoption"]
    open_ = t.blank("DATE_PLACED_CEASED").to_numpy()
    df = pd.DataFrame({"CHILD": t["CHILD"].to_numpy(), "DP": t["DATE_PLACED"].to_numpy(), "open": open_,
                       "rank": row_rank(d, "PlacedAdoption"), "pos": np.arange(len(t))})
    df = df.sort_values(["CHILD", "DP", "open", "rank", "pos"], kind="stable")
    latest = np.zeros(len(t), dtype=bool)
    latest[df["pos"].to_numpy()[~df["CHILD"].duplicated(keep="last").to_numpy()]] = True
    return {"PlacedAdoption": ~latest & open_}


@rule("584")
def new_decision_after_ended_one(d):
    """After a decision that ended last year, this year's decision must be dated later.

    For children with a last-year decision that ended (DATE_PLACED_CEASED or
    REASON_PLACED_CEASED filled in), this year's rows are flagged when DATE_PLACED is blank
    or on or before the DATE_PLACED of one of those ended decisions. The intended rule the
    spec states, with parsed dates (the known implementation compared text and mapped hits
    to the wrong rows); an unparseable DATE_PLACED is neither blank nor comparable, so passes.
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    ended = ~last.blank("DATE_PLACED_CEASED") | ~last.blank("REASON_PLACED_CEASED")
    children = last["CHILD"][ended]
    latest_ended = last.date("DATE_PLACED")[ended].groupby(children.to_numpy()).max()
    bound = pd.Series(latest_ended.reindex(pa["CHILD"].to_numpy()).to_numpy(), index=pa.index)
    flagged = pa["CHILD"].isin(set(children)) & (pa.blank("DATE_PLACED") | (pa.date("DATE_PLACED") <= bound))
    return {"PlacedAdoption": flagged}
