"""Episodes: valid codes and dates, how episodes follow each other, and the checks that
read a child's episode history (SDQ scores for children in care all year, a previous
adoption from care, a mother's status).

Code lists are the ones the rules hard-code. Text is upper-cased on loading, so a
lower-case code ('s', 'c2', 'n1') passes these rules (the spec's lower-case flag
examples describe the raw file, before that step); spaces are not trimmed, so ' S'
is flagged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, child_sort_key, episodes_sorted, isin, looked_after_all_year

RNE_CODES = ("S", "P", "L", "T", "U", "B")
LS_CODES = ("C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3")
CIN_CODES = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
REC_CODES = ("E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48",
             "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1")
ADOPTED = ("E11", "E12")


def filled_but_invalid(t, col: str, codes) -> pd.Series:
    """A filled-in cell whose value is not one of ``codes`` (blank cells pass)."""
    return ~t.blank(col) & ~isin(t[col], codes)


def filled_but_not_a_date(t, col: str) -> pd.Series:
    return ~t.blank(col) & t.date(col).isna()


@rule("141")
def decom_is_a_date(d):
    e = d["Episodes"]
    return {"Episodes": filled_but_not_a_date(e, "DECOM")}


@rule("142")
def earlier_episode_has_ended(d):
    """Every dated episode except the child's final one must have DEC and REC.

    The final episode is the last in the shared order (``common.episodes_sorted``): latest
    DECOM, an undated row after every dated one (as the spec says, so an undated row can make
    the real latest episode look unfinished), ties by DEC (an open episode last) then by the
    rows' text, never by file order."""
    e = d["Episodes"]
    order = episodes_sorted(d)
    not_final = np.zeros(len(e), dtype=bool)
    not_final[order["pos"].to_numpy()] = ~order["last"].to_numpy()
    unfinished = e.date("DEC").isna() | e.blank("REC")
    return {"Episodes": not_final & e.date("DECOM").notna().to_numpy() & unfinished.to_numpy()}


@rule("143")
def rne_code(d):
    e = d["Episodes"]
    return {"Episodes": filled_but_invalid(e, "RNE", RNE_CODES)}


@rule("144")
def legal_status_code(d):
    e = d["Episodes"]
    return {"Episodes": filled_but_invalid(e, "LS", LS_CODES)}


@rule("145")
def category_of_need_code(d):
    e = d["Episodes"]
    return {"Episodes": filled_but_invalid(e, "CIN", CIN_CODES)}


@rule("147")
def dec_is_a_date(d):
    e = d["Episodes"]
    return {"Episodes": filled_but_not_a_date(e, "DEC")}


@rule("148")
def dec_and_rec_together(d):
    """Only blankness matters: an unparseable DEC or unknown REC counts as filled in."""
    e = d["Episodes"]
    return {"Episodes": e.blank("DEC") != e.blank("REC")}


@rule("149")
def reason_ceased_code(d):
    """E4a/E4b arrive upper-cased as E4A/E4B and pass."""
    e = d["Episodes"]
    return {"Episodes": filled_but_invalid(e, "REC", REC_CODES)}


def _oc2_children_not_in_care_all_year(d) -> tuple[object, pd.Series]:
    oc2 = d["OC2"]
    d["Episodes"]  # the care history is required: skip, rather than pass, without it
    return oc2, ~looked_after_all_year(d, "OC2")


@rule("185")
def sdq_score_only_for_children_in_care_all_year(d):
    oc2, not_cla = _oc2_children_not_in_care_all_year(d)
    return {"OC2": ~oc2.blank("SDQ_SCORE") & not_cla}


@rule("186")
def sdq_score_or_reason_for_children_in_care_all_year(d):
    """Ages use the OC2 DOB; a reason for no score (SDQ_REASON) is accepted in place of
    a score, as in the DfE's guidance. Unknown DOB is never flagged."""
    oc2 = d["OC2"]
    d["Episodes"]
    dob = oc2.date("DOB")
    aged = (add_years(dob, 4) <= d.collection_start) & (add_years(dob, 17) > d.collection_end)
    cla = looked_after_all_year(d, "OC2")
    return {"OC2": aged & cla & oc2.blank("SDQ_SCORE") & oc2.blank("SDQ_REASON")}


@rule("198")
def sdq_reason_only_for_children_in_care_all_year(d):
    oc2, not_cla = _oc2_children_not_in_care_all_year(d)
    return {"OC2": ~oc2.blank("SDQ_REASON") & not_cla}


def _dated_episodes(d, name: str, year: int) -> pd.DataFrame:
    """Dated episodes of one year's table in the shared order (``common.episodes_sorted``),
    with that order as ``seq``; CHILD as a number (``child_sort_key``), the same in both years."""
    t = d[name]
    order = episodes_sorted(d, name)
    pos = order["pos"].to_numpy()
    df = pd.DataFrame({"CHILD": child_sort_key(d, name)[pos], "DECOM": order["DECOM"].to_numpy(),
                       "adopted": isin(t["REC"], ADOPTED).to_numpy()[pos], "pos": pos,
                       "seq": np.arange(len(order)), "year": year})
    return df[df["DECOM"].notna().to_numpy()]


@rule("199")
def episode_after_adoption(d):
    """Flags this year's episodes that come after a child's first adoption episode
    (REC E11/E12), looking at last year's episodes too when they are supplied.

    Episodes are ordered by DECOM (undated ones ignored), as the logic says. It leaves the
    order of equal DECOMs open (its notes say so); here this year's rows come first, then
    the shared order (DEC, then the rows' text), never file order. So an adoption episode
    that this year's file repeats from last year's is judged by this year's copy and is not
    flagged as following itself.
    """
    now = _dated_episodes(d, "Episodes", 1)
    parts = [now]
    if d.get("Episodes_last") is not None:
        parts.insert(0, _dated_episodes(d, "Episodes_last", 0))
    both = pd.concat(parts, ignore_index=True).sort_values(["CHILD", "DECOM", "year", "seq"],
                                                           ascending=[True, True, False, True], kind="stable")
    earlier_adoptions = both.groupby("CHILD", sort=False)["adopted"].cumsum() - both["adopted"]
    hit = both.loc[(earlier_adoptions > 0) & (both["year"] == 1), "pos"]
    return {"Episodes": hit.to_numpy()}


@rule("207")
def still_a_mother(d):
    """A child recorded as a mother (MOTHER '1') last year must still be one this year,
    when she has episodes this year. Only changes away from '1' are flagged."""
    h, last, e = d["Header"], d["Header_last"], d["Episodes"]
    mothers_last_year = last["CHILD"][last["MOTHER"] == "1"]
    mask = h["CHILD"].isin(mothers_last_year) & h["CHILD"].isin(e["CHILD"]) & (h["MOTHER"] != "1")
    return {"Header": mask}
