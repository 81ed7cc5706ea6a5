"""Placements and the order of episodes: adoption placements, ages for placement types,
temporary placements, episode dates and how episodes follow one another."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, child_sort_key, episodes_sorted, header_pairs, isin, row_rank

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
ADOPTION = ("A3", "A4", "A5", "A6")


# --- adoption ------------------------------------------------------------------------


@rule("334")
def placed_for_adoption_after_care_began(d):
    """The decision to place for adoption (AD1 DATE_INT) cannot precede the start of the
    child's latest period of care, i.e. the latest episode with RNE 'S'. Children whose 'S'
    episodes all have unusable DECOMs are not checked.

    Of two 'S' episodes on the same latest day, the one reported is chosen by the rows'
    text (``row_rank``), not by which comes first in the file (spec: file order), so the
    finding does not depend on row order.
    """
    e, ad1 = d["Episodes"], d["AD1"]
    decom = e.date("DECOM")
    starts = pd.DataFrame({"pos": e.index, "CHILD": e["CHILD"], "DECOM": decom,
                           "rank": row_rank(d, "Episodes")})[(e["RNE"] == "S") & decom.notna()]
    latest = (starts.sort_values(["DECOM", "rank", "pos"], ascending=[False, True, True], kind="stable")
              .drop_duplicates("CHILD").set_index("CHILD"))
    began = pd.Series(latest["DECOM"].reindex(ad1["CHILD"].to_numpy()).to_numpy(), index=ad1.index)
    bad_ad1 = ad1.date("DATE_INT") < began
    bad_children = set(ad1["CHILD"][bad_ad1])
    episodes = latest["pos"][latest.index.isin(bad_children)].to_numpy()
    return {"Episodes": np.sort(episodes), "AD1": bad_ad1}


@rule("335")
def adopted_by_foster_carer_matches_placement(d):
    """AD1 FOSTER_CARE must agree with the adoption placement of an episode ending in
    adoption: '0' contradicts placement with the current foster carer (A2/A3/A5), '1'
    contradicts the other adoption placements (A1/A4/A6). Legacy codes are harmless."""
    e, ad1 = d["Episodes"], d["AD1"]
    ending = pd.DataFrame({"pos": e.index, "CHILD": e["CHILD"], "PLACE": e["PLACE"]})[
        isin(e["REC"], ("E1", "E11", "E12"))]
    ad = pd.DataFrame({"apos": ad1.index, "CHILD": ad1["CHILD"], "FOSTER_CARE": ad1["FOSTER_CARE"]})
    pairs = ending.merge(ad, on="CHILD")
    bad = ((isin(pairs["PLACE"], ("A2", "A3", "A5")) & (pairs["FOSTER_CARE"] == "0"))
           | (isin(pairs["PLACE"], ("A1", "A4", "A6")) & (pairs["FOSTER_CARE"] == "1")))
    return {"Episodes": np.unique(pairs["pos"][bad]), "AD1": np.unique(pairs["apos"][bad])}


@rule("336")
def foster_placement_before_adoption_by_foster_carer(d):
    """An A3 or A4 placement must follow a foster or adoption placement (A3-A6, U1-U6) in the
    child's previous episode; the child's first episode is not checked.

    A3 and A4 as the spec's logic tests them: its notes think A3/A5 (the message's 'with
    current foster carers') was meant, but no DfE coding says so.

    A child none of whose DECOMs is a date is skipped: nothing orders its episodes, and the
    spec's notes say the known implementation fails on such a child (a listed departure).
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    place = e["PLACE"].to_numpy()
    prev = order["prev"].to_numpy()
    current = place[order["pos"].to_numpy()]
    before = np.where(prev >= 0, place[np.maximum(prev, 0)], "")
    allowed = ADOPTION + ("U1", "U2", "U3", "U4", "U5", "U6")
    dated = set(e["CHILD"][e.date("DECOM").notna()])
    bad = (np.isin(current, ["A3", "A4"]) & (prev >= 0) & ~np.isin(before, allowed)
           & order["CHILD"].isin(dated).to_numpy())
    return {"Episodes": np.sort(order["pos"].to_numpy()[bad])}


