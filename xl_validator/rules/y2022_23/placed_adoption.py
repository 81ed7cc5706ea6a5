"""PlacedAdoption: decisions that a child should be placed for adoption, and their reversal."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import catalogue
from .. import rule
from .adoption import any_adoption_item

_MIN = np.iinfo(np.int64).min  # the int64 view of NaT: sorts before every real date


def _ns(dates: pd.Series) -> np.ndarray:
    """Dates as int64 nanoseconds, NaT as the smallest int64 (so max/cummax ignore it)."""
    return dates.to_numpy(dtype="datetime64[ns]").view("int64")


def latest_decision(d, name: str = "PlacedAdoption") -> np.ndarray:
    """Mask of each child's latest decision in ``name``: the row with the latest parsed
    DATE_PLACED (rows without a valid date only when the child has no dated row); on a
    tie an open row (blank DATE_PLACED_CEASED) wins, then the later row. Rows with a
    blank CHILD are never chosen (they cannot be tied to a child)."""
    def compute():
        t = d[name]
        df = pd.DataFrame({"CHILD": t["CHILD"].to_numpy(), "DP": _ns(t.date("DATE_PLACED")),
                           "open": t.blank("DATE_PLACED_CEASED").to_numpy(), "pos": np.arange(len(t))})
        df = df[~t.blank("CHILD").to_numpy()]
        df = df.sort_values(["CHILD", "DP", "open", "pos"], kind="stable")
        chosen = df["pos"].to_numpy()[~df["CHILD"].duplicated(keep="last").to_numpy()]
        mask = np.zeros(len(t), dtype=bool)
        mask[chosen] = True
        return mask
    return d.memo(f"latest_decision:{name}", compute)


def _dated(t, col: str, keep=None) -> pd.DataFrame:
    """CHILD, row position and parsed ``col`` for the rows where ``col`` is a valid date
    (and ``keep`` is true, if given)."""
    dates = t.date(col)
    ok = dates.notna() & ~t.blank("CHILD")
    if keep is not None:
        ok &= keep
    rows = np.flatnonzero(ok.to_numpy())
    return pd.DataFrame({"CHILD": t["CHILD"].to_numpy()[rows], "pos": rows, "DATE": dates.to_numpy()[rows]})


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

    The logic's notes call the multi-decision case ambiguous; following the DfE message
    (the decision behind the adoption), only decisions still in force (DATE_PLACED_CEASED
    blank) are compared. The known implementation also compares reversed earlier
    decisions and flags them although the current one matches.
    """
    pa, ad1 = d["PlacedAdoption"], d["AD1"]
    left = _dated(pa, "DATE_PLACED", keep=pa.blank("DATE_PLACED_CEASED"))
    right = _dated(ad1, "DATE_INT")
    pairs = left.merge(right, on="CHILD", suffixes=("_pa", "_ad"))
    bad = pairs[pairs["DATE_pa"] != pairs["DATE_ad"]]
    return {"PlacedAdoption": bad["pos_pa"].to_numpy(), "AD1": bad["pos_ad"].to_numpy()}


@rule("525")
def reversed_decision_not_adopted(d):
    """A child whose decision was reversed cannot have adoption details.

    Following the DfE message (the child's decision "has been reversed"), only each
    child's latest decision is tested (see ``latest_decision``): a reversed earlier
    decision followed by a new one that led to adoption passes. The known implementation
    tests every decision row. Flags the reversed decision and the AD1 rows holding any
    adoption item.
    """
    pa, ad1 = d["PlacedAdoption"], d["AD1"]
    reversed_ = latest_decision(d) & ~pa.blank("DATE_PLACED_CEASED").to_numpy()
    prow = np.flatnonzero(reversed_)
    arow = np.flatnonzero((any_adoption_item(ad1) & ~ad1.blank("CHILD")).to_numpy())
    left = pd.DataFrame({"CHILD": pa["CHILD"].to_numpy()[prow], "pa": prow})
    right = pd.DataFrame({"CHILD": ad1["CHILD"].to_numpy()[arow], "ad": arow})
    pairs = left.merge(right, on="CHILD")
    return {"PlacedAdoption": pairs["pa"].to_numpy(), "AD1": pairs["ad"].to_numpy()}


@rule("559")
def earlier_decision_in_last_return(d):
    """A decision dated before this collection year must be in last year's PlacedAdoption.

    Flags this year's rows with DATE_PLACED before collection_start whose child has no
    last-year PlacedAdoption row carrying a valid DATE_PLACED. Two choices follow the
    DfE message ("not completed in a previous return") where the notes find the known
    implementation too broad: one blank last-year row does not flag when another of the
    child's last-year rows carries the date; and a child absent from last year's
    PlacedAdoption is not flagged when last year's Header or Episodes are supplied and
    show the child was not in last year's return at all.
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    early = (pa.date("DATE_PLACED") < d.collection_start) & ~pa.blank("CHILD")
    child = pa["CHILD"]
    recorded = set(last["CHILD"][last.date("DATE_PLACED").notna()])
    flagged = early & ~child.isin(recorded)
    returned = [d.get(n) for n in ("Header_last", "Episodes_last")]
    returned = [t for t in returned if t is not None]
    if returned:
        in_last_return = set(last["CHILD"]).union(*(set(t["CHILD"]) for t in returned))
        flagged &= child.isin(in_last_return)
    return {"PlacedAdoption": flagged}


@rule("560")
def open_decision_date_unchanged(d):
    """A decision still open at the end of last year keeps its date this year.

    For each of last year's open decisions (valid DATE_PLACED, blank DATE_PLACED_CEASED)
    the child's rows this year must include one with the same date; if none does, the
    child's rows this year (all of which differ from it, blank dates included) are
    flagged. Deviations from the known implementation, per the notes: dates are compared
    as dates, not text ('1/2/2016' equals '01/02/2016'); and a child with a new decision
    besides the unchanged one is not flagged for pairing the new date with the old one.
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    still_open = _dated(last, "DATE_PLACED", keep=last.blank("DATE_PLACED_CEASED"))
    now = _dated(pa, "DATE_PLACED")
    found = still_open.merge(now[["CHILD", "DATE"]].drop_duplicates(), on=["CHILD", "DATE"],
                             how="left", indicator=True)
    lost = found.loc[found["_merge"] == "left_only", "CHILD"].unique()
    return {"PlacedAdoption": pa["CHILD"].isin(lost) & ~pa.blank("CHILD")}


