"""Placements and the order of episodes: adoption placements, ages for placement types,
temporary placements, episode dates and how episodes follow one another."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, episodes_sorted, isin, lookup

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
ADOPTION = ("A3", "A4", "A5", "A6")


def _in_order(d, values: pd.Series) -> np.ndarray:
    """``values`` (indexed by row position) rearranged into the order of ``episodes_sorted``."""
    return values.to_numpy()[episodes_sorted(d)["pos"].to_numpy()]


# --- adoption ------------------------------------------------------------------------


@rule("334")
def placed_for_adoption_after_care_began(d):
    """The decision to place for adoption (AD1 DATE_INT) cannot precede the start of the
    child's latest period of care, i.e. the latest episode with RNE 'S' (ties: first in the
    file). Children whose 'S' episodes all have unusable DECOMs are not checked."""
    e, ad1 = d["Episodes"], d["AD1"]
    decom = e.date("DECOM")
    starts = pd.DataFrame({"pos": e.index, "CHILD": e["CHILD"], "DECOM": decom})[(e["RNE"] == "S") & decom.notna()]
    latest = (starts.sort_values(["DECOM", "pos"], ascending=[False, True], kind="stable")
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
    """A placement for adoption with the current foster carer(s) (A3 or A5) must follow a
    foster or adoption placement (A3-A6, U1-U6) in the child's previous episode.

    Departs from the known implementation, which tests A3 and A4: A4/A6 are adoptions by
    someone other than the current foster carer, so need no foster placement before them;
    its own comment and the DfE message mean A3/A5. The child's first episode is not checked.
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    place = e["PLACE"].to_numpy()
    prev = order["prev"].to_numpy()
    current = place[order["pos"].to_numpy()]
    before = np.where(prev >= 0, place[np.maximum(prev, 0)], "")
    allowed = ADOPTION + ("U1", "U2", "U3", "U4", "U5", "U6")
    bad = np.isin(current, ["A3", "A5"]) & (prev >= 0) & ~np.isin(before, allowed)
    return {"Episodes": np.sort(order["pos"].to_numpy()[bad])}


