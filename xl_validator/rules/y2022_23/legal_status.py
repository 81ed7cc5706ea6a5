"""Legal statuses: time limits on short orders (L1, L2, L3, J2), respite care (V3/V4)
and the placements and fields that do not go with them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import episodes_sorted, isin

RESPITE = ("V3", "V4")
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")


# --- orders with a maximum length ----------------------------------------------------


def adjacent_runs_longer_than(d, ls: str, days: int) -> np.ndarray:
    """Positions of ``ls`` episodes in a run lasting more than ``days`` days.

    A run is a chain of the child's consecutive episodes (DECOM order) with this legal
    status, each starting on the day the previous one ceased; its length is latest DEC
    minus earliest DECOM. A blank or unparseable DEC counts as collection_end.
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    pos = order["pos"].to_numpy()
    this = (e["LS"] == ls).to_numpy()[pos]
    decom = e.date("DECOM").to_numpy()[pos]
    dec = e.date("DEC").fillna(d.collection_end).to_numpy()[pos]
    has_next = ~order["last"].to_numpy()
    joins_next = np.zeros(len(pos), dtype=bool)
    joins_next[:-1] = this[:-1] & this[1:] & has_next[:-1] & (decom[1:] == dec[:-1])
    starts = this & ~np.r_[False, joins_next[:-1]]
    runs = pd.DataFrame({"run": np.cumsum(starts)[this], "DECOM": decom[this], "DEC": dec[this]})
    span = runs.groupby("run")["DEC"].transform("max") - runs.groupby("run")["DECOM"].transform("min")
    return np.sort(pos[this][(span > pd.Timedelta(days=days)).to_numpy()])


def periods_longer_than(d, ls: str, days: int) -> np.ndarray:
    """Positions of ``ls`` episodes (valid DECOM) in a period lasting more than ``days`` days.

    Within a child, ``ls`` episodes in DECOM order join one period while each starts on or
    before the latest DEC so far; a period lasts from its earliest DECOM to its latest DEC.
    A blank DEC counts as collection_end; a present but unparseable DEC counts as DECOM
    (zero days), as in the known implementation.

    Departs from the known implementation, which keeps file order (so rows out of order can
    merge separate periods) and sums episode lengths (so overlapping episodes count twice):
    the DfE message is about how long the order lasted.
    """
    e = d["Episodes"]
    decom = e.date("DECOM")
    dec = e.date("DEC").where(~e.blank("DEC"), d.collection_end).fillna(decom)
    keep = (e["LS"] == ls) & decom.notna()
    df = pd.DataFrame({"pos": e.index, "CHILD": e["CHILD"], "DECOM": decom, "DEC": dec})[keep]
    df = df.sort_values(["CHILD", "DECOM", "pos"], kind="stable")
    reach = df.groupby("CHILD")["DEC"].cummax()
    before = reach.groupby(df["CHILD"]).shift()
    period = (before.isna() | (df["DECOM"] > before)).cumsum()
    span = df.groupby(period)["DEC"].transform("max") - df.groupby(period)["DECOM"].transform("min")
    return np.sort(df["pos"][span > pd.Timedelta(days=days)].to_numpy())


@rule("361")
def police_protection_length(d):
    """Police protection (L1) lasts at most 72 hours: a run of back-to-back L1 episodes of
    more than 3 days is flagged. Only directly consecutive L1 episodes are joined (the known
    implementation also joins L1 episodes separated by another legal status)."""
    return {"Episodes": adjacent_runs_longer_than(d, "L1", 3)}


@rule("362")
def emergency_protection_length(d):
    """An emergency protection order (L2) lasts at most 21 days, measured over back-to-back
    L2 episodes. Only directly consecutive L2 episodes are joined (the known implementation
    also joins L2 episodes separated by another legal status)."""
    return {"Episodes": adjacent_runs_longer_than(d, "L2", 21)}


@rule("363")
def child_assessment_order_length(d):
    """A child assessment order (L3) lasts at most 7 days (see ``periods_longer_than``)."""
    return {"Episodes": periods_longer_than(d, "L3", 7)}


