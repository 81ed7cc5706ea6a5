"""Events in a child's care checked against the episodes: outcomes of children in care all
year (OC2), missing periods, motherhood, and the provider of P1 placements.

Shared helper (usable by other rules): ``periods_of_care`` (each child's periods of care
built from its episodes).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, child_in, episodes_sorted, isin
from .outcomes import birthday, is_cla


@rule("543")
def conviction_given_from_age_10(d):
    """A child in care all year (``common.continuously_looked_after``) whose 10th birthday is
    before collection_end needs CONVICTED; as the spec says, a 10th birthday on
    collection_end itself passes. Unusable DOB passes."""
    oc2 = d["OC2"]
    flag = (birthday(oc2, 10) < d.collection_end) & oc2.blank("CONVICTED") & is_cla(d, oc2)
    return {"OC2": flag}


@rule("546")
def no_health_check_from_age_5(d):
    """HEALTH_CHECK (any value, '0' included) given for a child in care all year
    (``common.continuously_looked_after``) who is 5 or over on collection_end. The DfE's
    coding limits the rule to those children, though the message does not. Unusable DOB
    passes."""
    oc2 = d["OC2"]
    return {"OC2": (birthday(oc2, 5) <= d.collection_end) & ~oc2.blank("HEALTH_CHECK") & is_cla(d, oc2)}


@rule("550")
def pr0_only_with_p1(d):
    """Provider PR0 (the child's parent) goes with placement P1 only; blank PLACE flagged."""
    e = d["Episodes"]
    return {"Episodes": (e["PLACE_PROVIDER"] == "PR0") & (e["PLACE"] != "P1")}


# --- missing periods against episodes and periods of care -----------------------------------

def periods_of_care(d) -> pd.DataFrame:
    """Each child's periods of care from its episodes with a valid DECOM, in the shared order
    (``common.episodes_sorted``): an episode starts a new period when it is the child's first
    or its DECOM is after the previous episode's DEC (a same-day start, an overlap or a missing
    previous DEC continues the period). Columns: CHILD, start (first DECOM), end (DEC of the
    period's last episode; NaT if open or unparseable)."""
    def compute():
        order = episodes_sorted(d)
        order = order[order["DECOM"].notna().to_numpy()]
        df = pd.DataFrame({"CHILD": order["CHILD"].to_numpy(), "start": order["DECOM"].to_numpy(),
                           "end": d["Episodes"].date("DEC").to_numpy()[order["pos"].to_numpy()]})
        first = ~df["CHILD"].eq(df["CHILD"].shift())
        new = first | (df["start"] > df["end"].shift())
        pid = new.cumsum()
        starts = df.loc[new.to_numpy(), ["CHILD", "start"]].reset_index(drop=True)
        ends = df["end"][~pid.eq(pid.shift(-1)).to_numpy()].reset_index(drop=True)
        return starts.assign(end=ends)
    return d.memo("care_events:periods_of_care", compute)


def missing_with(d, rows: np.ndarray, other: pd.DataFrame) -> pd.DataFrame:
    """Missing rows at ``rows`` paired with every row of ``other`` (which has CHILD) of the same
    child: MIS_START, MIS_END (dates), the Missing row's position as ``row``, other's columns."""
    m = d["Missing"]
    mis = pd.DataFrame({"CHILD": m["CHILD"].to_numpy()[rows], "MIS_START": m.date("MIS_START").to_numpy()[rows],
                        "MIS_END": m.date("MIS_END").to_numpy()[rows], "row": rows})
    return mis.merge(other, on="CHILD", how="inner")


def flagged_rows(pairs: pd.DataFrame, hit: pd.Series) -> np.ndarray:
    """Missing rows with at least one pair where ``hit`` holds."""
    return np.unique(pairs["row"].to_numpy()[hit.to_numpy()])


def unmatched_rows(pairs: pd.DataFrame, fits: pd.Series) -> np.ndarray:
    """Missing rows that have pairs but none where ``fits`` holds."""
    return np.setdiff1d(np.unique(pairs["row"].to_numpy()), flagged_rows(pairs, fits))


def _episodes(d) -> pd.DataFrame:
    """Every episode as CHILD, DECOM, DEC (dates), REC, pos."""
    e = d["Episodes"]
    return pd.DataFrame({"CHILD": e["CHILD"].to_numpy(), "DECOM": e.date("DECOM").to_numpy(),
                         "DEC": e.date("DEC").to_numpy(), "REC": e["REC"].to_numpy(), "pos": np.arange(len(e))})


@rule("575")
def missing_ends_when_placement_ends(d):
    """A missing period with no end (MIS_END blank) that began during an episode which has
    ended: MIS_START on or after its DECOM and on or before its valid DEC, as the spec says
    (so going missing on the day of a change of placement matches the episode that ended
    that day). An unparseable DEC counts as open."""
    m = d["Missing"]
    pairs = missing_with(d, np.flatnonzero(m.blank("MIS_END").to_numpy()), _episodes(d))
    inside = (pairs["DECOM"] <= pairs["MIS_START"]) & (pairs["MIS_START"] <= pairs["DEC"])
    return {"Missing": flagged_rows(pairs, inside)}


@rule("577")
def missing_ends_when_care_ceases(d):
    """A missing period (valid MIS_START) that fits none of its child's periods of care
    (``periods_of_care``). It does not fit a period when it has no end (blank or unparseable
    MIS_END) and the period has ended or began after MIS_START, or when MIS_END is after the
    period's end or before its start. Children with no period of care are not flagged."""
    m = d["Missing"]
    pairs = missing_with(d, np.flatnonzero(m.date("MIS_START").notna().to_numpy()), periods_of_care(d))
    open_ = pairs["MIS_END"].isna()
    misfit = ((open_ & (pairs["end"].notna() | (pairs["MIS_START"] < pairs["start"])))
              | (pairs["MIS_END"] > pairs["end"]) | (pairs["MIS_END"] < pairs["start"]))
    return {"Missing": unmatched_rows(pairs, ~misfit)}


@rule("578")
def missing_starts_within_care(d):
    """MIS_START outside every period of care of the child (``periods_of_care``): before a
    period's start or after its end. As the spec says, a start before care began is flagged
    too; a start on the end date passes. Blank or unparseable MIS_START and children with no
    period of care are not flagged."""
    m = d["Missing"]
    pairs = missing_with(d, np.flatnonzero(m.date("MIS_START").notna().to_numpy()), periods_of_care(d))
    outside = (pairs["MIS_START"] < pairs["start"]) | (pairs["MIS_START"] > pairs["end"])
    return {"Missing": unmatched_rows(pairs, ~outside)}


@rule("581")
def missing_within_an_episode(d):
    """A missing period of a child with episodes whose MIS_START lies in none of them (DECOM on
    or before it, DEC open or on or after it). As the spec says, a blank or unparseable
    MIS_START, a gap between episodes and a start after care ended are flagged; a child with
    no episodes is not."""
    pairs = missing_with(d, np.arange(len(d["Missing"])), _episodes(d))
    inside = (pairs["DECOM"] <= pairs["MIS_START"]) & (pairs["DEC"].isna() | (pairs["MIS_START"] <= pairs["DEC"]))
    return {"Missing": unmatched_rows(pairs, inside)}


@rule("580")
def missing_at_end_of_care_is_e8(d):
    """An episode whose DEC is the day one of the child's missing periods ended, that day being
    the child's 18th birthday (DOB of the Missing row), needs REC E8 (a blank REC flagged).
    As the spec says, only that case is checked: MIS_START is not read."""
    m = d["Missing"]
    b18 = add_years(m.date("DOB"), 18)
    rows = np.flatnonzero((m.date("MIS_END") == b18).to_numpy())
    pairs = missing_with(d, rows, _episodes(d))
    return {"Episodes": np.unique(pairs["pos"][(pairs["MIS_END"] == pairs["DEC"]) & (pairs["REC"] != "E8")])}


# --- motherhood --------------------------------------------------------------------------

def ceased_mother_blank(d, female: str):
    """607: a girl (Header SEX ``female``) who ceased to be looked after in the year (DEC
    within the year, REC filled and not X1, LS not V3/V4) needs MOTHER. Every such episode
    and the Header row (once) are flagged."""
    e, h = d["Episodes"], d["Header"]
    dec = e.date("DEC")
    ceased = ((dec >= d.collection_start) & (dec <= d.collection_end) & ~e.blank("REC")
              & (e["REC"] != "X1") & ~isin(e["LS"], ("V3", "V4")))
    girl_no_mother = (h["SEX"] == female) & h.blank("MOTHER")
    return {"Episodes": ceased & child_in(d, "Episodes", "Header", girl_no_mother),
            "Header": girl_no_mother & child_in(d, "Header", "Episodes", ceased)}


@rule("607")
def mother_given_when_care_ceased(d):
    """Female is SEX '2' before 2024/25."""
    return ceased_mother_blank(d, "2")


@rule("625")
def first_child_born_by_year_end_or_dec(d):
    """The mother's first child's birth (MC_DOB) cannot be after collection_end, nor after the
    child's latest valid DEC. As the spec says, only children with an episode that has a valid
    DEC are checked; that episode is flagged with the Header row. On a tie it is the first in
    the shared order (``common.episodes_sorted``), not the first in the file as the spec says
    (issue 8). Unusable MC_DOB passes."""
    e, h = d["Episodes"], d["Header"]
    order = episodes_sorted(d)
    dec = e.date("DEC").to_numpy()[order["pos"].to_numpy()]
    ended = pd.DataFrame({"CHILD": order["CHILD"].to_numpy(), "DEC": dec, "pos": order["pos"].to_numpy()})
    ended = (ended[~pd.isna(dec)].sort_values(["CHILD", "DEC"], ascending=[True, False], kind="stable")
             .drop_duplicates("CHILD"))
    pairs = pd.DataFrame({"CHILD": h["CHILD"].to_numpy(), "MC_DOB": h.date("MC_DOB").to_numpy(),
                          "row": np.arange(len(h))}).merge(ended, on="CHILD", how="inner")
    bad = (pairs["MC_DOB"] > d.collection_end) | (pairs["MC_DOB"] > pairs["DEC"])
    return {"Header": np.unique(pairs["row"][bad]), "Episodes": np.unique(pairs["pos"][bad])}


@rule("628")
def no_motherhood_for_care_leavers_only(d):
    """MOTHER (any value) for a care leaver (OC3 row with IN_TOUCH, ACTIV or ACCOM filled)
    who has no episode in the return."""
    e, h, oc3 = d["Episodes"], d["Header"], d["OC3"]
    leaver = ~oc3.blank("IN_TOUCH") | ~oc3.blank("ACTIV") | ~oc3.blank("ACCOM")
    child = h["CHILD"]
    return {"Header": ~h.blank("MOTHER") & ~child.isin(set(e["CHILD"])) & child.isin(set(oc3["CHILD"][leaver]))}
