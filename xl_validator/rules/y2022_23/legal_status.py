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

    Within a child, ``ls`` episodes in the shared order (``common.episodes_sorted``) form a
    period while each starts on or before the DEC of the ``ls`` episode before it; a period
    lasts the sum of its episodes' DEC - DECOM, as the spec says (overlapping days count
    twice). A blank DEC counts as collection_end; a present but unparseable DEC gives the
    episode no days and ends the period.
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    pos = order["pos"].to_numpy()
    decom = e.date("DECOM").to_numpy()[pos]
    dec = e.date("DEC").where(~e.blank("DEC"), d.collection_end).to_numpy()[pos]
    keep = (e["LS"] == ls).to_numpy()[pos] & ~pd.isna(decom)
    df = pd.DataFrame({"pos": pos[keep], "CHILD": order["CHILD"].to_numpy()[keep],
                       "DECOM": decom[keep], "DEC": dec[keep]})
    prev_dec = df.groupby("CHILD", sort=False)["DEC"].shift()
    period = (~(df["DECOM"] <= prev_dec)).cumsum()
    length = (df["DEC"] - df["DECOM"]).fillna(pd.Timedelta(0)).groupby(period).transform("sum")
    return np.sort(df["pos"][length > pd.Timedelta(days=days)].to_numpy())


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

    As the spec says, the rule needs Reviews as well as Header, and flags coarsely: a filled
    MOTHER flags that Header row, all the child's reviews and its episodes; a completed review
    (REVIEW or REVIEW_CODE) flags that review, the child's Header rows and its episodes.
    Children with any other LS (a blank one included) are exempt.
    """
    e, h, r = d["Episodes"], d["Header"], d["Reviews"]
    respite = respite_only_children(d)
    mother = h["CHILD"].isin(respite) & ~h.blank("MOTHER")
    review = r["CHILD"].isin(respite) & (~r.blank("REVIEW") | ~r.blank("REVIEW_CODE"))
    mother_children, review_children = set(h["CHILD"][mother]), set(r["CHILD"][review])
    return {"Header": mother | h["CHILD"].isin(review_children),
            "Reviews": review | r["CHILD"].isin(mother_children),
            "Episodes": e["CHILD"].isin(mother_children | review_children)}
