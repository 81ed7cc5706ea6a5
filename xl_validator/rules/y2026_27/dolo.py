"""Deprivation of liberty orders (DoLo table), first collected in 2026/27.

DoLo has one row per order: CHILD, DOB (repeated), DOLO_START and DOLO_END (blank
while the order is in force). Dates are read as dd/mm/yyyy, except in 709/710, whose
spec reads them leniently (day first, any layout).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import episodes_sorted, isin
from ..y2023_24.social_workers import at, lenient_dates, neighbours


@rule("700")
def dolo_start_valid(d):
    """The start date is mandatory and must be a real date (blank is flagged)."""
    t = d["DoLo"]
    return {"DoLo": t.date("DOLO_START").isna()}


@rule("701")
def dolo_end_valid(d):
    """A non-blank end date must be a real date; blank means the order is still in force."""
    t = d["DoLo"]
    return {"DoLo": ~t.blank("DOLO_END") & t.date("DOLO_END").isna()}


@rule("702")
def dolo_ends_after_start(d):
    """An order must end after it started: an end on or before the start is flagged (the
    same day included, as the spec's logic says)."""
    t = d["DoLo"]
    return {"DoLo": t.date("DOLO_END") <= t.date("DOLO_START")}


@rule("703")
def dolo_start_not_after_year(d):
    """An order cannot start after the collection year; earlier starts are fine."""
    t = d["DoLo"]
    return {"DoLo": t.date("DOLO_START") > d.collection_end}


@rule("704")
def dolo_end_within_year(d):
    """An end date must fall inside the collection year (both ends inclusive)."""
    t = d["DoLo"]
    end = t.date("DOLO_END")
    return {"DoLo": (end < d.collection_start) | (end > d.collection_end)}


@rule("705")
def dolo_starts_after_previous_closed(d):
    """An order must not follow an open order or start before the preceding one ended, as
    the spec's logic says: each child's orders are ordered by end date (the start standing
    in for a missing or unreadable end), then start, rows with neither last, then the
    rows' text (never file order); each order but the first is compared with the one
    before it, and only the later of the pair is flagged."""
    t = d["DoLo"]
    start, end = t.date("DOLO_START"), t.date("DOLO_END")
    prev, _ = neighbours(d, "DoLo", end.fillna(start), start)
    has_prev = pd.Series(prev >= 0, index=t.index)
    prev_end = at(end, prev)
    return {"DoLo": has_prev & (prev_end.isna() | (start < prev_end))}


@rule("706")
def open_dolo_carried_over(d):
    """Every order open at the end of last year (blank DOLO_END) should appear in this
    year's return with the same CHILD and DOLO_START, compared as text, as the spec's logic
    says. The DoLo_last row is reported (the logic's row; the known implementation
    mislabels it); without DoLo_last the rule is skipped."""
    this, last = d["DoLo"], d["DoLo_last"]
    found = set(zip(this["CHILD"], this["DOLO_START"]))
    matched = np.array([k in found for k in zip(last["CHILD"], last["DOLO_START"])], dtype=bool)
    return {"DoLo_last": last.blank("DOLO_END").to_numpy() & ~matched}


def periods_of_care(d) -> pd.DataFrame:
    """Each child's periods of care: episodes with a valid DECOM, in the shared episode
    order, join one period while each starts on or before the previous one's DEC (or
    follows an open episode). Columns: CHILD, start, end (NaT while open)."""
    e = d["Episodes"]
    order = episodes_sorted(d)
    order = order[order["DECOM"].notna()]
    dec = e.date("DEC").to_numpy()
    prev_dec = pd.Series(np.where(order["prev"] >= 0, dec[order["prev"].clip(lower=0)], np.datetime64("NaT")),
                         index=order.index, dtype="datetime64[ns]")
    new = (order["prev"] < 0) | (order["DECOM"] > prev_dec)
    closes = new.shift(-1, fill_value=True).to_numpy()  # the last episode of each period
    return pd.DataFrame({"CHILD": order["CHILD"].to_numpy()[new.to_numpy()],
                         "start": order["DECOM"].to_numpy()[new.to_numpy()],
                         "end": dec[order["pos"].to_numpy()[closes]]})


@rule("707")
def dolo_within_period_of_care(d):
    """An order must fit a period of care of the child, as the spec's logic says: an open
    order (blank or unreadable DOLO_END) needs an open period that began on or before its
    start; a closed one needs a period it ends in (on or after its start and, if the
    period ended, on or before its end). Orders without a valid start and children with
    no episode with a valid DECOM are not checked."""
    t = d["DoLo"]
    start, end = t.date("DOLO_START"), t.date("DOLO_END")
    orders = pd.DataFrame({"CHILD": t["CHILD"], "S": start, "E": end, "o": np.arange(len(t))})[start.notna().to_numpy()]
    pairs = orders.merge(periods_of_care(d), on="CHILD")
    fits = ((pairs["E"].isna() & pairs["end"].isna() & (pairs["start"] <= pairs["S"]))
            | (pairs["E"].notna() & (pairs["E"] >= pairs["start"]) & (pairs["end"].isna() | (pairs["E"] <= pairs["end"]))))
    checked = pairs["o"].unique()
    fitting = pairs.loc[fits, "o"].unique()
    return {"DoLo": np.setdiff1d(checked, fitting)}


@rule("708")
def dolo_after_birth(d):
    """An order must start after the child's birth (DfE coding DOLO_START > DOB, so a start
    on the date of birth is flagged). The DOB on the DoLo row itself is used."""
    t = d["DoLo"]
    return {"DoLo": t.date("DOLO_START") <= t.date("DOB")}


def _orders_over_episodes(d) -> pd.DataFrame:
    """Pairs (order row, episode row) of the same child whose dates overlap, for orders with
    both DOLO_START and DOLO_END filled in (open orders are not checked). Dates are read
    leniently (day first, any layout); an order overlaps an episode when it starts on or
    before the episode's DEC (or the DEC is missing) and ends on or after its DECOM."""
    def compute():
        t, e = d["DoLo"], d["Episodes"]
        closed = ~t.blank("DOLO_START") & ~t.blank("DOLO_END")
        orders = pd.DataFrame({"CHILD": t["CHILD"], "S": lenient_dates(t["DOLO_START"]),
                               "E": lenient_dates(t["DOLO_END"]), "o": t.index})[closed.to_numpy()]
        eps = pd.DataFrame({"CHILD": e["CHILD"], "DECOM": lenient_dates(e["DECOM"]),
                            "DEC": lenient_dates(e["DEC"]), "e": e.index})
        pairs = orders.merge(eps, on="CHILD")
        overlap = (pairs["DEC"].isna() | (pairs["S"] <= pairs["DEC"])) & (pairs["E"] >= pairs["DECOM"])
        return pairs.loc[overlap, ["o", "e"]]
    return d.memo("dolo:orders_over_episodes", compute)


def _flag_placements(d, bad_place) -> dict:
    pairs = _orders_over_episodes(d)
    e = d["Episodes"]
    bad = pairs[bad_place(e["PLACE"]).to_numpy()[pairs["e"].to_numpy()]]
    return {"DoLo": np.unique(bad["o"].to_numpy()), "Episodes": np.unique(bad["e"].to_numpy())}


@rule("709")
def dolo_expected_placement(d):
    """While an order is in force the child is expected to be placed in K2, Z12 or Z13
    (the rule's own list; blank PLACE counts as unexpected). Both the order and the
    episode are reported.

    The known implementation reads a column PLACEMENT that Episodes does not have (so it
    stops with an error on real data); we read PLACE."""
    return _flag_placements(d, lambda place: ~isin(place, ("K2", "Z12", "Z13")))


@rule("710")
def dolo_forbidden_placement(d):
    """While an order is in force the child cannot be placed in K1, P1, R5 or K3 (the
    rule's own list). Both the order and the episode are reported.

    As for 709: PLACE is read (the known implementation reads a non-existent PLACEMENT
    column); open orders are not checked, as the spec's logic says."""
    return _flag_placements(d, lambda place: isin(place, ("K1", "P1", "R5", "K3")))