@rule("390")
def adopted_after_placement_for_adoption(d):
    """An episode ending in adoption (E11/E12) must itself be an adoption placement
    (A3-A6), as the DfE coding says: an adoption placement on an earlier episode does not
    count, and a blank PLACE is flagged."""
    e = d["Episodes"]
    return {"Episodes": isin(e["REC"], ("E11", "E12")) & ~isin(e["PLACE"], ADOPTION)}


# --- episode dates -------------------------------------------------------------------


@rule("353")
def episode_starts_after_1991(d):
    """No episode can start before the Children Act came into force (14/10/1991)."""
    e = d["Episodes"]
    return {"Episodes": e.date("DECOM") < pd.Timestamp(1991, 10, 14)}


@rule("354")
def episode_within_collection_year(d):
    """An episode cannot start after the end of the collection year: a valid DECOM after
    collection_end is flagged. The message speaks of the date ceased, but the rule tests
    DECOM (the field it highlights); a late DEC is rule 385's."""
    e = d["Episodes"]
    return {"Episodes": e.date("DECOM") > d.collection_end}


@rule("355")
def episode_lasts_a_day(d):
    """An episode should not start and cease on the same day: DECOM and DEC identical as
    text. Two blank dates are identical and flagged; '1/6/2022' and '01/06/2022' differ."""
    e = d["Episodes"]
    return {"Episodes": e["DECOM"] == e["DEC"]}


@rule("356")
def episode_ceases_after_start(d):
    """DEC cannot be before DECOM; same-day and open episodes pass."""
    e = d["Episodes"]
    return {"Episodes": e.date("DEC") < e.date("DECOM")}


@rule("385")
def episode_ceases_within_year(d):
    """DEC cannot be after collection_end; blank or unparseable DEC is left to other rules."""
    e = d["Episodes"]
    return {"Episodes": e.date("DEC") > d.collection_end}


@rule("357")
def first_episode_starts_care(d):
    """A child's earliest episode with a valid DECOM, when it starts in this collection
    year, is its first episode ever, so its RNE must be 'S'.

    Ties on the earliest DECOM are not settled by file order (as the spec has it) but by
    the shared order: the episode that ended first (DEC; an open one last), then, among
    episodes equal on both dates, one with RNE 'S' if any (either could be the first),
    then the rows' text. So the finding does not depend on row order.
    """
    e = d["Episodes"]
    decom = e.date("DECOM")
    df = pd.DataFrame({"pos": e.index, "CHILD": child_sort_key(d, "Episodes"), "DECOM": decom, "DEC": e.date("DEC"),
                       "not_s": e["RNE"] != "S", "rank": row_rank(d, "Episodes")})[decom.notna()]
    first = (df.sort_values(["CHILD", "DECOM", "DEC", "not_s", "rank", "pos"], kind="stable", na_position="last")
             .drop_duplicates("CHILD"))
    bad = first[(first["DECOM"] >= d.collection_start) & first["not_s"]]
    return {"Episodes": np.sort(bad["pos"].to_numpy())}