@rule("561")
def ceased_decision_not_repeated(d):
    """This year's decision must not carry the date of a decision that ceased last year.

    Flags this year's rows whose DATE_PLACED equals the DATE_PLACED of one of the child's
    last-year rows with DATE_PLACED_CEASED or REASON_PLACED_CEASED filled in. Dates are
    compared as dates, following the message ("the same date"); the known implementation
    compares text, so '1/2/2016' and '01/02/2016' did not match there.
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    ended = ~last.blank("DATE_PLACED_CEASED") | ~last.blank("REASON_PLACED_CEASED")
    ceased = _dated(last, "DATE_PLACED", keep=ended)[["CHILD", "DATE"]].drop_duplicates()
    hits = _dated(pa, "DATE_PLACED").merge(ceased, on=["CHILD", "DATE"])
    return {"PlacedAdoption": hits["pos"].to_numpy()}


@rule("563")
def ceased_decision_has_start_date(d):
    """A reversed decision must give the date of the decision itself.

    The notes call the logic ambiguous; following the DfE message ("should no longer be
    placed"), either ceased item (date or reason) filled in with DATE_PLACED blank is
    flagged. The known implementation needs both ceased items.
    """
    t = d["PlacedAdoption"]
    ceased = ~t.blank("DATE_PLACED_CEASED") | ~t.blank("REASON_PLACED_CEASED")
    return {"PlacedAdoption": ceased & t.blank("DATE_PLACED")}


@rule("579")
def decisions_do_not_overlap(d):
    """A child's decisions follow one another without overlap.

    Rows of a child are ordered by DATE_PLACED (missing last); each row after the first is
    flagged when any earlier decision is still open (no valid DATE_PLACED_CEASED) or its
    DATE_PLACED is before the latest ceased date of the earlier decisions. The message
    speaks of all previous decisions, so all are checked; the known implementation only
    checks the immediately preceding one and misses e.g. C overlapping A when B lies
    inside A. Rows with a blank CHILD are not compared.
    """
    t = d["PlacedAdoption"]
    df = pd.DataFrame({"CHILD": t["CHILD"].to_numpy(), "DP": t.date("DATE_PLACED").to_numpy(),
                       "DPC": _ns(t.date("DATE_PLACED_CEASED")), "pos": np.arange(len(t))})
    df = df[~t.blank("CHILD").to_numpy()]
    df = df.sort_values(["CHILD", "DP", "pos"], kind="stable", na_position="last")
    first = ~df["CHILD"].duplicated().to_numpy()
    is_open = (df["DPC"] == _MIN).astype(int)
    groups = df["CHILD"].to_numpy()
    open_before = (is_open.groupby(groups).cumsum() - is_open).to_numpy() > 0
    ceased_upto = df["DPC"].groupby(groups).cummax().to_numpy()
    ceased_before = np.where(first, _MIN, np.roll(ceased_upto, 1))
    dp = df["DP"].to_numpy(dtype="datetime64[ns]").view("int64")
    overlap = (dp != _MIN) & (dp < ceased_before)
    flagged = ~first & (open_before | overlap)
    return {"PlacedAdoption": df["pos"].to_numpy()[flagged]}


@rule("583")
def earlier_decisions_revoked(d):
    """Every decision but the child's latest must have been revoked (DATE_PLACED_CEASED).

    The latest decision is chosen by parsed DATE_PLACED (see ``latest_decision``), as the
    notes direct: the known implementation sorted the dd/mm/yyyy text, so day-first text
    order could exempt the wrong row. A filled DATE_PLACED_CEASED counts even if it is
    not a valid date. Rows with a blank CHILD are not compared.
    """
    t = d["PlacedAdoption"]
    other = ~latest_decision(d) & ~t.blank("CHILD").to_numpy()
    return {"PlacedAdoption": other & t.blank("DATE_PLACED_CEASED").to_numpy()}


@rule("584")
def new_decision_after_ended_one(d):
    """After a decision that ended last year, this year's decision must be dated later.

    For children with a last-year decision that ended (DATE_PLACED_CEASED or
    REASON_PLACED_CEASED filled in), this year's rows are flagged when DATE_PLACED is
    missing (blank or unparseable) or on or before the latest DATE_PLACED among those
    ended decisions. Implements the intended rule stated in the notes with parsed dates;
    the known implementation compared text and mapped hits to the wrong rows.
    """
    pa, last = d["PlacedAdoption"], d["PlacedAdoption_last"]
    ended = (~last.blank("DATE_PLACED_CEASED") | ~last.blank("REASON_PLACED_CEASED")) & ~last.blank("CHILD")
    children = last["CHILD"][ended]
    latest_ended = last.date("DATE_PLACED")[ended].groupby(children.to_numpy()).max()
    bound = pd.Series(latest_ended.reindex(pa["CHILD"].to_numpy()).to_numpy(), index=pa.index)
    dp = pa.date("DATE_PLACED")
    flagged = pa["CHILD"].isin(set(children)) & (dp.isna() | (dp <= bound))
    return {"PlacedAdoption": flagged}
