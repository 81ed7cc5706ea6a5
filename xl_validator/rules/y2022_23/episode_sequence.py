"""Episodes: codes that must agree within an episode, and how each episode follows the previous one."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ...prepare import text_codes
from ..common import add_years, episodes_sorted, header_pairs, isin, previous_value

PLACEMENT_FIELDS = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")
# Every REC that ends the period of care (all but X1), as rule 432 lists them.
CARE_ENDS = ("E2", "E3", "E4A", "E4B", "E5", "E6", "E7", "E8", "E9", "E11", "E12", "E13", "E14",
             "E15", "E16", "E17", "E41", "E45", "E46", "E47", "E48")


def has_previous(d, name: str = "Episodes") -> np.ndarray:
    """True for each episode that has an earlier episode of the same child (DECOM order)."""
    order = episodes_sorted(d, name)
    out = np.zeros(len(order), dtype=bool)
    out[order["pos"].to_numpy()] = ~order["first"].to_numpy()
    return out


def previous_text(d, col: str) -> pd.Series:
    """The previous episode's ``col`` text for each episode ('' stays '', NaN when no previous),
    once per run (several rules compare with it: not to be changed in place)."""
    return d.memo(f"previous_text:{col}", lambda: previous_value(d, d["Episodes"][col]))


def same_as_previous(d, col: str, blank_equal: bool = True) -> pd.Series:
    """Whether ``col`` equals the previous episode's value (False when there is no previous one),
    once per run (not to be changed in place)."""
    def compute():
        cur = d["Episodes"][col]
        known = text_codes(cur)
        if known is None:
            prev = previous_text(d, col)
            same = cur.eq(prev)
            if not blank_equal:
                same &= cur != ""
            return same & prev.notna()
        text = pd.factorize(known[1])[0][known[0]]  # one number per text, for each row
        order = episodes_sorted(d)
        prev = np.full(len(cur), -1, dtype=np.int64)
        prev[order["pos"].to_numpy()] = order["prev"].to_numpy()
        same = (prev >= 0) & (text == text[np.maximum(prev, 0)])
        if not blank_equal:
            same &= (cur != "").to_numpy()
        return pd.Series(same, index=cur.index)
    return d.memo(f"same_as_previous:{col}:{blank_equal}", compute)


# --- codes that must agree within one episode -------------------------------------------------


@rule("407")
def sgo_not_after_18(d):
    """An SGO ending care (E45-E48) after the 18th birthday is impossible; DEC on the
    birthday itself passes (DEC > DOB + 18 years), as the spec's logic says. Each episode
    is joined to every Header row of its child; a failing pair flags both."""
    e = d["Episodes"]
    pairs = header_pairs(d, "Episodes")
    pos = pairs["pos"].to_numpy()
    sgo = isin(e["REC"], ("E45", "E46", "E47", "E48")).to_numpy()[pos]
    bad = sgo & (e.date("DEC").to_numpy()[pos] > add_years(pairs["DOB"], 18)).to_numpy()
    return {"Episodes": np.unique(pos[bad]), "Header": np.unique(pairs["hpos"].to_numpy()[bad])}


@rule("408")
def placement_order_recorded_for_adoption_placement(d):
    """A5/A6 placements need legal status E1 (placement order)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], ("A5", "A6")) & (e["LS"] != "E1")}


@rule("426")
def respite_v3_and_v4_not_both(d):
    """A child cannot have both V3 and V4 respite episodes in the same return; all of them are flagged."""
    e = d["Episodes"]
    ls = e["LS"]
    v3 = set(e["CHILD"][ls == "V3"])
    v4 = set(e["CHILD"][ls == "V4"])
    return {"Episodes": isin(ls, ("V3", "V4")) & isin(e["CHILD"], v3 & v4)}


@rule("445")
def d1_not_after_2005(d):
    """Freeing orders (D1) ended in 2005: no episode starting after 31/12/2005 may use D1."""
    e = d["Episodes"]
    return {"Episodes": (e["LS"] == "D1") & (e.date("DECOM") > pd.Timestamp(2005, 12, 31))}


@rule("446")
def e1_not_before_december_2005(d):
    """Placement orders (E1) began in December 2005: no episode starting before then may use E1."""
    e = d["Episodes"]
    return {"Episodes": (e["LS"] == "E1") & (e.date("DECOM") < pd.Timestamp(2005, 12, 1))}