@rule("390")
def adopted_after_placement_for_adoption(d):
    """An episode ending in adoption (E11/E12) needs the child to have been placed for
    adoption (A3-A6).

    Follows the DfE message ("not been previously placed for adoption"): the adoption
    placement may be on the ceasing episode or on any earlier episode of the child in this
    file (the known implementation looks only at the ceasing episode's own PLACE).
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    placed = pd.Series(_in_order(d, isin(e["PLACE"], ADOPTION)).astype(int))
    ever = placed.groupby(order["CHILD"].to_numpy()).cummax().to_numpy().astype(bool)
    adopted = _in_order(d, isin(e["REC"], ("E11", "E12")))
    return {"Episodes": np.sort(order["pos"].to_numpy()[adopted & ~ever])}


# --- episode dates -------------------------------------------------------------------


@rule("353")
def episode_starts_after_1991(d):
    """No episode can start before the Children Act came into force (14/10/1991)."""
    e = d["Episodes"]
    return {"Episodes": e.date("DECOM") < pd.Timestamp(1991, 10, 14)}


@rule("354")
def episode_within_collection_year(d):
    """An episode must not cease (nor start) after the end of the collection year.

    The DfE message is about the date the episode ceased, but the known implementation
    tests only DECOM. Following the message, a DEC after collection_end is flagged; a DECOM
    after collection_end is flagged too, since such an episode cannot have ceased by then
    (and DECOM is the field the DfE highlights).
    """
    e = d["Episodes"]
    end = d.collection_end
    return {"Episodes": (e.date("DEC") > end) | (e.date("DECOM") > end)}


@rule("355")
def episode_lasts_a_day(d):
    """An episode should not start and cease on the same day.

    Follows the DfE message rather than the known implementation's text comparison: both
    dates must parse and be the same day ('1/6/2022' equals '01/06/2022'); two blank dates
    are not an episode lasting less than 24 hours and pass.
    """
    e = d["Episodes"]
    return {"Episodes": e.date("DECOM") == e.date("DEC")}


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
    """A child's earliest episode (valid DECOM; ties: first in file) starting in this
    collection year is its first episode ever, so its RNE must be 'S'."""
    e = d["Episodes"]
    order = episodes_sorted(d)
    first = order["first"] & order["DECOM"].notna() & (order["DECOM"] >= d.collection_start)
    pos = order["pos"][first].to_numpy()
    return {"Episodes": np.sort(pos[e["RNE"].to_numpy()[pos] != "S"])}


@rule("388")
def continuation_episode_follows(d):
    """REC 'X1' (a new episode begins) needs a next episode of the child starting on DEC.

    Episodes are ordered by DECOM with blank/unparseable DECOM first (as 01/01/1901); rows
    without CHILD are ignored; DEC must be a valid date. Flags X1 episodes that are the
    child's last or whose next episode starts on another day.

    The known implementation also flags a non-X1 REC when the next episode starts on DEC;
    the DfE message describes only the missing continuation, so that case is not flagged.
    """
    e = d["Episodes"]
    df = pd.DataFrame({"pos": e.index, "CHILD": e["CHILD"],
                       "DECOM": e.date("DECOM").fillna(pd.Timestamp(1901, 1, 1))})
    df = df[e["CHILD"] != ""].sort_values(["CHILD", "DECOM", "pos"], kind="stable")
    pos = df["pos"].to_numpy()
    has_next = df["CHILD"].eq(df["CHILD"].shift(-1)).to_numpy()
    next_decom = df["DECOM"].shift(-1).to_numpy()
    dec = e.date("DEC").to_numpy()[pos]
    x1 = e["REC"].to_numpy()[pos] == "X1"
    valid = ~pd.isna(dec)
    bad = x1 & valid & (~has_next | (has_next & (dec != next_decom)))
    return {"Episodes": np.sort(pos[bad])}


# --- minimum ages for placement types ------------------------------------------------


def _placed_under_age(d, place: str, years: int):
    """Episodes with PLACE ``place`` starting before the child's ``years``th birthday.

    Follows the DfE message: only DECOM and the Header DOB matter, so an open episode
    (blank DEC) is checked too, unlike the known implementation, which skips it. Children
    without a Header row or with an unusable DOB/DECOM are not checked.
    """
    e, h = d["Episodes"], d["Header"]
    dob = lookup(e["CHILD"], h, h.date("DOB"))
    birthday = add_years(pd.to_datetime(dob), years)
    return {"Episodes": (e["PLACE"] == place) & (e.date("DECOM") < birthday)}


@rule("370")
def independent_living_age(d):
    """Independent living (P2) from 15. Open episodes are checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "P2", 15)


@rule("371")
def semi_independent_living_age(d):
    """Semi-independent living (H5) from 14. Open episodes are checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "H5", 14)


@rule("372")
def youth_custody_age(d):
    """Youth custody or prison (R5) from 10. Open episodes are checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "R5", 10)


@rule("373")
def school_placement_age(d):
    """Residential school (S1) from 4. Open episodes are checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "S1", 4)


@rule("374")
def residential_employment_age(d):
    """Residential employment (P3) from 14. Open episodes are checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "P3", 14)


# --- temporary placements ------------------------------------------------------------


def _lasts_longer(d, place: str, days: int):
    """Episodes with PLACE ``place`` lasting more than ``days`` days (DEC - DECOM).

    Follows the DfE message rather than the known implementation: an open episode (blank
    DEC) is measured to collection_end, and the child's Header row / DOB are not needed
    (the known implementation joins Header and so skips children without a valid DOB).
    A DEC that is present but unparseable is not measured.
    """
    e = d["Episodes"]
    dec = e.date("DEC").where(~e.blank("DEC"), d.collection_end)
    return {"Episodes": (e["PLACE"] == place) & (dec > e.date("DECOM") + pd.Timedelta(days=days))}


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
    """At most two holiday placements (T3) in any 12 months.

    Follows the DfE message rather than the known implementation (which counts every T3
    episode in the file): T3 placements are ordered by DECOM, and when three of them start
    within 12 months (third DECOM before the first's DECOM plus one year) all three are
    flagged. A T3 episode entered with RNE 'L' (legal status change only) continues the same
    placement and is not counted again. T3 episodes with an unusable DECOM are not counted.
    """
    e = d["Episodes"]
    decom = e.date("DECOM")
    counted = (e["PLACE"] == "T3") & (e["RNE"] != "L") & decom.notna()
    df = pd.DataFrame({"pos": e.index, "CHILD": e["CHILD"], "DECOM": decom})[counted]
    df = df.sort_values(["CHILD", "DECOM", "pos"], kind="stable").reset_index(drop=True)
    third = df["DECOM"].shift(-2)
    window = (df["CHILD"].shift(-2) == df["CHILD"]) & (third < add_years(df["DECOM"], 1))
    w = window.to_numpy()
    bad = w.copy()
    bad[1:] |= w[:-1]
    bad[2:] |= w[:-2]
    return {"Episodes": np.sort(df["pos"].to_numpy()[bad])}