@rule("388")
def continuation_episode_follows(d):
    """REC 'X1' (a new episode begins) and a same-day next episode go together, as the
    DfE's long description has it. With a valid DEC, flagged: X1 whose next episode starts
    on another day; X1 on the child's last episode; a REC other than X1 whose next episode
    starts on DEC (care continued, so REC should be X1).

    Episodes are ordered by DECOM, a blank/unparseable one first (as 01/01/1901); ties on
    DECOM by DEC (an open episode last), then by the rows' text, never by file order alone.
    Rows without CHILD are not checked.
    """
    e = d["Episodes"]
    df = pd.DataFrame({"pos": e.index, "CHILD": child_sort_key(d, "Episodes"),
                       "DECOM": e.date("DECOM").fillna(pd.Timestamp(1901, 1, 1)), "DEC": e.date("DEC"),
                       "rank": row_rank(d, "Episodes")})
    df = df[~e.blank("CHILD")].sort_values(["CHILD", "DECOM", "DEC", "rank", "pos"], kind="stable",
                                           na_position="last")
    pos = df["pos"].to_numpy()
    has_next = df["CHILD"].eq(df["CHILD"].shift(-1)).to_numpy()
    next_decom = df["DECOM"].shift(-1).to_numpy()
    dec = df["DEC"].to_numpy()
    rec = e["REC"].to_numpy()[pos]
    x1 = rec == "X1"
    other = ~e.blank("REC").to_numpy()[pos] & ~x1
    valid = ~pd.isna(dec)
    same_day = has_next & (dec == next_decom)
    bad = valid & ((x1 & ~same_day) | (other & same_day))
    return {"Episodes": np.sort(pos[bad])}


# --- minimum ages for placement types ------------------------------------------------


def with_header_dob(d, how: str = "inner") -> pd.DataFrame:
    """Each episode position paired with the DOB of every Header row of its child
    (``header_pairs``; ``how`` 'left' keeps episodes without one, with DOB NaT). A child
    repeated in Header gives an episode several pairs; a rule flags the episode when any
    pair fails."""
    d["Episodes"], d["Header"]  # in this order: the first missing table is the one named
    pairs = header_pairs(d, "Episodes")
    if how == "left":
        return pairs
    return d.memo("placement_moves:header_dob", lambda: pairs[pairs["hpos"] >= 0].reset_index(drop=True))


def _flagged_pairs(pairs: pd.DataFrame, bad: pd.Series) -> np.ndarray:
    return np.unique(pairs["pos"].to_numpy()[bad.to_numpy()])


def _placed_under_age(d, place: str, years: int):
    """Episodes with PLACE ``place`` starting before the child's ``years``th birthday.

    The episode is checked only when DECOM, DEC and the child's Header DOB are all valid
    dates: an open episode (blank DEC) and a child without a Header row are not checked,
    although DEC plays no part in the age.
    """
    e = d["Episodes"]
    pairs = with_header_dob(d)
    pos = pairs["pos"].to_numpy()
    decom, dec = e.date("DECOM").to_numpy()[pos], e.date("DEC").to_numpy()[pos]
    birthday = add_years(pairs["DOB"], years)
    bad = (e["PLACE"].to_numpy()[pos] == place) & ~pd.isna(dec) & (decom < birthday.to_numpy())
    return {"Episodes": _flagged_pairs(pairs, pd.Series(bad))}


@rule("370")
def independent_living_age(d):
    """Independent living (P2) from 15. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "P2", 15)


@rule("371")
def semi_independent_living_age(d):
    """Semi-independent living (H5) from 14. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "H5", 14)


@rule("372")
def youth_custody_age(d):
    """Youth custody or prison (R5) from 10. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "R5", 10)


@rule("373")
def school_placement_age(d):
    """Residential school (S1) from 4. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "S1", 4)


@rule("374")
def residential_employment_age(d):
    """Residential employment (P3) from 14. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "P3", 14)


# --- temporary placements ------------------------------------------------------------


def _lasts_longer(d, place: str, days: int):
    """Episodes with PLACE ``place`` lasting more than ``days`` days (DEC - DECOM).

    Only ended episodes (valid DEC) of children with a Header row holding a valid DOB are
    measured: an open episode is not, even one already too long by collection_end.
    """
    e = d["Episodes"]
    pairs = with_header_dob(d)
    pos = pairs["pos"].to_numpy()
    long = (e["PLACE"] == place) & (e.date("DEC") > e.date("DECOM") + pd.Timedelta(days=days))
    return {"Episodes": _flagged_pairs(pairs, pd.Series(long.to_numpy()[pos]) & pairs["DOB"].notna())}


@rule("375")
def hospital_placement_length(d):
    """Temporary placement for hospitalisation (T1) up to six weeks (42 days)."""
    return _lasts_longer(d, "T1", 42)


@rule("376")
def holiday_placement_length(d):
    """Temporary placement for a foster carer's holiday (T3) up to three weeks (21 days)."""
    return _lasts_longer(d, "T3", 21)