@rule("451")
def d1_not_still_open(d):
    """An open D1 episode (no DEC and no REC) means the child is still freed for adoption.
    Any text in DEC or REC, even an invalid date, counts as present."""
    e = d["Episodes"]
    return {"Episodes": (e["LS"] == "D1") & e.blank("DEC") & e.blank("REC")}


@rule("442")
def upn_given(d):
    """A child with any episode other than V3/V4 respite must have a UPN (any non-blank value)."""
    e, h = d["Episodes"], d["Header"]
    needs = set(e["CHILD"][~isin(e["LS"], ("V3", "V4"))])
    return {"Header": h.blank("UPN") & isin(h["CHILD"], needs)}


@rule("516")
def sgo_to_foster_carer_from_foster_placement(d):
    """An SGO to former foster carers (E45/E46) must end a foster placement (U1-U6)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["REC"], ("E45", "E46"))
            & ~isin(e["PLACE"], ("U1", "U2", "U3", "U4", "U5", "U6"))}


def provider_required(d, exempt: tuple[str, ...]):
    """Flag episodes with no PLACE_PROVIDER unless the placement needs none."""
    e = d["Episodes"]
    return {"Episodes": e.blank("PLACE_PROVIDER") & ~isin(e["PLACE"], exempt)}


@rule("526")
def placement_provider_given(d):
    """Every placement except T0-T4 and Z1 needs a provider code (a blank PLACE is not exempt)."""
    return provider_required(d, ("T0", "T1", "T2", "T3", "T4", "Z1"))


def provider_not_with(d, provider: str, places: tuple[str, ...]):
    """Flag episodes whose PLACE_PROVIDER is ``provider`` and PLACE one of ``places``."""
    e = d["Episodes"]
    return {"Episodes": (e["PLACE_PROVIDER"] == provider) & isin(e["PLACE"], places)}


@rule("527")
def pr1_not_with_p1_r2_r5(d):
    """The child's own LA (PR1) cannot provide placements P1, R2 or R5."""
    return provider_not_with(d, "PR1", ("P1", "R2", "R5"))


@rule("528")
def pr2_not_with_p1_r2_r5(d):
    """Another LA (PR2) cannot provide placements P1, R2 or R5."""
    return provider_not_with(d, "PR2", ("P1", "R2", "R5"))


@rule("529")
def pr3_not_with_family_or_adoption_placements(d):
    """Other public bodies (PR3) cannot provide P1, A3-A6, K1, K2 or U1-U6 placements."""
    return provider_not_with(d, "PR3", ("A3", "A4", "A5", "A6", "K1", "K2", "P1",
                                        "U1", "U2", "U3", "U4", "U5", "U6"))


@rule("530")
def pr4_not_with_p1(d):
    """A private provider (PR4) cannot provide a P1 placement (with parents)."""
    return provider_not_with(d, "PR4", ("P1",))


@rule("531")
def pr5_not_with_p1(d):
    """A voluntary/third sector provider (PR5) cannot provide a P1 placement (with parents)."""
    return provider_not_with(d, "PR5", ("P1",))


@rule("521")
def adoption_decision_before_adoption_placement(d):
    """The decision that the child should be placed for adoption (AD1 DATE_INT) cannot be after
    any A3-A6 placement began.

    Each A3-A6 episode is compared with every AD1 row of the child without a cross join: an
    episode is flagged when its DECOM is before the child's latest DATE_INT, an AD1 row when its
    DATE_INT is after the child's earliest A3-A6 DECOM (the same pairs the pairwise test finds).
    """
    e, a = d["Episodes"], d["AD1"]
    adoption = isin(e["PLACE"], ("A3", "A4", "A5", "A6"))
    decom = e.date("DECOM")
    date_int = a.date("DATE_INT")
    latest_int = date_int.groupby(a["CHILD"].to_numpy()).max()
    earliest_placed = decom[adoption].groupby(e["CHILD"][adoption].to_numpy()).min()
    ep_limit = pd.Series(latest_int.reindex(e["CHILD"].to_numpy()).to_numpy(), index=e.index)
    ad_limit = pd.Series(earliest_placed.reindex(a["CHILD"].to_numpy()).to_numpy(), index=a.index)
    return {"Episodes": adoption & (decom < ep_limit), "AD1": date_int > ad_limit}


# --- how each episode follows the previous one of the same child ------------------------------


@rule("431")
def new_period_not_same_day_as_previous_end(d):
    """An episode starting a new period of care (RNE S) cannot start on or before the day the
    previous episode ended: a same-day start is a continuation (another RNE), an earlier one an
    overlap. An open or undated previous episode is not compared."""
    e = d["Episodes"]
    prev_dec = previous_value(d, e.date("DEC"))
    return {"Episodes": (e["RNE"] == "S") & (e.date("DECOM") <= prev_dec)}