@rule("380")
def care_does_not_start_in_temporary_placement(d):
    """A period of care (RNE 'S') cannot start in a temporary placement (T0-T4).

    Follows the DfE message: only RNE 'S' is flagged. The known implementation flags every
    RNE other than P or B (also L, T, U and blank), which the message does not say.
    """
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], TEMPORARY) & (e["RNE"] == "S")}


@rule("381")
def care_does_not_end_in_temporary_placement(d):
    """A temporary placement (T0-T4) cannot end the period of care: REC present and not X1."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], TEMPORARY) & (e["REC"] != "X1") & ~e.blank("REC")}


def _returns_after_temporary(d, same_postcode: bool):
    """Positions of episodes ending a run of temporary placements that do not go back to
    the placement held before the run (RNE 'P', same PLACE and, if asked, same postcode).

    Follows the DfE message for consecutive temporary placements: a run of temporary
    episodes (e.g. U1, T1, T3, U1) is judged as one absence, comparing the first
    non-temporary episode after the run with the last one before it. The known
    implementation compares each episode with the one two steps back, so it flags the T3
    and the final U1 there. Runs that start the child's episodes in the file, or end them,
    are not checked.
    """
    e = d["Episodes"]
    order = episodes_sorted(d)
    pos = order["pos"].to_numpy()
    temp = isin(e["PLACE"], TEMPORARY).to_numpy()[pos]
    child = order["CHILD"]
    # position (in sorted order) of the latest non-temporary episode of the child so far
    idx = pd.Series(np.where(~temp, np.arange(len(pos)), np.nan))
    last_normal = idx.groupby(child.to_numpy()).ffill()
    before = last_normal.groupby(child.to_numpy()).shift().to_numpy()
    prev_temp = np.zeros(len(pos), dtype=bool)
    prev_temp[1:] = temp[:-1] & ~order["first"].to_numpy()[1:]
    checked = ~temp & prev_temp & ~np.isnan(before)
    b = pos[np.nan_to_num(before, nan=0).astype(int)]
    place = e["PLACE"].to_numpy()
    ok = (e["RNE"].to_numpy()[pos] == "P") & (place[pos] == place[b])
    if same_postcode:
        post = e["PL_POST"].str.replace(r"\s+", "", regex=True).to_numpy()
        ok &= post[pos] == post[b]
    return np.sort(pos[checked & ~ok])


@rule("383")
def returns_to_normal_placement(d):
    """After a temporary placement the child returns (RNE 'P') to the same placement type.
    See ``_returns_after_temporary`` for runs of temporary placements."""
    return {"Episodes": _returns_after_temporary(d, same_postcode=False)}


@rule("389")
def adult_services_transfer_age(d):
    """A child transferred to adult social care (REC E7) must be 16 or over when the episode
    ceases.

    Follows the DfE message, which is about age: an E7 episode is flagged only when DEC and
    the Header DOB are valid and DEC is before the 16th birthday. The known implementation
    also flags blank/unparseable DEC or DOB and children without a Header row; those
    missing dates are other rules' concern.
    """
    e, h = d["Episodes"], d["Header"]
    dob = pd.to_datetime(lookup(e["CHILD"], h, h.date("DOB")))
    return {"Episodes": (e["REC"] == "E7") & (e.date("DEC") < add_years(dob, 16))}