@rule("364")
def pace_detention_length(d):
    """Detention in LA accommodation under PACE (J2) lasts at most 21 days, the threshold of
    the known implementation (the message gives none; see ``periods_longer_than``)."""
    return {"Episodes": periods_longer_than(d, "J2", 21)}


# --- respite care ----------------------------------------------------------------------


@rule("365")
def respite_break_length(d):
    """A single short break (V3) lasts at most 17 days; an open one is measured to
    collection_end, a present but unparseable DEC is not measured."""
    e = d["Episodes"]
    dec = e.date("DEC").where(~e.blank("DEC"), d.collection_end)
    return {"Episodes": (e["LS"] == "V3") & (dec > e.date("DECOM") + pd.Timedelta(days=17))}


@rule("366")
def respite_break_starts_care(d):
    """Each short break (V3) is its own period of care, so it starts with RNE 'S'."""
    e = d["Episodes"]
    return {"Episodes": (e["LS"] == "V3") & (e["RNE"] != "S")}


@rule("367")
def respite_days_in_year(d):
    """At most 75 days of short breaks (V3) in 12 months, counted as nights (DEC - DECOM)
    within the collection year: DECOM before collection_start counts from collection_start,
    a blank or later DEC counts to collection_end; unparseable dates and non-positive
    lengths are not counted. Every counted V3 episode of a child over 75 days is flagged.

    The DfE message says any 12-month period; only the collection year is visible (short
    breaks from before it are not in this year's return), and within it the year's total
    is the largest of any 12-month window, so totalling the year checks the message.
    """
    e = d["Episodes"]
    start, end = d.collection_start, d.collection_end
    decom = e.date("DECOM").clip(lower=start)
    dec = e.date("DEC").where(~e.blank("DEC"), end).clip(upper=end)
    nights = (dec - decom).dt.days
    counted = (e["LS"] == "V3") & ~e.blank("DECOM") & (nights > 0)
    total = nights.where(counted, 0).groupby(e["CHILD"]).transform("sum")
    return {"Episodes": counted & (total > 75)}


@rule("378")
def placed_with_parents_not_single_s20(d):
    """A child placed with parents (P1) cannot be accommodated under a single period of s20 (V2)."""
    e = d["Episodes"]
    return {"Episodes": (e["PLACE"] == "P1") & (e["LS"] == "V2")}


@rule("382")
def respite_not_temporary_placement(d):
    """Respite care (V3/V4) cannot be in a temporary placement (T0-T4)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["LS"], RESPITE) & isin(e["PLACE"], TEMPORARY)}


@rule("384")
def respite_not_long_term_foster(d):
    """Respite care (V3/V4) cannot be in a long-term foster placement (U1/U4)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["LS"], RESPITE) & isin(e["PLACE"], ("U1", "U4"))}


def respite_only_children(d) -> set:
    """Children all of whose episodes have LS V3 or V4 (a blank LS is not respite)."""
    e = d["Episodes"]
    child = e["CHILD"]
    return set(child) - set(child[~isin(e["LS"], RESPITE)])


@rule("399")
def respite_child_fields_blank(d):
    """A child looked after only under V3/V4 has no MOTHER, review or participation entry.

    Flags the completed cells only: Header rows with MOTHER filled, Reviews rows with REVIEW
    or REVIEW_CODE filled, and that child's episodes. The known implementation cross-flags
    (every review for a MOTHER problem, the Header row for a review problem) and needs the
    Reviews table even for the MOTHER check; following the DfE message, Reviews is optional
    here and only reviews that are completed are flagged. Children with any other LS are
    exempt, as in the known implementation.
    """
    e, h = d["Episodes"], d["Header"]
    respite = respite_only_children(d)
    if not respite:
        return {}
    bad_header = h["CHILD"].isin(respite) & ~h.blank("MOTHER")
    out = {"Header": bad_header}
    bad_children = set(h["CHILD"][bad_header])
    r = d.get("Reviews")
    if r is not None:
        bad_reviews = r["CHILD"].isin(respite) & (~r.blank("REVIEW") | ~r.blank("REVIEW_CODE"))
        out["Reviews"] = bad_reviews
        bad_children |= set(r["CHILD"][bad_reviews])
    out["Episodes"] = e["CHILD"].isin(bad_children)
    return out