@rule("432")
def new_period_after_care_ended(d):
    """After an episode whose REC ended care (every code but X1), the next episode must be RNE S."""
    e = d["Episodes"]
    prev_rec = previous_text(d, "REC")
    return {"Episodes": isin(prev_rec, CARE_ENDS) & (e["RNE"] != "S")}


@rule("433")
def continuation_starts_when_previous_ended(d):
    """A continuation episode (RNE P, L, T, U, B) must start the day the previous episode ended.

    As the spec says, the date texts are compared as entered, so '1/6/2022' against
    '01/06/2022' is flagged, and a blank on either side is flagged. Episodes follow the
    shared order (``common.episodes_sorted``: DECOM, DEC, then the rows' text).
    """
    e = d["Episodes"]
    prev_dec = previous_text(d, "DEC")
    mismatch = e.blank("DECOM") | (prev_dec == "") | (e["DECOM"] != prev_dec)
    return {"Episodes": isin(e["RNE"], ("P", "L", "T", "U", "B")) & has_previous(d) & mismatch}


def placement_unchanged(d, blank_equal: bool = True) -> pd.Series:
    """PLACE, PL_POST, URN and PLACE_PROVIDER all as in the previous episode."""
    same = pd.Series(True, index=d["Episodes"].index)
    for col in PLACEMENT_FIELDS:
        same &= same_as_previous(d, col, blank_equal)
    return same


@rule("434")
def legal_status_change_only(d):
    """RNE L (legal status changed, placement the same) needs a different LS and an unchanged
    placement. Two blank LS values do not count as the same legal status (as the rule says)."""
    e = d["Episodes"]
    ls_same = same_as_previous(d, "LS", blank_equal=False)
    placement_changed = ~placement_unchanged(d)
    return {"Episodes": (e["RNE"] == "L") & has_previous(d) & (ls_same | placement_changed)}


@rule("435")
def placement_change_only(d):
    """RNE P or T (placement changed, legal status the same) needs the same LS and a changed
    placement. Unlike 434 and 436, a blank equals nothing here, as the spec says: two blank
    LS are a change (flagged), a placement field blank on both episodes counts as changed."""
    e = d["Episodes"]
    ls_changed = ~same_as_previous(d, "LS", blank_equal=False)
    unchanged = placement_unchanged(d, blank_equal=False)
    return {"Episodes": isin(e["RNE"], ("P", "T")) & has_previous(d) & (ls_changed | unchanged)}


@rule("436")
def placement_and_legal_status_change(d):
    """RNE U or B (both changed) needs a different LS and a changed placement (blank equals blank)."""
    e = d["Episodes"]
    ls_same = same_as_previous(d, "LS")
    return {"Episodes": isin(e["RNE"], ("U", "B")) & has_previous(d) & (ls_same | placement_unchanged(d))}


@rule("437")
def no_episode_after_death_or_adult(d):
    """After REC E2 (died) or E15 (assessed as 18+) the child can have no later episode."""
    e = d["Episodes"]
    order = episodes_sorted(d)
    later = np.zeros(len(e), dtype=bool)
    later[order["pos"].to_numpy()] = ~order["last"].to_numpy()
    return {"Episodes": isin(e["REC"], ("E2", "E15")) & e.date("DECOM").notna() & later}


@rule("501")
def no_start_before_previous_end(d):
    """An episode cannot start before the previous episode ended; same day is fine, and an open
    previous episode or a missing date is not compared. Episodes with equal DECOM follow the
    shared order (``common.episodes_sorted``: DEC, then the rows' text), not input order as the
    spec says, so findings do not depend on row order (issue 8)."""
    e = d["Episodes"]
    prev_dec = previous_value(d, e.date("DEC"))
    return {"Episodes": e.date("DECOM") < prev_dec}


@rule("504")
def cin_same_through_period_of_care(d):
    """Within a period of care the category of need cannot change: an episode that continues the
    previous one (previous REC X1, previous DEC the same date as this DECOM) is flagged when its
    CIN differs from the previous episode's as text. As the spec says, two blank CINs count as
    different, and only the immediately preceding episode is compared."""
    e = d["Episodes"]
    continues = (previous_text(d, "REC") == "X1") & (previous_value(d, e.date("DEC")) == e.date("DECOM"))
    cin_same = same_as_previous(d, "CIN", blank_equal=False)
    return {"Episodes": continues & ~cin_same}