@rule("379")
def unspecified_temporary_placement_length(d):
    """Temporary placement for another reason (T4) up to seven days."""
    return _lasts_longer(d, "T4", 7)


@rule("377")
def holiday_placements_per_year(d):
    """At most two holiday placements (T3) in any 12 months, judged on this year's file:
    a child with more than two T3 episodes has all of them flagged. Dates are not read,
    and a T3 placement split by a legal status change counts twice."""
    e = d["Episodes"]
    t3 = e["PLACE"] == "T3"
    count = t3.groupby(e["CHILD"].to_numpy()).transform("sum")
    return {"Episodes": t3 & (count.to_numpy() > 2)}


@rule("380")
def care_does_not_start_in_temporary_placement(d):
    """A temporary placement (T0-T4) is always entered by a change of placement: RNE must
    be 'P' or 'B'. So a period of care cannot start in one (RNE 'S'), and RNE L, T, U or
    blank on a temporary placement is flagged too."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], TEMPORARY) & ~isin(e["RNE"], ("P", "B"))}


@rule("381")
def care_does_not_end_in_temporary_placement(d):
    """A temporary placement (T0-T4) cannot end the period of care: REC present and not X1."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], TEMPORARY) & (e["REC"] != "X1") & ~e.blank("REC")}


def returns_after_temporary(d, same_postcode: bool) -> np.ndarray:
    """Positions of episodes that follow a temporary placement (T0-T4) without returning
    to the placement held before it: RNE not 'P', or PLACE (and, if asked, PL_POST) not
    that of the episode two back.

    Each episode is judged against the episode two back, so in U1, T1, T3, U1 both the T3
    and the final U1 are flagged (the DfE coding of 2025/26 says so). A temporary placement
    that is the child's first or last episode in the file is not checked.
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    pos = order["pos"].to_numpy()
    child = order["CHILD"].to_numpy()
    n = len(pos)
    checked = np.zeros(n, dtype=bool)
    if n > 2:
        checked[2:] = (child[2:] == child[:-2]) & isin(e["PLACE"], TEMPORARY).to_numpy()[pos[1:-1]]
    before = pos[np.maximum(np.arange(n) - 2, 0)]
    place = e["PLACE"].to_numpy()
    ok = (e["RNE"].to_numpy()[pos] == "P") & (place[pos] == place[before])
    if same_postcode:
        post = e["PL_POST"].to_numpy()
        given = ~e.blank("PLACE").to_numpy() & ~e.blank("PL_POST").to_numpy()
        ok &= (post[pos] == post[before]) & given[pos] & given[before]
    return np.sort(pos[checked & ~ok])


@rule("383")
def returns_to_normal_placement(d):
    """After a temporary placement the child returns (RNE 'P') to the same placement type
    as before it. See ``returns_after_temporary``."""
    return {"Episodes": returns_after_temporary(d, same_postcode=False)}


@rule("389")
def adult_services_transfer_age(d):
    """A child transferred to adult social care (REC E7) must be 16 or over when the episode
    ceases. An E7 episode passes only when DEC is a valid date on or after the 16th birthday,
    so a blank or unparseable DEC or DOB, or no Header row for the child, is flagged."""
    e = d["Episodes"]
    pairs = with_header_dob(d, how="left")
    pos = pairs["pos"].to_numpy()
    dec = pd.Series(e.date("DEC").to_numpy()[pos])
    old_enough = dec >= add_years(pairs["DOB"], 16)
    return {"Episodes": _flagged_pairs(pairs, pd.Series(e["REC"].to_numpy()[pos] == "E7") & ~old_enough)}
